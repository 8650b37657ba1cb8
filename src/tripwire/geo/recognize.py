"""Finding the place names in a parsed text (recognition), before deciding which place each is.

Sources, in order of trust: a dateline ("BAGHDAD (Reuters) -"); the curated supplement, matched
case-insensitively for multi-word names so "the green zone" and "Baghdad airport" are found although
no NER tags them; spaCy's GPE/LOC/FAC entities (and NORP ones that are a country's adjectival form);
and a gazetteer fallback for capitalized names the NER missed or mislabelled, restrained so that
common words that are also towns somewhere ("Of", "Police", "Mobile", "Reading") do not become
places: the fallback needs a prominent place (a country, a province, a large city) or a locative
preposition in front ("in Reading").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from tripwire.geo.gazetteer import Gazetteer, normalize
from tripwire.geo.mention import words

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span

PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
# Entity labels the gazetteer fallback must not overrule (a person called "Paris Hilton", a date).
BLOCKING_LABELS = frozenset(
    {"PERSON", "DATE", "TIME", "MONEY", "PERCENT", "QUANTITY", "CARDINAL", "ORDINAL", "WORK_OF_ART",
     "LAW", "PRODUCT", "EVENT", "LANGUAGE"}
)
# The fallback also leaves organisations alone ("New York Times"); step 3 handles an ORG that is
# exactly a country or province name.
FALLBACK_BLOCKING = BLOCKING_LABELS | {"ORG"}
PROMINENT_FEATURES = frozenset({"PCLI", "ADM1", "CONT", "PPLC"})
FALLBACK_MIN_POPULATION = 100_000
MAX_NAME_TOKENS = 6
DATELINE = re.compile(
    r"^\s*(?P<name>[A-Z][A-Za-z.'’\- ]{1,40}?)(?:,\s*(?P<qual>[A-Z][A-Za-z.' ]{1,25}?))?\s*"
    r"(?:\((?:[A-Za-z. ]{2,30})\))?\s*(?:-|—|–|:)\s"
)


@dataclass
class Found:
    """A recognized place name, before resolution. Token offsets are into the spaCy doc."""

    start: int  # token index
    end: int  # token index (exclusive)
    kind: str
    source: str
    label: str = ""
    feature_hint: str | None = None  # "ADM1" after "province", "ADM2" after "county"
    qualifier: int | None = None  # index (in the found list) of the "Texas" in "Paris, Texas"
    state_code: str | None = None  # for an AP abbreviation ("La.") standing for a US state
    dateline: bool = False
    key: str = ""  # normalized lookup key


def _supplement_keys(gazetteer: Gazetteer) -> frozenset[str]:
    """Names of the curated entries (rows without a GeoNames id), matched even in lower case."""
    cached = getattr(gazetteer, "_supplement_keys", None)
    if cached is None:
        cached = frozenset(
            key for key, ids in gazetteer.index.items()
            if any(gazetteer.rows[i][0] is None and gazetteer.rows[i][7] not in ("ADM2", "ADM1") for i in ids)
        )
        gazetteer._supplement_keys = cached  # type: ignore[attr-defined]
    return cached


def _trim(doc: Doc, start: int, end: int) -> tuple[int, int]:
    """Drop a leading article or direction word and a trailing possessive from an entity span."""
    w = words()
    while start < end - 1 and (
        doc[start].lower_ in ("the", "a", "an") or doc[start].lower_ in w.direction_modifiers
    ):
        start += 1
    while end > start + 1 and doc[end - 1].text in ("'s", "’s", "'", "’", ".", ","):
        end -= 1
    return start, end


def _is_metonymic(span: Span) -> bool:
    root = span.root
    return root.dep_ in ("nsubj", "nsubjpass") and root.head.lemma_ in words().metonymy_verbs


def _capitalized(text: str) -> bool:
    return bool(text) and text[0].isupper()


def recognize(doc: Doc, gazetteer: Gazetteer) -> list[Found]:
    """Every place name in `doc`, non-overlapping, in text order."""
    w = words()
    found: list[Found] = []
    taken = [False] * len(doc)

    def claim(item: Found) -> bool:
        if any(taken[item.start:item.end]):
            return False
        for i in range(item.start, item.end):
            taken[i] = True
        item.key = normalize(doc[item.start:item.end].text)
        found.append(item)
        return True

    # 1. Dateline.
    match = DATELINE.match(doc.text)
    if match:
        for group in ("name", "qual"):
            if not match.group(group):
                continue
            span = doc.char_span(match.start(group), match.end(group), alignment_mode="expand")
            if span is not None and gazetteer.lookup(span.text):
                claim(Found(span.start, span.end, "toponym", "dateline", dateline=True))

    # 2. Curated supplement names (airports, zones, rivers...), longest first.
    sup = _supplement_keys(gazetteer)
    i = 0
    while i < len(doc):
        matched = False
        if not doc[i].is_punct and not doc[i].is_space:
            for n in range(min(MAX_NAME_TOKENS, len(doc) - i), 0, -1):
                span = doc[i:i + n]
                if span[-1].is_punct or span[-1].is_space or "\n" in span.text:
                    continue
                key = normalize(span.text)
                if key not in sup:
                    continue
                if n == 1 and not _capitalized(span.text):
                    continue
                if n == 1 and key in w.stopwords:
                    continue
                if n > 1 and all(not _capitalized(t.text) for t in span) and span[0].ent_type_ in BLOCKING_LABELS:
                    continue
                start, end = i, i + n
                if claim(Found(start, end, "toponym", "supplement")):
                    matched = True
                    i = end
                    break
        if not matched:
            i += 1

    # 3. spaCy entities.
    for ent in doc.ents:
        if ent.label_ in PLACE_LABELS:
            start, end = _trim(doc, ent.start, ent.end)
            span = doc[start:end]
            kind = "metonymic" if ent.label_ == "GPE" and _is_metonymic(span) else "toponym"
            if gazetteer.demonym(span.text) is not None and not gazetteer.lookup(span.text):
                kind = "adjectival"
            claim(Found(start, end, kind, "ner", label=ent.label_))
        elif ent.label_ == "NORP":
            start, end = _trim(doc, ent.start, ent.end)
            if gazetteer.demonym(doc[start:end].text) is not None:
                claim(Found(start, end, "adjectival", "ner", label=ent.label_))
        elif ent.label_ == "ORG":
            # Countries and provinces the NER took for organisations ("BAGHDAD", "Iraq" in a heading).
            start, end = _trim(doc, ent.start, ent.end)
            key = normalize(doc[start:end].text)
            if key in w.stopwords:
                continue
            places = gazetteer.lookup_key(key)
            if places and places[0].feature in PROMINENT_FEATURES and places[0].population >= 1_000_000:
                kind = "metonymic" if _is_metonymic(doc[start:end]) else "toponym"
                claim(Found(start, end, kind, "gazetteer", label=ent.label_))

    # 4. Gazetteer fallback over capitalized runs the NER did not cover.
    i = 0
    while i < len(doc):
        token = doc[i]
        if taken[i] or not _capitalized(token.text) or token.ent_type_ in FALLBACK_BLOCKING or token.is_punct:
            i += 1
            continue
        advanced = False
        for n in range(min(4, len(doc) - i), 0, -1):
            span = doc[i:i + n]
            if any(taken[j] or not _capitalized(t.text) or t.is_punct for j, t in zip(range(i, i + n), span, strict=True)):
                continue
            key = normalize(span.text)
            if not key or key in w.stopwords:
                continue
            demonym = gazetteer.demonym(span.text)
            if demonym is not None and n == 1 and token.pos_ in ("ADJ", "PROPN", "NOUN"):
                claim(Found(i, i + n, "adjectival", "gazetteer"))
                i += n
                advanced = True
                break
            places = gazetteer.lookup_key(key)
            if not places or token.pos_ not in ("PROPN",):
                continue
            prev = doc[i - 1] if i > 0 else None
            after_preposition = prev is not None and prev.lower_ in w.locative_prepositions
            prominent = any(
                p.feature in PROMINENT_FEATURES or p.population >= FALLBACK_MIN_POPULATION for p in places[:3]
            )
            sentence_start = token.is_sent_start or (prev is not None and prev.is_punct and prev.text in "\"'“‘(")
            # A run of two or more capitalized words that is exactly a gazetteer name ("Rapides
            # Parish", "Sadr City") is rarely anything else.
            multiword = n >= 2 and normalize(places[0].name) == key
            if (prominent and not (sentence_start and n == 1)) or after_preposition or multiword:
                kind = "metonymic" if _is_metonymic(span) else "toponym"
                claim(Found(i, i + n, kind, "gazetteer"))
                i += n
                advanced = True
                break
        if not advanced:
            i += 1

    # 5. Names already found elsewhere in the article, where the NER took them for something else
    #    ("Alexandria police" as a person): one sense per discourse, for recognition too.
    known = {doc[f.start:f.end].text: f for f in found if f.kind == "toponym"}
    if known:
        longest = max(len(doc[f.start:f.end]) for f in known.values())
        for i in range(len(doc)):
            if taken[i] or not _capitalized(doc[i].text):
                continue
            for n in range(min(longest, len(doc) - i), 0, -1):
                span = doc[i:i + n]
                if span.text not in known or any(taken[i:i + n]):
                    continue
                ent = [e for e in doc.ents if e.start <= i < e.end]
                if ent and (ent[0].start != i or ent[0].end != i + n) and ent[0].label_ not in PLACE_LABELS:
                    continue
                claim(Found(i, i + n, known[span.text].kind, "gazetteer"))
                break

    found.sort(key=lambda f: f.start)

    # 6. "City, State" qualifiers and AP state abbreviations; "Anbar province" hints.
    by_start = {f.start: k for k, f in enumerate(found)}
    extra: list[Found] = []
    for k, item in enumerate(found):
        after = item.end
        if after < len(doc) and doc[after].lower_ in w.division_suffixes:
            item.feature_hint = "ADM2" if doc[after].lower_ == "district" else "ADM1"
        elif after < len(doc) and doc[after].lower_ in ("county", "parish"):
            item.feature_hint = "ADM2"
        if after + 1 < len(doc) and doc[after].text == ",":
            nxt = after + 1
            if nxt in by_start:
                item.qualifier = by_start[nxt]
                qualifier = found[by_start[nxt]]
                if doc[nxt].text in w.us_state_abbreviations and qualifier.end == nxt + 1:
                    qualifier.state_code = w.us_state_abbreviations[doc[nxt].text]
            elif not taken[nxt] and doc[nxt].text in w.us_state_abbreviations:
                extra.append(Found(nxt, nxt + 1, "toponym", "gazetteer",
                                   state_code=w.us_state_abbreviations[doc[nxt].text],
                                   key=normalize(doc[nxt].text)))
                item.qualifier = -len(extra)  # patched below
    if extra:
        base = len(found)
        for item in found:
            if item.qualifier is not None and item.qualifier < 0:
                item.qualifier = base + (-item.qualifier - 1)
        found.extend(extra)
    return found
