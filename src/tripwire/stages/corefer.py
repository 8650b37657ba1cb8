"""Merges the repeated mentions of one event inside one article.

News retells its lead event: "Pompeo threatened to close the embassy", later "Pompeo's threat",
"the American threat". An analyst codes that once. A later *noun* mention is folded into an
earlier mention of the same type, mode and status when their actors' countries and their dates
agree (or one side is silent); the first mention keeps its evidence and gains what only the later
one knew. Verb mentions are never folded: "reduced its forces" said twice with other details may
be two events, and a missed merge costs less than a wrong one. Merging across articles is the
job of the merge step of the store, not of this stage.
"""

from __future__ import annotations

from tripwire.document import Document, EventMention
from tripwire.pipeline import stage


def _countries(actors: list) -> set[str]:
    return {actor.country for actor in actors if actor.country}


def _compatible(a: set[str], b: set[str]) -> bool:
    return not a or not b or a == b


def _dates_agree(first: EventMention, later: EventMention) -> bool:
    if first.date.start is None or later.date.start is None:
        return True
    return first.date.start <= (later.date.end or later.date.start) and later.date.start <= (
        first.date.end or first.date.start
    )


def same_event(first: EventMention, later: EventMention) -> bool:
    if later.trigger.pos_ != "NOUN" or first.type != later.type or first.status != later.status:
        return False
    if later.mode and first.mode and later.mode != first.mode:
        return False
    sources_first, sources_later = _countries(first.source), _countries(later.source)
    if not sources_first or not sources_later or sources_first != sources_later:
        return False
    return _compatible(_countries(first.target), _countries(later.target)) and _dates_agree(first, later)


def _absorb(into: EventMention, other: EventMention) -> None:
    into.target = into.target or other.target
    into.mode = into.mode or other.mode
    if into.date.start is None and other.date.start is not None:
        into.date = other.date
    into.location = into.location or other.location
    into.reported_by = into.reported_by or other.reported_by
    into.confidence = round(min(0.99, max(into.confidence, other.confidence) + 0.03), 2)
    into.rule["mentions"] = into.rule.get("mentions", 1) + 1


@stage("corefer")
def corefer(doc: Document) -> None:
    kept: list[EventMention] = []
    for mention in doc.mentions:
        # Prefer the best-argued earlier mention as the one that stays.
        earlier = [m for m in kept if same_event(m, mention)]
        if earlier:
            _absorb(max(earlier, key=lambda m: m.confidence), mention)
            continue
        kept.append(mention)
    doc.mentions = kept
