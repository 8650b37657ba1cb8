"""Decides each event's status (occurred, planned, hypothetical, negated) and its confidence.

Status comes from the words that govern the trigger, nearest first: its own negation or modal,
then the verbs and nouns above it ("prepared for the withdrawal": planned; "fear a strike":
hypothetical; "denied attacking": negated; "would only begin if": hypothetical). The walk stops at
a reporting verb (a source saying something does not change whether it happened) and at clauses
that only set the scene ("after warning Baghdad", "when rockets hit"), whose governors say nothing
about the event. A "would" under a past reporting verb is a reported "will": planned.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tripwire.document import Document, EventMention
from tripwire.lexicon import load_lexicon
from tripwire.pipeline import stage

if TYPE_CHECKING:
    from spacy.tokens import Token

# Links through which a governor's meaning does not reach the event below it.
SCENE_LINKS = frozenset({"relcl", "appos", "parataxis"})
SCENE_PREPS = frozenset(
    {"after", "before", "during", "since", "amid", "following", "in", "at", "near", "from", "against", "on"}
)


def _modal(token: Token) -> str | None:
    for child in token.children:
        if child.dep_ == "aux" and child.tag_ == "MD":
            return child.lower_
    return None


def _conditional(token: Token, marks: frozenset[str]) -> bool:
    """The clause is conditional itself ("if this effort failed") or has a condition ("would
    only begin if ...")."""
    for child in token.children:
        if child.dep_ == "mark" and child.lower_ in marks:
            return True
        if child.dep_ == "advcl" and any(g.dep_ == "mark" and g.lower_ in marks for g in child.children):
            return True
    return False


def _negated_here(token: Token, negations: frozenset[str]) -> bool:
    return any(
        child.dep_ == "neg" or (child.dep_ == "det" and child.lower_ in ("no",))
        for child in token.children
        if child.lower_ in negations
    )


def _under_reporting(token: Token, reporting: frozenset[str]) -> bool:
    head = token.head
    return token.dep_ == "ccomp" and head.lemma_.lower() in reporting and head.tag_ in ("VBD", "VBN")


def judge_status(mention: EventMention) -> tuple[str, list[str]]:
    lexicon = load_lexicon()
    reporting = lexicon.words("reporting", "verbs")
    negations = lexicon.words("status", "negations")
    marks = lexicon.words("status", "conditional_marks")
    planned_gov = lexicon.words("status", "planned_governors")
    hypothetical_gov = lexicon.words("status", "hypothetical_governors")
    negating_gov = lexicon.words("status", "negating_governors")
    hypothetical_modals = lexicon.words("status", "hypothetical_modals")
    planned_modals = lexicon.words("status", "planned_modals")

    token = mention.trigger
    sentence = mention.sentence
    if _negated_here(token, negations):
        return "negated", [f"negation on '{token.text}'"]
    first = True
    link = ""  # how the previous token hangs from this one
    tentative: tuple[str, list[str]] | None = None  # "will attack": planned unless feared above
    while True:
        lemma = token.lemma_.lower()
        if not first and lemma in reporting and token.pos_ == "VERB":
            break
        if not first:
            if lemma in negating_gov:
                return "negated", [f"governed by '{token.text}'"]
            if lemma in hypothetical_gov:
                return "hypothetical", [f"governed by '{token.text}'"]
            if tentative is not None:
                return tentative
            if lemma in planned_gov:
                if any(c.dep_ == "det" and c.lower_ in ("any", "no") for c in token.children):
                    return "hypothetical", [f"'any {token.text}'"]
                return "planned", [f"governed by '{token.text}'"]
        if token.pos_ in ("VERB", "AUX"):
            if _conditional(token, marks):
                return "hypothetical", [f"conditional clause at '{token.text}'"]
            modal = _modal(token)
            if modal in planned_modals and tentative is None:
                tentative = ("planned", [f"modal '{modal}'"])
            if modal in hypothetical_modals:
                if modal == "would" and _under_reporting(token, reporting):
                    return "planned", ["reported 'would'"]
                return "hypothetical", [f"modal '{modal}'"]
            # "did not try to attack": a negated verb whose complement is the event.
            if not first and link == "xcomp" and _negated_here(token, negations):
                return "negated", [f"negation on '{token.text}'"]
        head = token.head
        if head.i == token.i or not (sentence.start <= head.i < sentence.end):
            break
        if token.dep_ in SCENE_LINKS:
            break
        if token.dep_ == "advcl" and not any(c.dep_ == "mark" and c.lower_ in marks for c in token.children):
            break
        if token.dep_ == "pobj" and head.lower_ in SCENE_PREPS:
            break
        if token.dep_ == "pcomp" and head.lower_ in SCENE_PREPS:
            break
        link = token.dep_
        token = head
        first = False
    return tentative or ("occurred", [])


def confidence_of(mention: EventMention) -> float:
    """A transparent score, not a probability: the trigger's prior, raised by each argument the
    parse found and each resolved code, lowered for captions, anonymous sources and unresolved
    actors. Documented in docs/extraction.md."""
    score = float(mention.rule.get("weight", 0.5))
    if mention.source:
        score += 0.1
        if any(actor.country for actor in mention.source):
            score += 0.05
    if mention.target:
        score += 0.07
        if any(actor.country for actor in mention.target):
            score += 0.03
    if mention.date.start:
        score += 0.03
    if mention.location is not None:
        score += 0.02
    if mention.origin == "caption":
        score -= 0.1
    if mention.reported_by is not None and mention.reported_by.anonymous:
        score -= 0.05
    if not mention.source and not mention.target:
        score -= 0.15
    score += _salience(mention)
    return round(min(max(score, 0.05), 0.99), 2)


def _salience(mention: EventMention) -> float:
    """What the sentence is about scores above what it mentions on the way: the main verb (or the
    clause a source reports) over an event in a purpose clause, a relative clause or a modifier."""
    reporting = load_lexicon().words("reporting", "verbs")
    trigger = mention.trigger
    if trigger.dep_ == "ROOT":
        return 0.08
    if trigger.dep_ in ("ccomp", "conj") and trigger.head.dep_ == "ROOT" and trigger.head.lemma_.lower() in reporting:
        return 0.08
    if trigger.dep_ in ("advcl", "acl", "relcl", "xcomp", "pcomp", "amod"):
        return -0.05
    return 0.0


def _not_an_event(mention: EventMention, reporting: frozenset[str]) -> str | None:
    """Noun mentions that state no event of their own."""
    trigger = mention.trigger
    if trigger.pos_ != "NOUN":
        return None
    # A bare noun as the whole answer ("the diplomat replied: 'Strikes'") states nothing.
    bare = not [c for c in trigger.children if not c.is_punct] or (
        trigger.dep_ == "ROOT" and len(mention.sentence) <= 3
    )
    if bare and (trigger.dep_ == "ROOT" or trigger.head.lemma_.lower() in reporting):
        return "fragment"
    # "the attacks", "such attacks" with nothing new: a reference back to events told before.
    determiners = {c.lower_ for c in trigger.children if c.dep_ in ("det", "predet", "amod")}
    if (
        mention.type == "ASSAULT"
        and determiners & {"the", "such", "these", "those", "this", "that"}
        and not mention.target
        and not _dated_in_its_sentence(mention)
        and mention.casualties.killed is None
        and mention.casualties.injured is None
    ):
        return "anaphoric"
    return None


def _dated_in_its_sentence(mention: EventMention) -> bool:
    """A date of its own sentence's words; one carried over from the sentence before (the dates
    stage's narration rule) says nothing new about "that attack"."""
    span = mention.time_span
    return (
        mention.date.start is not None
        and span is not None
        and mention.sentence.start <= span.start < mention.sentence.end
    )


@stage("judge")
def judge(doc: Document) -> None:
    kept = []
    reporting = load_lexicon().words("reporting", "verbs") | {"reply", "answer"}
    for mention in doc.mentions:
        reason = _not_an_event(mention, reporting)
        if reason:
            mention.dropped = reason
            continue
        mention.status, mention.status_cues = judge_status(mention)
        mention.confidence = confidence_of(mention)
        kept.append(mention)
    doc.mentions = kept
