"""Turns the working event mentions into the public event records."""

from __future__ import annotations

from tripwire.acled import acled_view
from tripwire.document import Document, EventMention
from tripwire.ontology import load_ontology
from tripwire.pipeline import stage
from tripwire.record import Event, Evidence, event_id_for


def to_event(mention: EventMention, article_id: str) -> Event:
    ontology = load_ontology()
    sentence = mention.sentence
    raw = sentence.text
    start = sentence.start_char + (len(raw) - len(raw.lstrip()))
    text = raw.strip()
    trigger_start = mention.trigger.idx
    return Event(
        event_id=event_id_for(article_id, trigger_start, mention.type, mention.mode),
        article_id=article_id,
        type=mention.type,
        mode=mention.mode,
        status=mention.status,
        contexts=list(mention.contexts),
        source=list(mention.source),
        target=list(mention.target),
        date=mention.date,
        location=mention.location,
        casualties=mention.casualties,
        reported_by=mention.reported_by,
        evidence=Evidence(
            sentence=text,
            start=start,
            end=start + len(text),
            trigger=mention.trigger.text,
            origin=mention.origin,
        ),
        confidence=mention.confidence,
        intensity=ontology.intensity(mention.type, mention.mode),
        acled=acled_view(
            mention.type,
            mention.mode,
            mention.source,
            mention.target,
            mention.contexts,
            mention.status,
            killed=mention.casualties.killed,
        ),
    )


@stage("assemble")
def assemble(doc: Document) -> None:
    doc.events = [to_event(mention, doc.article.article_id) for mention in doc.mentions]
