"""Resolves every actor span (and every cited source) through the actor knowledge base."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tripwire.actors import resolve_actor
from tripwire.document import Document
from tripwire.pipeline import stage
from tripwire.record import Actor

if TYPE_CHECKING:
    from spacy.tokens import Span


def actor_from_span(span: Span) -> Actor:
    words = [token.text for token in span if not token.is_space]
    return resolve_actor(span.text, words)


@stage("actors")
def actors(doc: Document) -> None:
    for mention in doc.mentions:
        mention.source = [actor_from_span(span) for span in mention.source_spans]
        mention.target = [actor_from_span(span) for span in mention.target_spans]
        if mention.reported_by is not None and mention.reported_by.actor is None:
            mention.reported_by.actor = resolve_actor(mention.reported_by.text)
