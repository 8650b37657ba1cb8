"""Gives each event the date of the time expression that belongs to it.

An expression belongs to the trigger it is closest to in the dependency tree ("threatened ...
during a phone call *a week ago*" dates the threat; "*On Monday*, five were killed" dates the
killing). Expressions that are durations ("for the long term") date nothing. With no publication
date, relative expressions stay unresolved and the article says so in its warnings.

A reported event whose sentence has no date of its own continues the narration of the sentence
before it in the same paragraph ("On Monday gunmen stormed the village. They killed five
people."), so it takes that sentence's date, with the expression it came from as `text`. Only past
tense on both sides: "will retaliate" after "attacked on Monday" is not a Monday event. Never
across paragraphs, where reports change subject too often.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from tripwire.document import Document, EventMention
from tripwire.pipeline import stage
from tripwire.timex import find_time_expressions, resolve_published, resolve_time, time_kind, verb_tense

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

NO_PUBLICATION_DATE = "no publication date known: relative dates are left unresolved (give --published)"


def _depth_path(token: Token) -> list[int]:
    path = [token.i]
    while token.head.i != token.i:
        token = token.head
        path.append(token.i)
    return path


def tree_distance(a: Token, b: Token) -> int:
    """Edges between two tokens of one sentence in the dependency tree."""
    up_a, up_b = _depth_path(a), _depth_path(b)
    position_b = {index: depth for depth, index in enumerate(up_b)}
    for depth_a, index in enumerate(up_a):
        if index in position_b:
            return depth_a + position_b[index]
    return len(up_a) + len(up_b)


def _in_other_clause(expression: Span, trigger: Token) -> bool:
    """'reducing its forces sent to help defeat ISIS from 2014 to 2017': the years belong to a
    clause that only describes the forces, not to the reducing."""
    trigger_line = {trigger.i, *(t.i for t in trigger.ancestors)}
    token = expression.root
    while token.i not in trigger_line and token.head.i != token.i:
        if token.pos_ == "VERB" and token.dep_ in ("acl", "relcl", "advcl") and token.i != trigger.i:
            return True
        token = token.head
    return False


def _closest_expression(mention: EventMention, expressions: list[Span]) -> Span | None:
    best: tuple[int, Span] | None = None
    for span in expressions:
        if _in_other_clause(span, mention.trigger):
            continue
        distance = tree_distance(mention.trigger, span.root)
        if best is None or distance < best[0]:
            best = (distance, span)
    return best[1] if best else None


def _tense(mention: EventMention) -> str | None:
    token = mention.trigger
    while token.pos_ not in ("VERB", "AUX") and token.head.i != token.i:
        token = token.head
    return verb_tense(token)


def _block_start(doc: Document, offset: int) -> int:
    """The start of the block holding a character offset (-1 for text outside every block)."""
    for block in doc.blocks:
        if block.start <= offset < block.end:
            return block.start
    return -1


def _inherit_from_previous_sentence(doc: Document) -> None:
    """Date undated past-tense events from the past-tense events of the sentence just before."""
    dated_past: dict[int, EventMention] = {}  # sentence start -> a dated past-tense mention in it
    for mention in sorted(doc.mentions, key=lambda m: m.trigger.i):
        sentence = mention.sentence
        if _tense(mention) != "past":
            continue
        if mention.date.start is None and mention.time_span is None and sentence.start > 0:
            previous = doc.spacy_doc[sentence.start - 1].sent
            donor = dated_past.get(previous.start)
            same_block = _block_start(doc, previous.start_char) == _block_start(doc, sentence.start_char)
            if donor is not None and same_block:
                mention.date = replace(donor.date)
                mention.time_span = donor.time_span
        if mention.date.start is not None:
            dated_past.setdefault(sentence.start, mention)


@stage("dates")
def dates(doc: Document) -> None:
    published = resolve_published(doc.article.published) if doc.article.published else None
    by_sentence: dict[int, list[Span]] = {}
    warned = False
    for mention in doc.mentions:
        start = mention.sentence.start
        if start not in by_sentence:
            by_sentence[start] = [
                span for span in find_time_expressions(mention.sentence) if time_kind(span.text) == "date"
            ]
        span = _closest_expression(mention, by_sentence[start])
        if span is None:
            continue
        mention.time_span = span
        mention.date = resolve_time(span.text, published, _tense(mention))
        if published is None and mention.date.start is None and not warned:
            warned = True
            if NO_PUBLICATION_DATE not in doc.article.warnings:
                doc.article.warnings.append(NO_PUBLICATION_DATE)
    _inherit_from_previous_sentence(doc)
