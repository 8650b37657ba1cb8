"""Who reported each event ("two Iraqi government sources said"), and the article's quotes.

An event is attributed to the subject of the nearest reporting verb that governs it ("X said
[... event ...]"), or to an "according to X" phrase of its sentence. An event in the outlet's own
voice has no `reported_by`. A source is anonymous when its phrase names no person or organisation
("police sources", "a senior official"), which is what users need in order to weigh it.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from tripwire.actors import resolve_actor
from tripwire.document import Document, EventMention
from tripwire.lexicon import load_lexicon
from tripwire.pipeline import stage
from tripwire.pronouns import person_named_before
from tripwire.record import Quote, ReportedBy
from tripwire.syntax import SUBJECT_DEPS, conjuncts, noun_phrase, path_up, resolve_relative

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

QUOTE_PATTERN = re.compile(r"[“\"]([^”\"\n]{2,}?)[”\"]")
NAMED_ENTITIES = frozenset({"PERSON", "ORG"})
DOCUMENT_NOUNS = frozenset({"statement", "report", "communique", "announcement", "release", "letter", "post"})


def _source_span(verb: Token) -> Span | None:
    """The whole (possibly coordinated) subject of a reporting verb."""
    for child in verb.children:
        if child.dep_ in SUBJECT_DEPS:
            # "a President who is constantly saying": the president speaks, not "who".
            tokens = conjuncts(resolve_relative(child))
            left = min(noun_phrase(t).start for t in tokens)
            right = max(noun_phrase(t).end for t in tokens)
            # Keep an apposition ("Gati Rikabi, member of the committee") out of the name.
            return verb.doc[left:right]
    return None


def _according_to(sentence: Span, phrases: list[str]) -> Span | None:
    lowered = sentence.text.lower()
    for phrase in phrases:
        at = lowered.find(phrase)
        if at < 0:
            continue
        start_char = sentence.start_char + at + len(phrase)
        for token in sentence:
            if token.idx >= start_char and token.dep_ == "pobj":
                # "according to a statement from the foreign ministry": the ministry is the source.
                if token.lemma_.lower() in DOCUMENT_NOUNS:
                    issuers = [
                        g
                        for c in token.children
                        if c.dep_ == "prep" and c.lower_ in ("from", "by", "of")
                        for g in c.children
                        if g.dep_ == "pobj"
                    ]
                    if issuers:
                        token = issuers[0]
                tokens = conjuncts(token)
                return sentence.doc[min(noun_phrase(t).start for t in tokens) : max(noun_phrase(t).end for t in tokens)]
    return None


def is_anonymous(span: Span) -> bool:
    """No named person or organisation in the phrase, and its head is a generic word (or it is
    a pronoun for someone the article does not name)."""
    if any(token.ent_type_ in NAMED_ENTITIES for token in span):
        return False
    # "He and another member of the committee": one named person among the sources is enough.
    if any(token.pos_ == "PRON" and person_named_before(token) is not None for token in span):
        return False
    if len(span) == 1 and span[0].pos_ == "PRON":
        return True
    heads = load_lexicon().words("reporting", "anonymous_heads")
    return any(token.lower_ in heads for token in span)


def _cited(span: Span) -> ReportedBy:
    """The cited source; "he said" after "Trump condemned ..." is resolved to the person named."""
    if len(span) == 1 and span[0].pos_ == "PRON":
        person = person_named_before(span[0])
        if person is None:  # a pronoun for nobody the article names
            return ReportedBy(text=span.text, anonymous=True)
        return ReportedBy(text=span.text, anonymous=False, actor=resolve_actor(noun_phrase(person).text))
    return ReportedBy(text=span.text, anonymous=is_anonymous(span))


def _reporting_verbs_above(mention: EventMention, verbs: frozenset[str]) -> list[Token]:
    """Reporting verbs governing the trigger, nearest first ("noting that ...", then "he said")."""
    return [
        ancestor
        for ancestor in path_up(mention.trigger, mention.sentence)
        if ancestor.lemma_.lower() in verbs and ancestor.pos_ == "VERB"
    ]


def reported_by_for(mention: EventMention) -> ReportedBy | None:
    lexicon = load_lexicon()
    verbs = lexicon.words("reporting", "verbs")
    for verb in _reporting_verbs_above(mention, verbs):
        span = _source_span(verb)
        if span is not None:
            return _cited(span)
    span = _according_to(mention.sentence, lexicon.cues["reporting"]["according_to"])
    if span is not None:
        return _cited(span)
    verb = _parenthetical_reporting_verb(mention, verbs) or _trailing_reporting_verb(mention, verbs)
    if verb is not None:
        span = _source_span(verb)
        if span is not None:
            return _cited(span)
    return None


def _parenthetical_reporting_verb(mention: EventMention, verbs: frozenset[str]) -> Token | None:
    """ "Rebels, he said, had shelled the town": an aside set off by commas, which the parser hangs
    from the verb it comments on (parataxis); it cites the source of that verb's clause."""
    clause = {mention.trigger.i, *(t.i for t in path_up(mention.trigger, mention.sentence))}
    for token in mention.sentence:
        if (
            token.dep_ == "parataxis"
            and token.head.i in clause
            and token.pos_ == "VERB"
            and token.lemma_.lower() in verbs
            and any(c.text == "," for c in token.children)
        ):
            return token
    return None


def _trailing_reporting_verb(mention: EventMention, verbs: frozenset[str]) -> Token | None:
    """ "Gunmen killed two guards, a senior official told reporters.": the parser often makes the
    closing attribution a conjunct of the event; it still cites the source of all that precedes."""
    sentence = mention.sentence
    for token in sentence:
        if token.i <= mention.trigger.i or token.pos_ != "VERB" or token.lemma_.lower() not in verbs:
            continue
        if token.dep_ not in ("conj", "parataxis", "advcl", "ROOT"):
            continue
        if any(c.dep_ in ("ccomp", "xcomp") for c in token.children):
            continue  # it reports a clause of its own
        if sentence.end - token.i <= 6 and sentence.doc[token.i - 1].is_punct is False:
            before = [t for t in sentence.doc[sentence.start : token.i] if t.text == ","]
            if before:
                return token
    return None


def _speaker_of(sentence: Span, verbs: frozenset[str]) -> Span | None:
    for token in sentence:
        if token.lemma_.lower() in verbs | {"reply", "ask"} and token.pos_ == "VERB":
            span = _source_span(token)
            if span is not None:
                return span
    return None


def _quotations(doc: Document) -> list[tuple[int, int, Span | None]]:
    """Each quotation's text offsets and its speaker's phrase (None when no speaker is found)."""
    assert doc.spacy_doc is not None
    verbs = load_lexicon().words("reporting", "verbs")
    found = []
    for match in QUOTE_PATTERN.finditer(doc.text):
        if doc.block_kind_at(match.start()) == "debris":
            continue
        span = doc.spacy_doc.char_span(match.start(), match.end(), alignment_mode="expand")
        if span is None:
            continue
        speaker = _speaker_of(span.sent, verbs)
        if speaker is None and len(match.group(1).split()) < 4:
            continue  # scare quotes around a term ("the so-called 'green zone'"), not speech
        if speaker is None:
            # The speaker is often named in the sentence just before a quote that opens a line.
            previous = span.sent.start - 1
            if previous >= 0:
                speaker = _speaker_of(doc.spacy_doc[previous].sent, verbs)
        raw = match.group(1)
        start = match.start(1) + (len(raw) - len(raw.lstrip()))
        found.append((start, start + len(raw.strip()), speaker))
    return found


def _quoted_by(mention: EventMention, quotations: list[tuple[int, int, Span | None]]) -> ReportedBy | None:
    """An event told inside a quotation is reported by its speaker ("'We struck the depot,' the
    colonel said" cites the colonel), when the quotation's own sentence names one."""
    offset = mention.trigger.idx
    for start, end, speaker in quotations:
        if start <= offset < end and speaker is not None:
            return _cited(speaker)
    return None


@stage("attribution")
def attribution(doc: Document) -> None:
    quotations = _quotations(doc)
    for mention in doc.mentions:
        mention.reported_by = reported_by_for(mention) or _quoted_by(mention, quotations)
    doc.quotes = [
        Quote(speaker=speaker.text if speaker is not None else None, text=doc.text[start:end], start=start, end=end)
        for start, end, speaker in quotations
    ]

