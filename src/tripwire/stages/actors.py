"""Resolves every actor span (and every cited source) through the actor knowledge base."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tripwire.actors import resolve_actor
from tripwire.document import Document
from tripwire.pipeline import stage
from tripwire.record import Actor

if TYPE_CHECKING:
    from spacy.tokens import Span


ACTOR_ENTITIES = frozenset({"PERSON", "ORG", "NORP", "GPE"})


def actor_from_span(span: Span) -> Actor | None:
    """The actor a span names, or None when the span names no actor at all ("property", "a
    boast"): an unknown *name* is kept with null codes, a common noun that resolves to nothing is
    not an actor. "Iraq's security" is Iraq."""
    quotes = ("“", "”", '"', "‘", "’")
    words = [token.text for token in span if not token.is_space and token.text not in quotes]
    text = span.text.strip().strip("".join(quotes)).replace("“", "").replace("”", "")
    actor = resolve_actor(text, words)
    if actor.country or actor.sector:
        return actor
    for token in span:
        if token.dep_ == "poss" and not token.is_punct:
            owner = resolve_actor(token.text, [token.text])
            if owner.country or owner.sector:
                return owner
    if any(token.pos_ == "PROPN" or token.ent_type_ in ACTOR_ENTITIES for token in span):
        return actor
    return None


def _place_country(span: Span) -> str | None:
    """The country of a place named in or after the phrase: "Rebels in the Ivory Coast",
    "the Albanians of southern Serbia", "Darfur rebels". Where people are is how event data codes
    them (a demonym says their ethnicity, not their state)."""
    places = [t for t in span if t.ent_type_ in ("GPE", "LOC")]
    head = span.root
    for prep in head.children:
        if prep.dep_ == "prep" and prep.lower_ in ("in", "of", "from"):
            places += [t for t in prep.subtree if t.ent_type_ in ("GPE", "LOC")]
    if not places:
        return None
    from tripwire.geo import load_gazetteer

    gazetteer = load_gazetteer()
    for token in places:
        entity = next((e for e in token.doc.ents if e.start <= token.i < e.end), None)
        name = entity.text if entity is not None else token.text
        found = resolve_actor(name)
        if found.country:
            return found.country
        candidates = gazetteer.lookup(name)
        if candidates and candidates[0].country:
            return candidates[0].country
    return None


def _with_place_country(span: Span, actor: Actor | None) -> Actor | None:
    if actor is None:
        return None
    country = _place_country(span)
    head_is_demonym = span.root.ent_type_ == "NORP" or span.root.tag_ in ("NNPS",)
    if country and (actor.country is None or (head_is_demonym and country != actor.country)):
        return Actor(text=actor.text, name=actor.name or actor.text, country=country, sector=actor.sector)
    return actor


def _actors(spans: list[Span]) -> list[Actor]:
    found = (_with_place_country(span, actor_from_span(span)) for span in spans)
    return [actor for actor in found if actor is not None]


@stage("actors")
def actors(doc: Document) -> None:
    for mention in doc.mentions:
        mention.source = _actors(mention.source_spans)
        mention.target = _actors(mention.target_spans)
        if mention.reported_by is not None and mention.reported_by.actor is None:
            mention.reported_by.actor = resolve_actor(mention.reported_by.text)
