"""Deciding which place each recognized name is (resolution), by evidence from the whole article.

Each candidate gets a score: a prior (population on a log scale, the kind of feature: a country or a
capital is named more often than a hamlet of the same name) plus evidence from the article: the
countries and first-order divisions it mentions, the other places already resolved (nearby
candidates win), a qualifier ("Paris, Texas"; "Alexandria, La."), a hint ("Anbar province"), the
outlet's home (`GeoContext`), a county named with its seat ("Paris" and "Henry County" are both in
Tennessee). A US state's bare name is the state, not a village named after it. The article is
read three times: priors only, then twice with the evidence of the previous round, so one
unambiguous name ("Tbilisi") settles another ("Georgia").
One sense per discourse: every mention of the same name gets the same place unless its own
qualifier says otherwise. The score of the answer is its share of a softmax over the candidates; a
name whose best share is low is returned with `resolved=False`.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from tripwire.geo.gazetteer import Gazetteer, Place, haversine_km, normalize, precision_of
from tripwire.geo.mention import GeoContext, PlaceMention
from tripwire.geo.recognize import Found

if TYPE_CHECKING:
    from spacy.tokens import Doc

FEATURE_PRIOR = {
    "PCLI": 0.6,
    "CONT": 0.5,
    "PPLC": 0.6,
    "ADM1": 0.3,
    "SEA": 0.3,
    "OCN": 0.3,
    "GULF": 0.3,
    "STRT": 0.3,
    "RGN": 0.2,
    "PEN": 0.2,
    "AIRP": 0.2,
    "MILB": 0.2,
    "ZN": 0.2,
    "PSTB": 0.2,
    "STM": 0.2,
    "BLDG": 0.2,
    "SQR": 0.1,
    "PPLX": 0.1,
    "ADM2": -0.1,
}
EXACT_NAME_BONUS = 0.3
ALTERNATE_NAME_PENALTY = -0.4
ALTERNATE_NAME_MIN_POPULATION = 20_000
POPULATION_SCALE = 5.0  # log10(population) / 5: a city ten times larger gains 0.2
# Evidence of the same province or a nearby point counts only for a candidate called by that very
# name: an alternate name of a small town ("Washington" among Watervliet's old names, a namesake
# "Boston" in New York state) must not beat the famous place because the article is nearby.
ALTERNATE_LOCAL_FACTOR = 0.0
COUNTRY_EVIDENCE = 0.5
ADMIN1_EVIDENCE = 0.9
PROXIMITY_EVIDENCE = 0.6
PROXIMITY_SCALE_KM = 100.0
QUALIFIER_MATCH = 2.0
QUALIFIER_MISMATCH = -1.0
SAME_NAME_QUALIFIED = 1.0
SOFTMAX_SHARPNESS = 4.0
RESOLVED_MIN_SHARE = 0.35
RESOLVED_MIN_MARGIN = 0.45
MAX_CANDIDATES = 60
ROUNDS = 3
# Entity labels whose unknown names get the article's main town as a guess (see below).
GUESSABLE_LABELS = frozenset({"FAC", "LOC", "GPE"})
LOCAL_MAX_POPULATION = 1_000_000
EVIDENCE_MIN_SHARE = 0.3  # an answer must be at least this sure to count as evidence for others
METONYMY_BONUS = 0.5  # "Washington said": a capital or a country, not a state or a village
# The outlet's home division (`GeoContext.admin1`, e.g. "US-GA"): as strong as a division the
# article names itself, since a local paper's bare "Athens" is its own.
HOME_ADMIN1_EVIDENCE = 1.2
# The outlet's home country, on top of counting as a country the article names: a Canadian paper's
# "London" is the Ontario one unless the article says otherwise.
HOME_COUNTRY_EVIDENCE = 0.5
# The article's own home: the division of its dateline, else the one most of its confidently
# resolved local names are in (at least two names, more than any other division). Counts on top
# of ADMIN1_EVIDENCE, which every division the article names gets.
INFERRED_HOME_EVIDENCE = 0.4
INFERRED_HOME_MIN_NAMES = 2
# A county and its seat named in the same article ("Huntsville and Walker County"): each candidate
# of the pair gains this much (a name that is also a capital, country or state never pairs).
SEAT_EVIDENCE = 1.0
# A US state's exact name ("Kansas", "California") means the state: towns named after a state
# (Kansas, Illinois; California, Maryland) are read only when a qualifier says so. Larger towns of
# such a name (Wyoming, Michigan) stay candidates and compete on evidence.
STATE_NAME_TOWN_MAX_POPULATION = 50_000
# Features that make a name well known beyond any county seat that shares it (`_county_seat_pairs`).
WELL_KNOWN_FEATURES = frozenset({"PCLI", "PPLC", "ADM1"})


@dataclass
class _Item:
    found: Found
    text: str
    candidates: list[Place]
    choice: int = -1  # index into candidates
    share: float = 0.0
    margin: float = math.inf
    scores: list[float] = field(default_factory=list)
    priors: list[float] = field(default_factory=list)


def _prior(place: Place, key: str) -> float:
    score = math.log10(place.population + 10) / POPULATION_SCALE + FEATURE_PRIOR.get(place.feature, 0.0)
    # Curated entries (no GeoNames id) list only names they are really called by.
    if (place.geonameid is None and place.feature not in ("ADM1", "ADM2")) or normalize(place.name) == key:
        score += EXACT_NAME_BONUS
    elif place.population < ALTERNATE_NAME_MIN_POPULATION:
        # Alternate names of small places are full of old names, misspellings and neighbours'
        # names ("Chinatown" for a Nevada town): weak evidence.
        score += ALTERNATE_NAME_PENALTY
    return score


def _candidates(found: Found, text: str, gazetteer: Gazetteer) -> list[Place]:
    if found.state_code:
        place = gazetteer.admin1_by_key.get(f"US.{found.state_code}")
        return [place] if place else []
    if found.kind == "adjectival":
        country = gazetteer.demonym(text)
        if country is not None:
            return [country]
    places = gazetteer.lookup_key(found.key)
    if not places:
        for variant in _variants(found.key):
            places = gazetteer.lookup_key(variant)
            if places:
                break
    if found.qualifier is None and any(
        p.feature == "ADM1" and p.country == "USA" and normalize(p.name) == found.key for p in places
    ):
        places = [p for p in places if not (p.feature == "PPL" and p.population < STATE_NAME_TOWN_MAX_POPULATION)]
    if found.feature_hint:
        wanted = ("ADM1", "PCLI", "RGN") if found.feature_hint == "ADM1" else ("ADM2", "ADM1")
        hinted = [p for p in places if p.feature in wanted]
        if hinted:
            places = hinted
    # Drop duplicates: the same place under two entries (a city and its second-level division).
    unique: list[Place] = []
    seen: set[tuple] = set()
    for place in places[:MAX_CANDIDATES]:
        ident = (place.country, place.admin1_key if place.lat is None else (round(place.lat, 1), round(place.lon, 1)))
        if ident in seen and place.feature not in ("PCLI", "ADM1"):
            continue
        seen.add(ident)
        unique.append(place)
    return unique


def _variants(key: str) -> list[str]:
    """Other lookup keys for a name not found as written ("Anbar province", "al-Qaim", "Baghdad's")."""
    out = []
    for suffix in (" province", " governorate", " state", " region", " district", " city", " county", " s"):
        if key.endswith(suffix):
            out.append(key[: -len(suffix)])
    for prefix in ("al ", "el ", "as ", "an ", "ad ", "ash ", "ar "):
        if key.startswith(prefix):
            out.append(key[len(prefix) :])
    if not key.startswith("al "):
        out.append("al " + key)
    return out


def _inferred_home(items: list[_Item]) -> str | None:
    """The division the article is at home in, from its own names: the dateline's, else the one
    with the most confidently resolved local names (at least two, and more than any other)."""
    counts: Counter = Counter()
    names: dict[str, set[str]] = {}
    for item in items:
        if item.choice < 0 or item.share < EVIDENCE_MIN_SHARE or item.found.kind != "toponym":
            continue
        place = item.candidates[item.choice]
        if not place.admin1_key or place.feature in ("PCLI", "CONT"):
            continue
        if item.found.dateline:
            return place.admin1_key
        if place.feature == "PPLC" or place.population >= LOCAL_MAX_POPULATION:
            continue
        names.setdefault(place.admin1_key, set()).add(item.found.key)
    for admin1, keys in names.items():
        counts[admin1] = len(keys)
    ranked = counts.most_common(2)
    if not ranked or ranked[0][1] < INFERRED_HOME_MIN_NAMES:
        return None
    if len(ranked) > 1 and ranked[1][1] == ranked[0][1]:
        return None
    return ranked[0][0]


def context_admin1_keys(context: GeoContext, gazetteer: Gazetteer) -> frozenset[str]:
    """GeoNames-style keys ("US.GA") of the divisions a context names by ISO 3166-2 code ("US-GA"),
    key or name ("Georgia" needs the context's country to say which)."""
    keys: set[str] = set()
    for value in context.admin1:
        value = value.strip()
        if not value:
            continue
        if value in gazetteer.admin1_by_key:
            keys.add(value)
            continue
        code = value.replace("-", ".", 1)
        if code in gazetteer.admin1_by_key:
            keys.add(code)
            continue
        name = value
        if "-" in value and value.split("-", 1)[0].isupper():
            try:
                import pycountry

                sub = pycountry.subdivisions.get(code=value.upper())
            except (ImportError, LookupError, KeyError):
                sub = None
            name = sub.name if sub is not None else value
        for place in gazetteer.lookup(name):
            if (
                place.feature == "ADM1"
                and place.admin1_key
                and (not context.countries or place.country in context.countries)
            ):
                keys.add(place.admin1_key)
                break
    return frozenset(keys)


def _evidence(items: list[_Item], context: GeoContext) -> dict[str, tuple[Counter, Counter, list]]:
    """Per lookup key: the countries, divisions and points named by the *other* names."""
    countries: dict[str, Counter] = {}
    admin1: dict[str, Counter] = {}
    points: dict[str, list[tuple[float, float]]] = {}
    for item in items:
        if item.choice < 0 or item.share < EVIDENCE_MIN_SHARE:
            continue
        place = item.candidates[item.choice]
        key = item.found.key
        if place.country:
            countries.setdefault(key, Counter())[place.country] += 1
        # Capitals and metropolises are named from anywhere: they say which country an article
        # is about, not which district, so only smaller places give local evidence.
        if place.feature == "PPLC" or (place.population >= LOCAL_MAX_POPULATION and place.feature != "ADM1"):
            continue
        if place.admin1_key:
            admin1.setdefault(key, Counter())[place.admin1_key] += 1
        if place.lat is not None and place.feature not in ("PCLI", "CONT", "SEA", "OCN", "GULF", "RGN", "ADM1"):
            points.setdefault(key, []).append((place.lat, place.lon))
    result: dict[str, tuple[Counter, Counter, list]] = {}
    keys = {item.found.key for item in items}
    for key in keys:
        c: Counter = Counter({code: 1 for code in context.countries})
        a: Counter = Counter()
        p: list[tuple[float, float]] = [context.home] if context.home else []
        for other, counter in countries.items():
            if other != key:
                c.update(counter)
        for other, counter in admin1.items():
            if other != key:
                a.update(counter)
        for other, pts in points.items():
            if other != key:
                p.extend(pts)
        result[key] = (c, a, p)
    return result


def _score(
    item: _Item,
    items: list[_Item],
    evidence: tuple[Counter, Counter, list] | None,
    qualified: dict[str, Place],
    home_admin1: frozenset[str] = frozenset(),
    inferred_home: str | None = None,
    home_countries: tuple[str, ...] = (),
    seats: frozenset[int] = frozenset(),
) -> list[float]:
    key = item.found.key
    qualifier = None
    if item.found.qualifier is not None:
        q = items[item.found.qualifier]
        if q.choice >= 0:
            qualifier = q.candidates[q.choice]
    scores = []
    if not item.priors:
        item.priors = [_prior(place, key) for place in item.candidates]
    for place, prior in zip(item.candidates, item.priors, strict=True):
        s = prior
        if item.found.kind == "metonymic" and place.feature in ("PPLC", "PCLI"):
            s += METONYMY_BONUS
        if place.index in seats:
            s += SEAT_EVIDENCE
        if home_countries and place.country in home_countries and place.feature not in ("PCLI", "CONT"):
            s += HOME_COUNTRY_EVIDENCE
        if place.admin1_key and (place.geonameid is None or normalize(place.name) == key):
            if place.admin1_key in home_admin1:
                s += HOME_ADMIN1_EVIDENCE
            if place.admin1_key == inferred_home:
                s += INFERRED_HOME_EVIDENCE
        if evidence is not None:
            countries, admin1, points = evidence
            if place.country and countries.get(place.country):
                s += COUNTRY_EVIDENCE + 0.05 * min(countries[place.country], 4)
            local = 1.0 if place.geonameid is None or normalize(place.name) == key else ALTERNATE_LOCAL_FACTOR
            if place.admin1_key and admin1.get(place.admin1_key):
                s += ADMIN1_EVIDENCE * local
            if points and place.lat is not None:
                nearest = min(haversine_km(place.lat, place.lon, lat, lon) for lat, lon in points[:50])
                s += PROXIMITY_EVIDENCE * local * math.exp(-nearest / PROXIMITY_SCALE_KM)
        if qualifier is not None:
            if qualifier.feature == "PCLI":
                s += QUALIFIER_MATCH if place.country == qualifier.country else QUALIFIER_MISMATCH
            elif qualifier.admin1_key:
                s += QUALIFIER_MATCH if place.admin1_key == qualifier.admin1_key else QUALIFIER_MISMATCH
        elif key in qualified and qualified[key].index == place.index:
            s += SAME_NAME_QUALIFIED
        scores.append(s)
    return scores


def _choose(item: _Item, scores: list[float]) -> None:
    item.scores = scores
    if not scores:
        item.choice, item.share = -1, 0.0
        return
    best = max(range(len(scores)), key=scores.__getitem__)
    top = scores[best]
    total = sum(math.exp(SOFTMAX_SHARPNESS * (s - top)) for s in scores)
    item.choice, item.share = best, 1.0 / total
    runner_up = max((s for k, s in enumerate(scores) if k != best), default=-math.inf)
    item.margin = top - runner_up


def resolve(
    doc: Doc, found: list[Found], gazetteer: Gazetteer, context: GeoContext | None = None
) -> list[PlaceMention]:
    context = context or GeoContext()
    home_admin1 = context_admin1_keys(context, gazetteer) if context.admin1 else frozenset()
    items = []
    for f in found:
        text = doc[f.start : f.end].text
        items.append(_Item(f, text, _candidates(f, text, gazetteer)))
    seats = _county_seat_pairs(items)
    evidence = None
    inferred_home: str | None = None
    for _round in range(ROUNDS):
        qualified = {
            item.found.key: item.candidates[item.choice]
            for item in items
            if item.found.qualifier is not None and item.choice >= 0
        }
        # Qualifiers first, so "Texas" is settled before "Paris".
        order = sorted(range(len(items)), key=lambda k: items[k].found.qualifier is not None)
        # One sense per discourse: score each name once, from the mention with the most evidence.
        for k in order:
            item = items[k]
            ev = evidence.get(item.found.key) if evidence is not None else None
            pair = seats.get(k, frozenset())
            _choose(item, _score(item, items, ev, qualified, home_admin1, inferred_home, context.countries, pair))
        _one_sense(items)
        evidence = _evidence(items, context)
        inferred_home = _inferred_home(items) if INFERRED_HOME_EVIDENCE else None
    mentions = [_mention(doc, item, items, gazetteer) for item in items]
    _place_unknown_facilities(items, mentions)
    return mentions


def _county_seat_pairs(items: list[_Item]) -> dict[int, frozenset[int]]:
    """Per item, the candidates that a county-and-seat pair in the article supports: "Huntsville"
    and "Walker County" are both in Texas, whose seat Huntsville is. A county's point is its seat's
    (us_county_seats.tsv), so the pair is a county candidate of one name and a town candidate,
    called by its very name, of another name at the same point.

    A name that is also a country, a capital or a state ("Lebanon", "Paris", "Rome") never takes
    the town role: "a soldier from Warren County was killed in Lebanon" is not about Lebanon, Ohio,
    and the pair's evidence would outweigh every prior. Paris, Tennessee then needs other evidence
    (the state named, the outlet's home)."""
    roles: list[list[tuple[Place, str]]] = []  # per item, its candidates that may pair, with their role
    for item in items:
        well_known = any(p.feature in WELL_KNOWN_FEATURES for p in item.candidates)
        with_role = ((place, _seat_role(place, item.found.key, well_known)) for place in item.candidates)
        roles.append([(place, role) for place, role in with_role if role])
    at_point: dict[str, dict[tuple[float, float], set[str]]] = {"county": {}, "town": {}}
    for item, pairable in zip(items, roles, strict=True):
        for place, role in pairable:
            at_point[role].setdefault((place.lat, place.lon), set()).add(item.found.key)
    if not at_point["county"] or not at_point["town"]:
        return {}
    pairs: dict[int, frozenset[int]] = {}
    for k, (item, pairable) in enumerate(zip(items, roles, strict=True)):
        key = item.found.key
        chosen = set()
        for place, role in pairable:
            partner = "town" if role == "county" else "county"
            if at_point[partner].get((place.lat, place.lon), set()) - {key}:
                chosen.add(place.index)
        if chosen:
            pairs[k] = frozenset(chosen)
    return pairs


def _seat_role(place: Place, key: str, well_known: bool) -> str | None:
    """A candidate's part in a county-and-seat pair: "county" for a US county with a point (its
    seat's), "town" for a US town called by its very name that may be a seat, else None."""
    if place.lat is None or place.country != "USA":
        return None
    if place.feature == "ADM2" and place.geonameid is None:
        return "county"
    if place.feature in ("PPL", "PPLC") and normalize(place.name) == key and not well_known:
        return "town"
    return None


def _place_unknown_facilities(items: list[_Item], mentions: list[PlaceMention]) -> None:
    """A street, building, landmark or hamlet the gazetteer lacks ("Memphis St.", "the Cottonport
    Fire Station", "Oakport Township") is almost always in or near the town the article is about:
    give it that town's point, as an unresolved guess at city precision, so a map shows it in the
    right place and says it guessed. An article that names no town lends its most-named county,
    province or country instead, at that precision."""
    home = _most_named(items, mentions, ("PPL", "PPLC", "PPLX")) or _most_named(
        items, mentions, ("ADM2", "ADM1", "PCLI")
    )
    if home is None:
        return
    for item, mention in zip(items, mentions, strict=True):
        if mention.entry is None and item.found.label in GUESSABLE_LABELS and mention.kind == "toponym":
            mention.lat, mention.lon = home.lat, home.lon
            mention.country, mention.admin1 = home.country, home.admin1
            mention.precision = home.precision
            mention.score, mention.resolved = 0.1, False


def _most_named(items: list[_Item], mentions: list[PlaceMention], features: tuple[str, ...]) -> PlaceMention | None:
    """The confidently resolved place of these features the article names most (first on ties)."""
    counts: Counter = Counter()
    first: dict[int, PlaceMention] = {}
    for item, mention in zip(items, mentions, strict=True):
        if mention.entry is None or mention.lat is None or mention.feature not in features or item.share < 0.5:
            continue
        counts[mention.entry] += 1
        first.setdefault(mention.entry, mention)
    if not counts:
        return None
    return first[max(counts, key=lambda e: (counts[e], -first[e].start))]


def _one_sense(items: list[_Item]) -> None:
    """Unqualified mentions of one name take the answer of the most confident of them."""
    groups: dict[str, list[_Item]] = {}
    for item in items:
        if item.found.qualifier is None and item.found.state_code is None and item.found.kind != "adjectival":
            groups.setdefault(item.found.key, []).append(item)
    for group in groups.values():
        if len(group) < 2:
            continue
        best = max(group, key=lambda it: it.share)
        for item in group:
            if item.candidates and best.choice >= 0:
                item.choice, item.share, item.scores = best.choice, best.share, best.scores
                item.margin = best.margin


def _mention(doc: Doc, item: _Item, items: list[_Item], gazetteer: Gazetteer) -> PlaceMention:
    span = doc[item.found.start : item.found.end]
    mention = PlaceMention(
        start=span.start_char,
        end=span.end_char,
        text=span.text,
        kind=item.found.kind,
        source=item.found.source,
        dateline=item.found.dateline,
    )
    mention.candidates = tuple((p.geonameid, p.lat, p.lon) for p in item.candidates)
    if item.choice < 0:
        return mention
    place = item.candidates[item.choice]
    lat, lon = place.lat, place.lon
    if lat is None:
        lat, lon = _place_from_context(place, items, gazetteer)
    mention.name = place.name
    mention.lat = None if lat is None else round(lat, 5)
    mention.lon = None if lon is None else round(lon, 5)
    mention.geonameid = place.geonameid
    mention.country = place.country
    mention.admin1 = place.admin1
    mention.admin1_key = place.admin1_key
    mention.feature = place.feature
    mention.precision = precision_of(place.feature)
    mention.score = round(item.share, 3)
    # Confident when the answer holds most of the probability mass, or clearly beats the runner-up
    # (25 "Franklin County"s share the mass, yet Ohio's may be plainly the one).
    confident = item.share >= RESOLVED_MIN_SHARE or item.margin >= RESOLVED_MIN_MARGIN
    mention.resolved = confident and lat is not None
    mention.entry = place.index
    return mention


def _place_from_context(place: Place, items: list[_Item], gazetteer: Gazetteer) -> tuple[float | None, float | None]:
    """A point for an entry without one (a US county): the article's most named place in the same
    state, else the state's point. Counties are small, so that is usually within 50 km."""
    # The county's namesake town in the same state is often its seat ("Orange County" - Orange).
    stem = normalize(place.name).removesuffix(" county").removesuffix(" parish").removesuffix(" borough")
    namesakes = [
        p
        for p in gazetteer.lookup_key(stem)
        if p.admin1_key == place.admin1_key and p.lat is not None and p.feature in ("PPL", "PPLC")
    ]
    if namesakes:
        return namesakes[0].lat, namesakes[0].lon
    counts: Counter = Counter()
    where: dict[int, Place] = {}
    for item in items:
        if item.choice < 0:
            continue
        other = item.candidates[item.choice]
        if other.lat is not None and other.admin1_key == place.admin1_key and other.feature in ("PPL", "PPLC", "PPLX"):
            counts[other.index] += 1
            where[other.index] = other
    if counts:
        best = where[counts.most_common(1)[0][0]]
        return best.lat, best.lon
    state = gazetteer.admin1_by_key.get(place.admin1_key or "")
    if state is not None:
        return state.lat, state.lon
    return None, None
