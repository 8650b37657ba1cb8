"""Which place mention is where an event happened.

Not where its actors come from: in "Turkish troops attacked Kurdish fighters in Afrin" the place is
Afrin, not Turkey. Only toponyms qualify (an adjectival "Turkish", a metonymic "Washington said", a
name inside an organisation's name are not places where something happened). Among the toponyms of
the event's sentence, the parse decides: a place governed by a locative preposition ("in", "at",
"near", "outside") attached to the trigger wins over one attached to an argument, which wins over
one elsewhere in the sentence; places that only modify an actor ("Baghdad police") come last;
finer places beat coarser ones ("in Karrada, Baghdad" is Karrada). When the sentence names no
place, the article's dateline city, else its most-named resolved place, stands in, with a lower
score: `locate()` returns the score and the basis with the location.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING

from tripwire.geo.mention import PlaceMention, words
from tripwire.record import Location

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

    from tripwire.document import Document, EventMention

PRECISION_BONUS = {"point": 0.4, "city": 0.3, "province": 0.15, "country": 0.0}
ATTACHED_TO_TRIGGER = 3.0
ATTACHED_TO_ARGUMENT = 2.0
UNDER_TRIGGER = 1.0
IN_SENTENCE = 0.5
ACTOR_MODIFIER = -2.0
DISTANCE_PENALTY = 0.02  # per token between trigger and place
SENTENCE_BASIS_SCORE = 0.9
DATELINE_BASIS_SCORE = 0.5
DOCUMENT_BASIS_SCORE = 0.35


@dataclass
class Located:
    location: Location
    place: PlaceMention
    score: float  # 0..1: how sure the place is where the event happened
    basis: str  # sentence | dateline | document


def to_location(place: PlaceMention) -> Location:
    return Location(
        text=place.text,
        name=place.name,
        country=place.country,
        admin1=place.admin1,
        lat=place.lat,
        lon=place.lon,
        geonameid=place.geonameid,
        precision=place.precision,
    )


def _eligible(place: PlaceMention) -> bool:
    # `entry is None`: a name the gazetteer lacks, placed only by guess at the article's town.
    return place.kind == "toponym" and place.source != "embedded" and place.lat is not None and place.entry is not None


def _root(doc: Document, place: PlaceMention) -> Token | None:
    span = doc.spacy_doc.char_span(place.start, place.end, alignment_mode="expand") if doc.spacy_doc else None
    return span.root if span is not None else None


def _within(token: Token, spans: list[Span]) -> bool:
    return any(span.start <= token.i < span.end for span in spans)


def _is_verbal(event_type: str) -> bool:
    """Verbal cooperation or conflict (quads 1 and 3): statements, whose actors are not places."""
    from tripwire.ontology import load_ontology

    ontology = load_ontology()
    return event_type in ontology.types and ontology.quad(event_type) in (1, 3)


def _score_in_sentence(place: PlaceMention, root: Token, mention: EventMention) -> float:
    w = words()
    trigger = mention.trigger
    actors = list(mention.source_spans) + list(mention.target_spans)
    named_as = list(mention.source_spans) + (list(mention.target_spans) if _is_verbal(mention.type) else [])
    if _within(root, named_as) and root.dep_ not in ("compound", "amod", "poss", "nmod"):
        # "Washington killed ...", "accusing Nairobi of backing the militia": a place named as the
        # doer (or as the side of a verbal event) is its government by metonymy, not where anything
        # happened. A place that is the target of an act ("rockets hit the green zone") still is.
        return -1.0
    score = PRECISION_BONUS.get(place.precision or "", 0.0) + place.score * 0.2
    # Climb "Karrada, Baghdad" (appos) and "villages near Afrin" chains to the preposition.
    token = root
    while token.dep_ in ("appos", "conj", "compound") and token.head is not token:
        token = token.head
    head = token.head
    if token.dep_ == "pobj" and head.lower_ in w.locative_prepositions:
        attach = head.head
        if attach == trigger or attach.i in range(mention.trigger_span.start, mention.trigger_span.end):
            score += ATTACHED_TO_TRIGGER
        elif _within(attach, actors) or attach.head == trigger or trigger.is_ancestor(attach):
            score += ATTACHED_TO_ARGUMENT
        else:
            score += IN_SENTENCE
    elif token.head == trigger and token.dep_ in ("dobj", "nsubj", "nsubjpass", "attr", "npadvmod"):
        score += ATTACHED_TO_TRIGGER  # "rockets hit the green zone": the place is the argument
    elif trigger.is_ancestor(root):
        score += UNDER_TRIGGER
    else:
        score += IN_SENTENCE
    if root.dep_ in ("compound", "amod", "poss", "nmod") and _within(root.head, actors):
        score += ACTOR_MODIFIER  # "Baghdad police", "Iraq's army": the actor's home, not the event's place
    score -= DISTANCE_PENALTY * abs(root.i - trigger.i)
    return score


def locate(mention: EventMention, doc: Document) -> Located | None:
    """The event's place with a score and the basis it was chosen on, or None."""
    places = [p for p in doc.places if isinstance(p, PlaceMention) and _eligible(p)]
    if not places:
        return None
    sentence = mention.sentence
    scored: list[tuple[float, PlaceMention]] = []
    for place in places:
        if not (sentence.start_char <= place.start < sentence.end_char):
            continue
        root = _root(doc, place)
        if root is None:
            continue
        scored.append((_score_in_sentence(place, root, mention), place))
    if scored:
        best_score, best = max(scored, key=lambda item: item[0])
        if best_score > 0:
            confidence = SENTENCE_BASIS_SCORE * (0.5 + 0.5 * best.score)
            return Located(to_location(best), best, round(confidence, 3), "sentence")
    return _fallback(places, [p for p in doc.places if isinstance(p, PlaceMention)])


def _fallback(places: list[PlaceMention], everything: list[PlaceMention]) -> Located | None:
    """The article's own place: its dateline, else, within the country the article names most (in
    any kind of mention: "Iraqi", "Baghdad said" count), the resolved place it names most (finest
    first), so an article about Iraq that quotes Washington often still falls back to Iraq."""
    for place in places:
        if place.dateline and place.resolved:
            return Located(to_location(place), place, DATELINE_BASIS_SCORE, "dateline")
    resolved = [p for p in places if p.resolved]
    if not resolved:
        return None
    countries = Counter(p.country for p in everything if p.resolved and p.country)
    if countries:
        top = countries.most_common(1)[0][0]
        resolved = [p for p in resolved if p.country == top] or resolved
    counts = Counter(p.entry for p in resolved)
    rank = {"point": 3, "city": 3, "province": 2, "country": 1}

    def key(p: PlaceMention) -> tuple[int, int, int]:
        return (rank.get(p.precision or "", 0) >= 2, counts[p.entry], -p.start)

    best = max(resolved, key=key)
    return Located(to_location(best), best, DOCUMENT_BASIS_SCORE, "document")


def event_location(mention: EventMention, doc: Document) -> Location | None:
    """Where the event happened (see the module docstring), or None when the article names no place."""
    located = locate(mention, doc)
    return located.location if located else None
