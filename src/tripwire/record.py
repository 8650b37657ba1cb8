"""The records tripwire produces, defined once.

Every output (JSON, JSON lines, tables, database columns, exports) uses the field names below, so
a change here is a change of the public contract described in DESIGN.md ("The record").
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field
from typing import Any

STATUSES = ("occurred", "planned", "hypothetical", "negated")
PRECISIONS = ("day", "week", "month", "year", "unknown")


@dataclass
class Actor:
    """One participant as written in the text, with the codes it resolved to (null if unknown)."""

    text: str
    name: str | None = None
    country: str | None = None
    sector: str | None = None


@dataclass
class DateValue:
    """When an event happened: an ISO interval, its precision and the words it came from."""

    start: str | None = None
    end: str | None = None
    precision: str = "unknown"
    text: str | None = None


@dataclass
class Location:
    """Where an event happened (not where its actors come from)."""

    text: str
    name: str | None = None
    country: str | None = None
    admin1: str | None = None
    lat: float | None = None
    lon: float | None = None
    geonameid: int | None = None
    precision: str | None = None


@dataclass
class Casualties:
    killed: int | None = None
    injured: int | None = None


@dataclass
class ReportedBy:
    """The cited source of an event; null on the event when the outlet speaks in its own voice."""

    text: str
    anonymous: bool
    actor: Actor | None = None


@dataclass
class Evidence:
    """The sentence supporting an event, as character offsets into the article text."""

    sentence: str
    start: int
    end: int
    trigger: str
    origin: str = "body"  # body | title | caption: where on the page the sentence came from


@dataclass
class AcledView:
    event_type: str
    sub_event_type: str


@dataclass
class Event:
    event_id: str
    article_id: str
    type: str
    mode: str | None
    status: str
    evidence: Evidence
    contexts: list[str] = field(default_factory=list)
    source: list[Actor] = field(default_factory=list)
    target: list[Actor] = field(default_factory=list)
    date: DateValue = field(default_factory=DateValue)
    location: Location | None = None
    casualties: Casualties = field(default_factory=Casualties)
    reported_by: ReportedBy | None = None
    confidence: float = 0.0
    intensity: float = 0.0
    acled: AcledView | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Quote:
    speaker: str | None
    text: str
    start: int
    end: int

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Article:
    """One input article. `text` is what every offset in the events points into."""

    article_id: str
    text: str
    url: str | None = None
    title: str | None = None
    outlet: str | None = None
    # Where the outlet is at home, so that a local paper's bare "Athens" is its own: an ISO country
    # ("US") or division ("US-GA"), or "lat,lon". None: inferred from the URL and the dateline.
    home: str | None = None
    published: str | None = None
    language: str | None = None
    id: str | None = None  # the caller's id, when the input carried one (JSON lines)
    input: str | None = None  # the path or stream it was read from
    warnings: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Reject:
    """An input that could not be used, kept with the reason so that nothing disappears."""

    input: str
    reason: str
    id: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def normalize_for_hash(text: str) -> str:
    """Whitespace and case do not make a different article; the same story re-scraped must hash alike."""
    return " ".join(text.split()).casefold()


def article_id_for(text: str) -> str:
    return hashlib.sha256(normalize_for_hash(text).encode("utf-8")).hexdigest()[:16]


def event_id_for(article_id: str, trigger_start: int, event_type: str, mode: str | None) -> str:
    """Stable: the same article, trigger position and coding always give the same id."""
    key = f"{article_id}|{trigger_start}|{event_type}|{mode or ''}"
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]
