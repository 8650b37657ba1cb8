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


def _actors(spans: list[Span]) -> list[Actor]:
    return [actor for actor in (actor_from_span(span) for span in spans) if actor is not None]


@stage("actors")
def actors(doc: Document) -> None:
    for mention in doc.mentions:
        mention.source = _actors(mention.source_spans)
        mention.target = _actors(mention.target_spans)
        if mention.reported_by is not None and mention.reported_by.actor is None:
            mention.reported_by.actor = resolve_actor(mention.reported_by.text)
