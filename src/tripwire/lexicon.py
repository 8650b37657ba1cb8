"""Loads the trigger lexicon and the status/attribution cues from the package's data files.

The words live in `data/triggers.toml` and `data/cues.toml`; this module only parses them into
lookup structures, so that a user's own lexicon (TRIPWIRE_TRIGGER_FILES) can add or override
entries without code.
"""

from __future__ import annotations

import tomllib
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path

from tripwire.config import load_settings
from tripwire.ontology import load_ontology


@dataclass(frozen=True)
class DepPattern:
    """`dep:lemma1,lemma2` from the data file: a child with this dependency and one of these lemmas."""

    dep: str
    lemmas: frozenset[str] | None  # None = any word

    @classmethod
    def parse(cls, text: str) -> DepPattern:
        dep, _, words = text.partition(":")
        lemmas = None if words in ("", "*") else frozenset(w.strip() for w in words.split(","))
        return cls(dep.strip(), lemmas)


@dataclass(frozen=True)
class TriggerRule:
    lemma: str
    pos: str
    type: str
    mode: str | None = None
    contexts: tuple[str, ...] = ()
    needs: tuple[DepPattern, ...] = ()
    not_with: tuple[DepPattern, ...] = ()
    frame: str | None = None
    weight: float = 0.5
    # Lemmas of which one must (or none may) occur in the sentence: "strike" is a labour strike
    # in a sentence about unions and teachers, an attack elsewhere.
    sentence_needs: frozenset[str] = frozenset()
    sentence_not: frozenset[str] = frozenset()


@dataclass
class Lexicon:
    # (lemma, pos) -> rules in priority order (a user's file first)
    triggers: dict[tuple[str, str], list[TriggerRule]] = field(default_factory=dict)
    # type -> [(mode, cue words)], in file order: the first mode whose cue appears wins
    mode_cues: dict[str, list[tuple[str, tuple[str, ...]]]] = field(default_factory=dict)
    context_cues: dict[str, tuple[str, ...]] = field(default_factory=dict)
    cues: dict = field(default_factory=dict)
    # How an intention to act becomes an event: by quad class of the intended act.
    intent: dict = field(default_factory=dict)
    _word_sets: dict[tuple[str, str], frozenset[str]] = field(default_factory=dict, repr=False)

    def rules_for(self, lemma: str, pos: str) -> list[TriggerRule]:
        return self.triggers.get((lemma, pos), [])

    def words(self, section: str, key: str) -> frozenset[str]:
        """A word list of `cues.toml` as a set, built once: stages test membership per token."""
        found = self._word_sets.get((section, key))
        if found is None:
            found = self._word_sets[(section, key)] = frozenset(self.cues[section][key])
        return found


def _read_package_toml(name: str) -> dict:
    return tomllib.loads(resources.files("tripwire.data").joinpath(name).read_text(encoding="utf-8"))


def _words(items: list[str] | str, wordlists: dict[str, list[str]]) -> frozenset[str]:
    """Words of a sentence condition; "@name" stands for the file's [wordlists] entry `name`."""
    if isinstance(items, str):
        items = [items]
    words: set[str] = set()
    for item in items:
        if item.startswith("@"):
            if item[1:] not in wordlists:
                raise ValueError(f"trigger lexicon: no [wordlists] entry named {item[1:]!r}")
            words.update(wordlists[item[1:]])
        else:
            words.add(item)
    return frozenset(words)


def _add_trigger_file(raw: dict, triggers: dict, mode_cues: dict, context_cues: dict, first: bool) -> None:
    ontology = load_ontology()
    wordlists = raw.get("wordlists", {})
    for entry in raw.get("trigger", []):
        event_type = entry["type"]
        mode = entry.get("mode")
        if not ontology.is_valid(event_type, mode):
            raise ValueError(f"trigger {entry.get('lemmas')}: {event_type}/{mode} is not in the ontology")
        for lemma in entry["lemmas"]:
            for pos in entry.get("pos", ["VERB", "NOUN"]):
                rule = TriggerRule(
                    lemma=lemma,
                    pos=pos,
                    type=event_type,
                    mode=mode,
                    contexts=tuple(entry.get("contexts", ())),
                    needs=tuple(DepPattern.parse(p) for p in entry.get("needs", ())),
                    not_with=tuple(DepPattern.parse(p) for p in entry.get("not_with", ())),
                    frame=entry.get("frame"),
                    weight=float(entry.get("weight", 0.5)),
                    sentence_needs=_words(entry.get("sentence_needs", ()), wordlists),
                    sentence_not=_words(entry.get("sentence_not", ()), wordlists),
                )
                bucket = triggers.setdefault((lemma, pos), [])
                if first:
                    bucket.insert(0, rule)
                else:
                    bucket.append(rule)
    for event_type, modes in raw.get("modes", {}).items():
        ordered = [(mode, tuple(words)) for mode, words in modes.items()]
        mode_cues[event_type] = ordered + [m for m in mode_cues.get(event_type, []) if m[0] not in modes]
    for context, words in raw.get("contexts", {}).items():
        context_cues[context] = tuple(words)


@lru_cache(maxsize=1)
def load_lexicon() -> Lexicon:
    triggers: dict = defaultdict(list)
    mode_cues: dict = {}
    context_cues: dict = {}
    _add_trigger_file(_read_package_toml("triggers.toml"), triggers, mode_cues, context_cues, first=False)
    for path in load_settings().trigger_files:
        raw = tomllib.loads(Path(path).read_text(encoding="utf-8"))
        _add_trigger_file(raw, triggers, mode_cues, context_cues, first=True)
    raw = _read_package_toml("triggers.toml")
    return Lexicon(dict(triggers), mode_cues, context_cues, _read_package_toml("cues.toml"), raw.get("intent", {}))
