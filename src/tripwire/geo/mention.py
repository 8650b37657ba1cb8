"""What the geoparser returns: place mentions, and the article-level hints it can be given."""

from __future__ import annotations

import tomllib
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

KINDS = ("toponym", "adjectival", "metonymic")
PRECISIONS = ("point", "city", "province", "country")


@dataclass
class PlaceMention:
    """One place named in a text, and the gazetteer entry it was resolved to.

    `start`/`end` are character offsets into the document text. `kind` says how the place is used:
    a `toponym` names a location ("in Afrin"), an `adjectival` form modifies something else
    ("Turkish troops"), a `metonymic` use stands for a government ("Washington said"); only toponyms
    can be where an event happened. `resolved` is False when no gazetteer entry fits with
    confidence; the coordinates are then those of the best guess, or None when there is none.
    """

    start: int
    end: int
    text: str
    name: str | None = None
    lat: float | None = None
    lon: float | None = None
    geonameid: int | None = None
    country: str | None = None  # ISO 3166 alpha-3, like actors' codes
    admin1: str | None = None
    feature: str | None = None  # GeoNames-style feature code: PPLC, PPL, ADM1, PCLI, AIRP, STM, ...
    kind: str = "toponym"
    score: float = 0.0
    precision: str | None = None  # point | city | province | country
    resolved: bool = False
    source: str = "ner"  # ner | gazetteer | supplement | dateline: how it was recognized
    dateline: bool = False
    # Internal: gazetteer index of the chosen entry, for later stages (not serialized).
    entry: int | None = field(default=None, repr=False)
    admin1_key: str | None = field(default=None, repr=False)
    # Internal: (geonameid, lat, lon) of every gazetteer entry the name could have been, so an
    # evaluation can tell a wrong choice among homonyms from a place the gazetteer lacks.
    candidates: tuple[tuple[int | None, float | None, float | None], ...] = field(default=(), repr=False)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        for internal in ("entry", "admin1_key", "candidates"):
            data.pop(internal)
        return data


@dataclass(frozen=True)
class GeoContext:
    """What is known about an article before reading it, used as evidence when resolving names.

    `countries`: ISO3 codes of the outlet's home country (counted like a country the article names,
    plus a home bonus for places in it: a Canadian paper's "London" is Ontario's). `admin1`: the
    outlet's first-order divisions, by ISO 3166-2 code ("US-LA"), GeoNames-style key ("US.LA") or
    name ("Louisiana"): a local paper's "Alexandria" is the Louisiana one. `home`: (lat, lon) of the
    outlet, pulls ambiguous local names towards it. `tripwire.geo.home.context_from_home` builds one
    from a code or an article's URL.
    """

    countries: tuple[str, ...] = ()
    admin1: tuple[str, ...] = ()
    home: tuple[float, float] | None = None


@dataclass(frozen=True)
class Words:
    stopwords: frozenset[str]
    metonymy_verbs: frozenset[str]
    locative_prepositions: frozenset[str]
    direction_modifiers: frozenset[str]
    division_suffixes: frozenset[str]
    compound_modifiers: frozenset[str]
    us_state_abbreviations: dict[str, str]
    facility_heads: frozenset[str] = frozenset()


@lru_cache(maxsize=1)
def words() -> Words:
    raw = tomllib.loads(resources.files("tripwire.data").joinpath("geo/words.toml").read_text("utf-8"))
    return Words(
        stopwords=frozenset(w.casefold() for w in raw["stopwords"]),
        metonymy_verbs=frozenset(raw["metonymy_verbs"]),
        locative_prepositions=frozenset(raw["locative_prepositions"]),
        direction_modifiers=frozenset(raw["direction_modifiers"]),
        division_suffixes=frozenset(raw["division_suffixes"]),
        compound_modifiers=frozenset(raw["compound_modifiers"]),
        facility_heads=frozenset(raw.get("facility_heads", ())),
        # As written, and without the final dot (the tokenizer may split "W.Va." into "W.Va" and ".");
        # case and inner dots matter: "L.A." is not "La.".
        us_state_abbreviations={
            **{k.removesuffix("."): v for k, v in raw["us_state_abbreviations"].items()},
            **raw["us_state_abbreviations"],
        },
    )
