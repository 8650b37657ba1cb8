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
    {
        "PERSON",
        "DATE",
        "TIME",
        "MONEY",
        "PERCENT",
        "QUANTITY",
        "CARDINAL",
        "ORDINAL",
        "WORK_OF_ART",
        "LAW",
        "PRODUCT",
        "EVENT",
        "LANGUAGE",
    }
)
# The fallback also leaves organisations alone ("New York Times"); step 3 handles an ORG that is
# exactly a country or province name.
FALLBACK_BLOCKING = BLOCKING_LABELS | {"ORG"}
PROMINENT_FEATURES = frozenset({"PCLI", "ADM1", "CONT", "PPLC"})
FALLBACK_MIN_POPULATION = 100_000
PERSON_OVERRIDE_POPULATION = 10_000
# Labels the small model gives foreign town names; after a locative preposition or in a list of
# places, a single-token name of a town this large is taken as the place anyway.
MISLABELLED_NAME_LABELS = frozenset({"ORG", "PERSON", "DATE", "PRODUCT", "WORK_OF_ART", "EVENT"})
LONE_TOWN_MIN_POPULATION = 20_000
# Prepositions that put a thing *in* a place; not "of", "at", "by", "from" ("the CEO of Toyota",
# "a spokesman at Nissan").
PLACE_PREPOSITIONS = frozenset({"in", "near", "outside", "inside", "across", "throughout", "into", "around"})
METONYMY_MIN_POPULATION = 500_000  # a capital this large, subject of "said"/"denied", is its government
PERSON_TITLES = frozenset(
    {
        "mr",
        "mrs",
        "ms",
        "miss",
        "dr",
        "gov",
        "sen",
        "rep",
        "gen",
        "col",
        "capt",
        "lt",
        "sgt",
        "officer",
        "president",
        "judge",
        "sheriff",
        "chief",
        "coach",
        "rev",
        "father",
        "prof",
        "det",
        "deputy",
        "mayor",
    }
)
MAX_NAME_TOKENS = 6
# "Cooke, Grayson and Love counties": the plural, and the word each listed name takes.
PLURAL_DIVISIONS = {"counties": "county", "parishes": "parish"}
RESIDENT_NOUNS = frozenset(
    {
        "man",
        "woman",
        "men",
        "women",
        "resident",
        "residents",
        "teen",
        "teens",
        "boy",
        "girl",
        "couple",
        "native",
        "mayor",
        "businessman",
        "family",
        "families",
        "youth",
        "student",
        "students",
    }
)
DATELINE = re.compile(
    r"^\s*(?P<name>[A-Z][A-Za-z.'’\- ]{1,40}?)(?:,\s*(?P<qual>[A-Z][A-Za-z.' ]{1,25}?))?\s*"
    r"(?:\((?:[A-Za-z. ]{2,30})\))?\s*(?:--|-|—|–|:)\s"
)

# A dateline after a headline line: "... budget . COLUMBUS, Ohio (AP) — Gov. Ted Strickland ..."
DATELINE_LATER = re.compile(
    r"(?:^|\s)(?P<name>[A-Z]{3,}(?:[ .'’-]{1,2}[A-Z]{2,})*),?(?:\s+(?P<qual>[A-Z][A-Za-z.]+(?: [A-Z][A-Za-z.]+)?))?"
    r"\s*(?:\((?:[A-Za-z. ]{2,30})\))?\s*(?:--|-|—|–|:)\s"
)
DATELINE_WINDOW = 400
# A dateline anywhere (scraped pages run several stories together, or put a byline first):
# "WASHINGTON (AP) -", "By Carey L. Biron. WASHINGTON, April 5 (Thomson Reuters Foundation) -",
# "PLEASANTON, Calif.--", "ATLANTA (AP) An aide". The name must be in capitals, then an optional
# qualifier and date, then a news agency in brackets or a dash.
DATELINE_ANYWHERE = re.compile(
    r"(?:^|(?<=[\s.:]))(?P<name>[A-Z][A-Z'’.\-]{2,}(?: [A-Z][A-Z'’.\-]+){0,3}),?"
    r"(?:\s+(?P<qual>[A-Z][A-Za-z.]+(?: [A-Z][A-Za-z.]+)?)(?=[\s,(—–-]))?"
    r"(?:,\s*[A-Z][a-z]{2,8}\.?\s+\d{1,2})?"
    r"(?:\s*\((?:[A-Za-z.&' ]{2,40})\)\s*(?:--|-|—|–|:|\ufffd)?|\s*(?:--|—|–|-)(?=\s|\())"
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


def _supplement_keys(gazetteer: Gazetteer) -> dict[str, int]:
    """Names of the curated entries (rows without a GeoNames id), matched even in lower case:
    first word -> the most words such a name has (so the scan tries only lengths that can match)."""
    cached = getattr(gazetteer, "_supplement_keys", None)
    if cached is None:
        keys = {
            key
            for key, ids in gazetteer.index.items()
            if any(gazetteer.rows[i][0] is None and gazetteer.rows[i][7] not in ("ADM2", "ADM1") for i in ids)
        }
        cached = {}
        for key in keys:
            parts = key.split()
            cached[parts[0]] = max(cached.get(parts[0], 0), len(parts))
        gazetteer._supplement_keys = cached  # type: ignore[attr-defined]
        gazetteer._supplement_full = keys  # type: ignore[attr-defined]
    return cached


def _trim(doc: Doc, start: int, end: int, gazetteer: Gazetteer | None = None) -> tuple[int, int]:
    """Drop a leading article or direction word ("northern Iraq") and a trailing possessive from an
    entity span, unless the whole is itself a name ("West Virginia", "North Dakota")."""
    w = words()
    while start < end - 1 and doc[start].is_punct:
        start += 1  # "| Middle East" in scraped page furniture
    while start < end - 1 and (doc[start].lower_ in ("the", "a", "an") or doc[start].lower_ in w.direction_modifiers):
        # An article never belongs to the name ("the Licking County Genealogy Society"); a direction
        # word may ("West Virginia University").
        if (
            doc[start].lower_ not in ("the", "a", "an")
            and gazetteer is not None
            and (
                normalize(doc[start:end].text) in gazetteer.index
                or normalize(doc[start : start + 2].text) in gazetteer.index
            )
        ):
            break
        start += 1
    while end > start + 1 and doc[end - 1].text in ("'s", "’s", "'", "’", ".", ","):
        end -= 1
    return start, end


def _state_code(text: str) -> str | None:
    """The US state an AP abbreviation stands for ("La." -> LA); only abbreviations with a dot."""
    if "." not in text and text not in ("Va", "Pa", "Ga", "La", "Fla", "Calif", "Tenn", "Ky", "Md", "Mo", "Wash"):
        return None
    return words().us_state_abbreviations.get(text)


def _split(doc: Doc, start: int, end: int, gazetteer: Gazetteer, claim) -> bool:  # type: ignore[no-untyped-def]
    """An entity the NER ran together ("Greece Italy"): claim the gazetteer names inside it instead.
    Only exact names of countries, provinces and capitals, so a street is not cut into towns."""
    parts: list[tuple[int, int]] = []
    i = start
    while i < end:
        for n in range(end - i, 0, -1):
            key = normalize(doc[i : i + n].text)
            hits = gazetteer.lookup_key(key)
            if hits and hits[0].feature in PROMINENT_FEATURES and normalize(hits[0].name) == key:
                parts.append((i, i + n))
                i += n
                break
        else:
            i += 1
    covered = sum(b - a for a, b in parts)
    if len(parts) < 2 or covered < (end - start) - 1:  # "Lake Vermont" is not Vermont
        return False
    for a, b in parts:
        claim(Found(a, b, "toponym", "ner", label="GPE"))
    return True


def _leading_place(  # type: ignore[no-untyped-def]
    doc: Doc, start: int, end: int, gazetteer: Gazetteer, claim, min_population: int = 1000
) -> bool:
    """A place name at the start of a facility's or organisation's name, claimed as embedded."""
    for n in range(min(3, end - start - 1), 0, -1):
        sub = doc[start : start + n]
        if not all(_capitalized(t.text) for t in sub):
            continue
        key = normalize(sub.text)
        if key in words().stopwords:
            continue
        hits = gazetteer.lookup_key(key)
        if (
            hits
            and normalize(hits[0].name) == key
            and (hits[0].population >= min_population or hits[0].feature in ("PCLI", "ADM1", "ADM2"))
        ):
            return claim(Found(start, start + n, "toponym", "embedded"))
    return False


def _is_metonymic(span: Span) -> bool:
    root = span.root
    return root.dep_ in ("nsubj", "nsubjpass") and root.head.lemma_ in words().metonymy_verbs


def _qualified_town(doc: Doc, i: int, gazetteer: Gazetteer, taken: list[bool]) -> int:
    """Length of a town's name at token i that a state or country qualifies ("Greer, South
    Carolina", "Columbia, Mo."), whatever label the NER gave it; 0 if there is none."""
    for n in (3, 2, 1):
        comma = i + n
        if comma + 1 >= len(doc) or doc[comma].text != "," or any(taken[i:comma]):
            continue
        if not all(_capitalized(t.text) for t in doc[i:comma]):
            continue
        code = _state_code(doc[comma + 1].text)
        qualifier = None
        if code:
            qualifier = gazetteer.admin1_by_key.get(f"US.{code}")
        else:
            for m in (3, 2, 1):
                if comma + 1 + m > len(doc):
                    continue
                q_key = normalize(doc[comma + 1 : comma + 1 + m].text)
                hits = gazetteer.lookup_key(q_key)
                if hits and hits[0].feature in ("ADM1", "PCLI") and normalize(hits[0].name) == q_key:
                    qualifier = hits[0]
                    break
        if qualifier is None:
            continue
        key = normalize(doc[i:comma].text)
        for place in gazetteer.lookup_key(key):
            if normalize(place.name) != key or not (place.feature or "").startswith("PPL"):
                continue
            if (qualifier.feature == "PCLI" and place.country == qualifier.country) or (
                qualifier.feature == "ADM1" and place.admin1_key == qualifier.admin1_key
            ):
                return n
    return 0


def _county_at(doc: Doc, start: int, end: int, gazetteer: Gazetteer) -> int:
    """Length of a "<Name> County" / "<Name> Parish" at `start` that the gazetteer knows, else 0."""
    for n in (3, 2):
        if start + n > end or doc[start + n - 1].lower_ not in ("county", "parish"):
            continue
        span = doc[start : start + n]
        if all(_capitalized(t.text) for t in span) and normalize(span.text) in gazetteer.index:
            return n
    return 0


def _lone_town(token, gazetteer: Gazetteer) -> bool:  # type: ignore[no-untyped-def]
    """A single-token entity that is exactly the name of a sizeable place ("of Moldova", "from
    Centreville", "in Manbij" tagged DATE): the fallback may overrule the NER's label for it."""
    if token.ent_iob_ != "B" or (token.i + 1 < len(token.doc) and token.doc[token.i + 1].ent_iob_ == "I"):
        return False
    key = normalize(token.text)
    if key in words().stopwords:
        return False
    hits = gazetteer.lookup_key(key)
    return (
        bool(hits)
        and normalize(hits[0].name) == key
        and (hits[0].population >= LONE_TOWN_MIN_POPULATION or hits[0].feature in PROMINENT_FEATURES)
    )


def _org_like(ent: Span) -> bool:
    """A multi-word name with a lowercase word inside ("of", "and"): an organisation, not a person."""
    return any(t.is_alpha and t.text[0].islower() for t in ent)


def _capitalized(text: str) -> bool:
    return bool(text) and text[0].isupper()


def recognize(doc: Doc, gazetteer: Gazetteer) -> list[Found]:
    """Every place name in `doc`, non-overlapping, in text order."""
    w = words()
    found: list[Found] = []
    taken = [False] * len(doc)

    def claim(item: Found) -> bool:
        if any(taken[item.start : item.end]):
            return False
        for i in range(item.start, item.end):
            taken[i] = True
        item.key = normalize(doc[item.start : item.end].text)
        found.append(item)
        return True

    # 1. Dateline.
    match = DATELINE.match(doc.text)
    if match is None or not gazetteer.lookup(match.group("name")):  # "Coroner: Hamilton women ..."
        match = DATELINE_LATER.search(doc.text[:DATELINE_WINDOW]) or match
    if match:
        for group in ("name", "qual"):
            if not match.group(group):
                continue
            span = doc.char_span(match.start(group), match.end(group), alignment_mode="expand")
            if span is None:
                continue
            # "CAMP MURRAY, Wash. -": the AP abbreviation of a state, not a town called "Wash".
            code = _state_code(span.text.strip()) if group == "qual" else None
            if code or gazetteer.lookup(span.text):
                claim(Found(span.start, span.end, "toponym", "dateline", dateline=True, state_code=code))

    for later in DATELINE_ANYWHERE.finditer(doc.text):
        if match is not None and later.start() < match.end():
            continue
        name = later.group("name")
        if name.casefold() in w.stopwords or not any(ch.isalpha() for ch in name[1:]):
            continue
        span = doc.char_span(later.start("name"), later.end("name"), alignment_mode="expand")
        if span is None or not gazetteer.lookup(span.text):
            continue
        if claim(Found(span.start, span.end, "toponym", "dateline", dateline=True)) and later.group("qual"):
            qual = doc.char_span(later.start("qual"), later.end("qual"), alignment_mode="expand")
            code = _state_code(qual.text.strip()) if qual is not None else None
            if qual is not None and (code or gazetteer.lookup(qual.text)):
                claim(Found(qual.start, qual.end, "toponym", "dateline", dateline=True, state_code=code))

    # Token texts normalized once; a span's key is the join of its tokens' (a fast approximation of
    # normalize(span.text) that agrees on names).
    low = [normalize(t.text) if not t.is_space else "\n" for t in doc]

    def key_of(i: int, n: int) -> str:
        return " ".join(x for x in low[i : i + n] if x)

    # 2. Curated supplement names (airports, zones, rivers...), longest first.
    first_words = _supplement_keys(gazetteer)
    sup = gazetteer._supplement_full  # type: ignore[attr-defined]
    i = 0
    while i < len(doc):
        matched = False
        longest = (
            first_words.get(low[i], 0)
            if low[i] not in ("the", "")
            else max(first_words.get(low[i + 1], 0) + 1 if i + 1 < len(doc) else 0, 0)
        )
        if longest and not doc[i].is_punct and not doc[i].is_space:
            for n in range(min(longest + 2, MAX_NAME_TOKENS, len(doc) - i), 0, -1):
                span = doc[i : i + n]
                if span[-1].is_punct or "\n" in low[i : i + n]:
                    continue
                key = key_of(i, n)
                if key.startswith("the "):
                    key = key[4:]
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
    ents = list(doc.ents)
    # Words of full personal names ("Chiquita Raquel Henry"): a lone "Henry" is then her, not a town.
    # An "entity" with a lowercase word inside ("Abuja Chamber of Commerce and Industry") is an
    # organisation the small model took for a person: its words are no one's name.
    person_words = {t.text for e in ents if e.label_ == "PERSON" and len(e) >= 2 and not _org_like(e) for t in e}
    for ent in ents:
        if ent.label_ in PLACE_LABELS:
            start, end = _trim(doc, ent.start, ent.end, gazetteer)
            span = doc[start:end]
            if end - start == 1 and span.text in person_words:
                continue
            unknown = normalize(span.text) not in gazetteer.index
            if unknown and end - start >= 2 and _split(doc, start, end, gazetteer, claim):
                continue
            if unknown and ent.label_ == "FAC" and _leading_place(doc, start, end, gazetteer, claim):
                continue  # "the Cottonport Fire Station": the town inside the facility's name
            kind = "metonymic" if ent.label_ == "GPE" and _is_metonymic(span) else "toponym"
            if gazetteer.demonym(span.text) is not None and not gazetteer.lookup(span.text):
                kind = "adjectival"
            claim(
                Found(
                    start,
                    end,
                    kind,
                    "ner",
                    label=ent.label_,
                    state_code=_state_code(span.text) if end - start <= 3 else None,
                )
            )
        elif ent.label_ == "PERSON" and len(ent) >= 3 and _county_at(doc, ent.start, ent.end, gazetteer):
            # "Anderson County Sheriff Greg Taylor": the county the small model ran into a name.
            claim(Found(ent.start, ent.start + _county_at(doc, ent.start, ent.end, gazetteer), "toponym", "embedded"))
        elif ent.label_ == "PERSON" and len(ent) >= 3 and _org_like(ent):
            _leading_place(doc, ent.start, ent.end, gazetteer, claim, min_population=50_000)
        elif (
            ent.label_ in ("PERSON", "ORG")
            and len(ent) <= 2
            and gazetteer.demonym(ent.text) is not None
            and ent.end < len(doc)
            and doc[ent.end].pos_ in ("NOUN", "PROPN")
        ):
            # "the prominent Slovak architect", "Saint Lucian beaches": an adjectival form the small
            # model took for a name.
            claim(Found(ent.start, ent.end, "adjectival", "gazetteer", label=ent.label_))
        elif ent.label_ == "PERSON" and len(ent) == 1 and ent.text not in person_words:
            # The small model often takes a town for a person ("Alexandria woman charged"). A lone
            # capitalized word that is no part of anyone's full name, is exactly the name of a sizeable
            # place and has no title in front is taken as the place.
            prev = doc[ent.start - 1] if ent.start > 0 else None
            titled = prev is not None and prev.text.rstrip(".").casefold() in PERSON_TITLES
            key = normalize(ent.text)
            hits = gazetteer.lookup_key(key)
            if (
                not titled
                and key not in w.stopwords
                and hits
                and normalize(hits[0].name) == key
                and hits[0].feature in ("PPLC", "PCLI")
                and hits[0].population >= METONYMY_MIN_POPULATION
                and _is_metonymic(ent)
            ):
                claim(Found(ent.start, ent.end, "metonymic", "gazetteer", label=ent.label_))  # "Tbilisi has denied"
            elif (
                not titled
                and ent.root.dep_ not in ("nsubj", "nsubjpass")  # "Anderson said": a person
                and key not in w.stopwords
                and hits
                and normalize(hits[0].name) == key
                and (hits[0].population >= PERSON_OVERRIDE_POPULATION or hits[0].feature in ("PCLI", "ADM1"))
            ):
                claim(Found(ent.start, ent.end, "toponym", "gazetteer", label=ent.label_))
        elif ent.label_ == "MONEY":
            # "11 billion US dollars", "500 Canadian dollars": the currency's country, adjectival.
            for j in range(ent.start, ent.end):
                token = doc[j]
                if not _capitalized(token.text) or token.is_punct:
                    continue
                hits = gazetteer.lookup_key(low[j])
                if gazetteer.demonym(token.text) is not None or (hits and hits[0].feature == "PCLI"):
                    claim(Found(j, j + 1, "adjectival", "embedded", label=ent.label_))
        elif ent.label_ == "NORP":
            start, end = _trim(doc, ent.start, ent.end, gazetteer)
            if gazetteer.demonym(doc[start:end].text) is not None:
                claim(Found(start, end, "adjectival", "ner", label=ent.label_))
        elif ent.label_ == "ORG":
            # Countries and provinces the NER took for organisations ("BAGHDAD", "Iraq" in a heading).
            start, end = _trim(doc, ent.start, ent.end, gazetteer)
            if len(ent) >= 2 and _leading_place(doc, start, end, gazetteer, claim, min_population=50_000):
                continue  # "the Gainesville Police Department", "New York Times"
            key = normalize(doc[start:end].text)
            places = gazetteer.lookup_key(key)
            prominent = (
                bool(places)
                and places[0].feature in PROMINENT_FEATURES
                and (places[0].population >= 1_000_000 or places[0].feature in ("PCLI", "PPLC"))
            )
            nxt = doc[end].lower_ if end < len(doc) else ""
            if (
                nxt in RESIDENT_NOUNS
                and key not in w.stopwords
                and any(normalize(p.name) == key and p.population >= 1000 for p in places[:3])
            ):
                claim(Found(start, end, "toponym", "gazetteer", label=ent.label_))  # "A Rochester man"
                continue
            if prominent and _is_metonymic(doc[start:end]):
                claim(Found(start, end, "metonymic", "gazetteer", label=ent.label_))  # "Washington said"
                continue
            if key in w.stopwords:
                continue
            if prominent:
                claim(Found(start, end, "toponym", "gazetteer", label=ent.label_))
                continue
            # A country or province named inside an organisation ("the Ohio Supreme Court"): a place
            # mention all the same (marked "embedded": never where an event happened).
            for j in range(start, min(end, start + 4)):
                for n in (3, 2, 1):
                    if j + n > end or any(taken[j : j + n]):
                        continue
                    sub = doc[j : j + n]
                    if not all(_capitalized(t.text) for t in sub):
                        continue
                    sub_key = normalize(sub.text)
                    # Adjectival forms are checked before the stopwords ("European" is a stopword
                    # as a town's name, not as Europe's adjective).
                    demonym = gazetteer.demonym(sub.text) if n == 1 else None
                    if sub_key in w.stopwords and demonym is None:
                        continue
                    hits = gazetteer.lookup_key(sub_key)
                    if demonym is not None:
                        claim(Found(j, j + n, "adjectival", "embedded", label=ent.label_))
                    elif hits and hits[0].feature in ("PCLI", "ADM1") and normalize(hits[0].name) == sub_key:
                        claim(Found(j, j + n, "toponym", "embedded", label=ent.label_))
            # A building or site the small model calls an organisation ("Cloverhill District Court",
            # "the University of St. Thomas", "MetroHealth Medical Center"): a place, found as a
            # facility (resolved to a curated entry when there is one, else placed at the article's
            # main town as an unresolved guess).
            if doc[start:end].root.lower_ in w.facility_heads and not any(taken[start:end]):
                claim(Found(start, end, "toponym", "facility", label="FAC"))

    # 3b. "Cooke, Grayson and Love counties": each name of a list before a plural division word is
    #     that division ("Cooke County"), whatever the NER made of the names.
    for i, token in enumerate(doc):
        if token.lower_ not in PLURAL_DIVISIONS:
            continue
        suffix = PLURAL_DIVISIONS[token.lower_]
        j = i - 1
        names: list[int] = []
        while j >= 0 and _capitalized(doc[j].text) and doc[j].is_alpha:
            names.append(j)
            j -= 1
            if j >= 0 and doc[j].lower_ in (",", "and", "or", "&"):
                j -= 1
                if j >= 0 and doc[j].text == "," and j - 1 >= 0 and doc[j - 1].lower_ in ("and", "or"):
                    j -= 1
                continue
            break
        for k in names:
            key = normalize(f"{doc[k].text} {suffix}")
            if key not in gazetteer.index:
                continue
            if claim(Found(k, k + 1, "toponym", "gazetteer", feature_hint="ADM2")):
                found[-1].key = key
                continue
            for item in found:  # already found as a town ("Butler"): it is the county
                if item.start == k and item.end == k + 1:
                    item.key, item.feature_hint, item.kind = key, "ADM2", "toponym"

    # 4. Gazetteer fallback over capitalized runs the NER did not cover.
    i = 0
    while i < len(doc):
        token = doc[i]
        prev = doc[i - 1] if i > 0 else None
        after_preposition = prev is not None and prev.lower_ in w.locative_prepositions
        # The next item of a list of places ("Žilina, Nitra, Prešov and Košice", "the cities of Suwon
        # and Incheon") is a place like a name after "in".
        after_list = (
            prev is not None
            and prev.lower_ in (",", "and", "or")
            and i >= 2
            and taken[i - 2]
            and any(f.end == i - 1 and f.kind == "toponym" for f in found)
        )
        in_place = after_list or (prev is not None and prev.lower_ in PLACE_PREPOSITIONS)
        blocked = token.ent_type_ in FALLBACK_BLOCKING and not (
            (token.ent_type_ == "PERSON" and after_preposition)
            or (token.ent_type_ in MISLABELLED_NAME_LABELS and in_place and _lone_town(token, gazetteer))
        )
        after_preposition = after_preposition or after_list
        blocked = blocked or token.text in person_words
        if blocked and not taken[i] and _capitalized(token.text) and token.ent_type_ in ("ORG", "PERSON"):
            n = _qualified_town(doc, i, gazetteer, taken)
            if n and claim(Found(i, i + n, "toponym", "gazetteer")):
                i += n
                continue
        if taken[i] or not _capitalized(token.text) or blocked or token.is_punct:
            i += 1
            continue
        advanced = False
        for n in range(min(4, len(doc) - i), 0, -1):
            if any(taken[j] or not _capitalized(doc[j].text) or doc[j].is_punct for j in range(i, i + n)):
                continue
            span = doc[i : i + n]
            key = key_of(i, n)
            if not key:
                continue
            demonym = gazetteer.demonym(span.text)
            if key in w.stopwords and (demonym is None or n > 1):
                continue
            if demonym is not None and n == 1 and token.pos_ in ("ADJ", "PROPN", "NOUN"):
                claim(Found(i, i + n, "adjectival", "gazetteer"))
                i += n
                advanced = True
                break
            places = gazetteer.lookup_key(key)
            if not places or token.pos_ not in ("PROPN",):
                continue
            prominent = any(
                p.feature in PROMINENT_FEATURES or p.population >= FALLBACK_MIN_POPULATION for p in places[:3]
            )
            sentence_start = token.is_sent_start or (prev is not None and prev.is_punct and prev.text in "\"'“‘(")
            # A run of two or more capitalized words that is exactly a gazetteer name ("Rapides
            # Parish", "Sadr City") is rarely anything else.
            multiword = n >= 2 and normalize(places[0].name) == key
            # "A Rochester man", "Columbia woman charged": a town's name before a resident noun.
            nxt = doc[i + n].lower_ if i + n < len(doc) else ""
            resident = nxt in RESIDENT_NOUNS and normalize(places[0].name) == key
            if (prominent and not (sentence_start and n == 1)) or after_preposition or multiword or resident:
                kind = "metonymic" if _is_metonymic(span) else "toponym"
                claim(Found(i, i + n, kind, "gazetteer"))
                i += n
                advanced = True
                break
        if not advanced:
            i += 1

    # 5. Names already found elsewhere in the article, where the NER took them for something else
    #    ("Alexandria police" as a person): one sense per discourse, for recognition too.
    # Matched by normalized key, so the dateline's "IMMOKALEE" finds the later "Immokalee".
    known = {f.key: f for f in found if f.kind == "toponym" and f.key}
    if known:
        longest = max(f.end - f.start for f in known.values())
        for i in range(len(doc)):
            if taken[i] or not _capitalized(doc[i].text):
                continue
            for n in range(min(longest, len(doc) - i), 0, -1):
                key = key_of(i, n)
                if key not in known or any(taken[i : i + n]) or not _capitalized(doc[i + n - 1].text):
                    continue
                ent = [e for e in ents if e.start <= i < e.end]
                source = "gazetteer"
                if ent and (ent[0].start != i or ent[0].end != i + n) and ent[0].label_ not in PLACE_LABELS:
                    # Inside a longer name: an organisation's ("the Gainesville Riding Club"), or at
                    # the start of an event's, work's or product's ("the Tianjin No. 2 Detention
                    # Centre"); never inside a person's ("Paris Hilton").
                    if ent[0].label_ != "ORG" and (ent[0].label_ == "PERSON" or ent[0].start != i):
                        continue
                    source = "embedded"
                claim(Found(i, i + n, known[key].kind, source))
                break

    found.sort(key=lambda f: f.start)

    # 6. "Iran-backed", "Saudi-led": adjectival.
    for item in found:
        if (
            item.end + 1 < len(doc)
            and doc[item.end].text in ("-", "–")
            and doc[item.end + 1].lower_ in w.compound_modifiers
        ):
            item.kind = "adjectival"

    # 7. "City, State" qualifiers and AP state abbreviations; "Anbar province" hints.
    by_start = {f.start: k for k, f in enumerate(found)}
    extra: list[Found] = []
    for item in found:
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
                if qualifier.end == nxt + 1 and _state_code(doc[nxt].text):
                    qualifier.state_code = _state_code(doc[nxt].text)
            elif not taken[nxt] and "." in doc[nxt].text and _state_code(doc[nxt].text):
                extra.append(
                    Found(
                        nxt,
                        nxt + 1,
                        "toponym",
                        "gazetteer",
                        state_code=_state_code(doc[nxt].text),
                        key=normalize(doc[nxt].text),
                    )
                )
                item.qualifier = -len(extra)  # patched below
    if extra:
        base = len(found)
        for item in found:
            if item.qualifier is not None and item.qualifier < 0:
                item.qualifier = base + (-item.qualifier - 1)
        found.extend(extra)
    return found
