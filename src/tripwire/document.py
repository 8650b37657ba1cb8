"""The one object every pipeline stage reads and adds to.

Like spaCy's `Doc`, a `Document` carries everything known about one article; stages never call each
other, they only fill fields here. `EventMention` is the working form of an event while the stages
are still deciding its arguments; the `assemble` stage turns each into the public `record.Event`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from tripwire.record import (
    Actor,
    Article,
    Casualties,
    DateValue,
    Event,
    Location,
    Quote,
    ReportedBy,
)

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token


@dataclass
class Block:
    """A stretch of the article text with what it is on the page.

    kind: `title`, `body`, `heading`, `caption` (a photo caption: may describe a real event, so it
    is parsed but marked), or `debris` (comment forms, share buttons, newsletter prompts: never
    coded).
    """

    start: int
    end: int
    kind: str


@dataclass
class EventMention:
    """An event being built: a trigger in a sentence, and the arguments found for it so far."""

    sentence: Span
    trigger: Token
    trigger_span: Span
    type: str
    mode: str | None = None
    contexts: list[str] = field(default_factory=list)
    origin: str = "body"
    # What the trigger rule asked for, e.g. {"frame": "threaten_to"}; read by later stages.
    rule: dict[str, Any] = field(default_factory=dict)
    source_spans: list[Span] = field(default_factory=list)
    target_spans: list[Span] = field(default_factory=list)
    source: list[Actor] = field(default_factory=list)
    target: list[Actor] = field(default_factory=list)
    time_span: Span | None = None
    date: DateValue = field(default_factory=DateValue)
    location: Location | None = None
    casualties: Casualties = field(default_factory=Casualties)
    reported_by: ReportedBy | None = None
    status: str = "occurred"
    status_cues: list[str] = field(default_factory=list)
    confidence: float = 0.0
    dropped: str | None = None  # why a later stage decided this is not an event (kept for debugging)


@dataclass
class Document:
    article: Article
    blocks: list[Block] = field(default_factory=list)
    spacy_doc: Doc | None = None
    mentions: list[EventMention] = field(default_factory=list)
    places: list[Any] = field(default_factory=list)  # geo.PlaceMention, filled by the places stage
    quotes: list[Quote] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)

    @property
    def text(self) -> str:
        return self.article.text

    def block_kind_at(self, offset: int) -> str:
        """What kind of block the character at `offset` belongs to (body when unknown)."""
        for block in self.blocks:
            if block.start <= offset < block.end:
                return block.kind
        return "body"

    def to_dict(self) -> dict[str, Any]:
        return {
            "article": self.article.to_dict(),
            "events": [event.to_dict() for event in self.events],
            "quotes": [quote.to_dict() for quote in self.quotes],
        }
