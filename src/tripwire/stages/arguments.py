"""Who did it and to whom, and how many were killed or injured, from the dependency parse.

Sources and targets come from the trigger's own arguments (subject, object, the "by" agent of a
passive, "on/against/at" phrases of a noun); when a trigger has none, from the clause it depends
on ("Washington had started to prepare for the withdrawal": Washington withdraws). Weapons are
not actors: in "militia rockets hit a home" the actor is the militia. Two triggers of the same
type in one clause, one governing the other ("five were killed when rockets hit a home"), are one
event and are merged here.
"""

from __future__ import annotations

import tomllib
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING

from tripwire.document import Document, EventMention
from tripwire.lexicon import load_lexicon
from tripwire.pipeline import stage
from tripwire.pronouns import person_named_before
from tripwire.record import Casualties
from tripwire.syntax import (
    OBJECT_DEPS,
    PASSIVE_SUBJECT_DEPS,
    RELATIVE_PRONOUNS,
    SUBJECT_DEPS,
    children,
    conjuncts,
    is_pronoun,
    noun_phrase,
    path_up,
    prep_objects,
    resolve_relative,
)

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

PLACE_ENTITIES = frozenset({"GPE", "LOC", "FAC"})
TIME_ENTITIES = frozenset({"DATE", "TIME"})
# Verbs that only carry a noun event ("launched an attack", "carried out strikes").
LIGHT_VERBS = frozenset(
    {
        "launch",
        "carry",
        "conduct",
        "stage",
        "mount",
        "wage",
        "unleash",
        "order",
        "begin",
        "continue",
        "step",
        "intensify",
        "resume",
        "make",
        "hold",
        "issue",
        "claim",
        "respond",
        "prepare",
        "plan",
        "start",
        "announce",
    }
)
# Clause links through which a trigger without a subject inherits its governor's subject.
INHERIT_SUBJECT_DEPS = frozenset({"xcomp", "advcl", "pcomp", "conj", "acl", "relcl", "prep", "acomp"})
# Prepositions through which a noun event inherits the clause's subject ("killed him *with* a
# drone strike", "prepared *for* the withdrawal", "threatened ... *during* a phone call").
INHERIT_THROUGH_PREPS = frozenset({"with", "for", "in", "by", "during"})
# Prepositions whose objects are targets, by event type (others: the default).
TARGET_PREPS = {
    "ASSAULT": ("against", "on", "at", "toward", "towards", "into", "upon"),
    "PROTEST": ("against", "at", "outside"),
    "RETREAT": ("from",),
    "MOBILIZE": ("against", "toward", "towards", "to"),
    "default": ("against", "on", "at", "toward", "towards", "to", "with", "upon"),
}
# Event types whose noun's "of" phrase names the doer ("the withdrawal of US troops").
OF_IS_SOURCE = frozenset({"RETREAT", "PROTEST", "MOBILIZE", "CONSULT"})


@lru_cache(maxsize=1)
def _numbers() -> dict[str, int]:
    raw = tomllib.loads(resources.files("tripwire.data").joinpath("numbers.toml").read_text(encoding="utf-8"))
    return {word: int(value) for word, value in raw["words"].items()}


@lru_cache(maxsize=1)
def _weapon_words() -> frozenset[str]:
    """The ASSAULT mode cues that name things ("rockets"), not people ("gunmen" is an actor)."""
    from tripwire.actors import load_actor_kb

    people = load_actor_kb().entries
    words: set[str] = set()
    for _mode, cues in load_lexicon().mode_cues.get("ASSAULT", []):
        words.update(cue for cue in cues if " " not in cue and cue not in people)
    return frozenset(words | {"attack", "strike", "weapon", "fire", "round", "projectile"})


def _phrase(token: Token) -> Span:
    return noun_phrase(token)


def _actor_spans(heads: list[Token]) -> list[Span]:
    """One span per coordinated head; a weapon stands for whoever fired it."""
    spans: dict[tuple[int, int], Span] = {}
    for span in _raw_actor_spans(heads):
        spans.setdefault((span.start, span.end), span)
    return list(spans.values())


def _raw_actor_spans(heads: list[Token]) -> list[Span]:
    spans: list[Span] = []
    for head in heads:
        for token in conjuncts(head):
            if token.lemma_.lower() in _weapon_words():
                modifiers = [
                    c
                    for c in token.children
                    if c.dep_ in ("compound", "amod", "poss", "nmod")
                    and c.lemma_.lower() not in _weapon_words()
                    and not c.like_num
                    and c.lower_ not in ("roadside", "heavy", "light", "suicide")
                ]
                spans.extend(_phrase(m) for m in modifiers if m.pos_ in ("NOUN", "PROPN", "ADJ"))
                continue
            if token.ent_type_ in TIME_ENTITIES:
                continue
            if token.pos_ in ("NOUN", "PROPN", "PRON") or token.ent_type_:
                spans.append(_phrase(token))
    return spans


def _resolve_pronoun(token: Token, sentence: Span) -> Token:
    """'The US military said it would reduce': it = the subject of the reporting verb above;
    'While Trump has bragged ..., he has vowed': he = the last person named before it."""
    if not is_pronoun(token) or token.lower_ in RELATIVE_PRONOUNS:
        return token
    # Only a subject pronoun can be the subject of a verb above it: "Police arrested him" is
    # never the police arresting themselves.
    for ancestor in path_up(token, sentence) if token.dep_ in SUBJECT_DEPS else ():
        if ancestor.pos_ == "VERB":
            for subject in children(ancestor, *SUBJECT_DEPS):
                if subject.i != token.i and not is_pronoun(subject) and subject.i < token.i:
                    return subject
    return person_named_before(token) or token


def _subject_of(verb: Token, sentence: Span) -> list[Token]:
    subjects = children(verb, *SUBJECT_DEPS)
    if subjects:
        return [_resolve_pronoun(resolve_relative(s), sentence) for s in subjects]
    # "groups launching rockets": an active participle's noun is its subject ("missiles fired"
    # is passive: the noun is what was fired, and the doer is further up).
    if verb.head.pos_ in ("NOUN", "PROPN") and (verb.dep_ == "relcl" or (verb.dep_ == "acl" and verb.tag_ == "VBG")):
        return [verb.head]
    return []


def _object_as_doer(trigger: Token) -> list[Token]:
    """'criticised Saddam for expelling the inspectors': Saddam expelled, not the critic."""
    prep = trigger.head
    if trigger.dep_ != "pcomp" or trigger.tag_ != "VBG" or prep.lower_ not in ("for", "of"):
        return []
    verb = prep.head
    if verb.pos_ != "VERB" or verb.lemma_.lower() not in load_lexicon().words("arguments", "object_does_the_gerund"):
        return []
    return children(verb, "dobj")


def _inherited_subject(trigger: Token, sentence: Span) -> list[Token]:
    """Walk up clause links ("started to prepare for the withdrawal") to a subject."""
    doers = _object_as_doer(trigger)
    if doers:
        return [_resolve_pronoun(doer, sentence) for doer in doers]
    current = trigger
    for _ in range(4):
        head = current.head
        if head.i == current.i or not (sentence.start <= head.i < sentence.end):
            return []
        link = current.dep_
        if link == "pobj":
            # The noun is in a prepositional phrase: go to the preposition's head.
            prep = head
            head = prep.head
            if prep.lower_ not in INHERIT_THROUGH_PREPS or head.pos_ != "VERB":
                return []
        elif link == "dobj":
            if head.lemma_.lower() not in LIGHT_VERBS:
                return []
        elif link in ("nsubj", "nsubjpass") or link not in INHERIT_SUBJECT_DEPS:
            return []
        if head.pos_ in ("VERB", "AUX"):
            subjects = _subject_of(head, sentence)
            if subjects:
                return subjects
        if head.dep_ == "acl" and link == "acl":
            return []
        current = head
    return []


def _is_place(token: Token) -> bool:
    return token.ent_type_ in PLACE_ENTITIES


def _verb_arguments(mention: EventMention) -> tuple[list[Token], list[Token]]:
    trigger, sentence = mention.trigger, mention.sentence
    passive = bool(children(trigger, *PASSIVE_SUBJECT_DEPS)) or any(c.dep_ == "auxpass" for c in trigger.children)
    if passive and not prep_objects(trigger, "by") and prep_objects(trigger, "to"):
        # "Iraqi public opinion has been opposed to the groups": a stance, subject first.
        sources = children(trigger, *PASSIVE_SUBJECT_DEPS)
        targets = prep_objects(trigger, "to")
    elif passive:
        sources = prep_objects(trigger, "by")
        targets = children(trigger, *PASSIVE_SUBJECT_DEPS)
    elif (
        trigger.dep_ == "acl"
        and trigger.tag_ == "VBN"
        and trigger.head.pos_ in ("NOUN", "PROPN")
        and trigger.head.dep_ == "ROOT"
        and not prep_objects(trigger, "by")
    ):
        # "Hundreds of students protested in ...": with no verb left for the sentence, the parser
        # has misread the finite verb as a participle; the noun is its subject.
        sources = [trigger.head]
        targets = children(trigger, *OBJECT_DEPS)
    elif trigger.dep_ == "acl" and trigger.tag_ == "VBN" and trigger.head.pos_ in ("NOUN", "PROPN"):
        # "a new prime minister, backed by the United States": the noun is the one acted on.
        sources = prep_objects(trigger, "by")
        targets = [] if mention.type == "ASSAULT" else [trigger.head]
    else:
        sources = _subject_of(trigger, sentence)
        targets = [] if mention.type == "RETREAT" else children(trigger, *OBJECT_DEPS)
    if not sources and trigger.dep_ == "acl" and trigger.head.pos_ in ("NOUN", "PROPN") and passive is False:
        # "missiles fired at US bases": the missiles' owner, further up.
        sources = _inherited_subject(trigger.head, sentence)
    if not sources:
        sources = _inherited_subject(trigger, sentence)
    preps = TARGET_PREPS.get(mention.type, TARGET_PREPS["default"])
    targets += [
        t
        for t in prep_objects(trigger, *preps)
        if t.ent_type_ not in TIME_ENTITIES
        and (not _is_place(t) or mention.type not in ("ASSAULT", "PROTEST", "MOBILIZE"))
    ]
    if mention.rule.get("frame") in ("threaten", "request"):
        # "demanded the withdrawal of Serbian forces": those asked to act are the target.
        for obj in children(trigger, "dobj"):
            if obj.pos_ == "NOUN" and not obj.ent_type_:
                asked = prep_objects(obj, "of") or children(obj, "poss")
                if asked:
                    targets = [t for t in targets if t.i != obj.i] + asked
    if mention.rule.get("frame") in ("threaten", "request") and not targets:
        complement = mention.rule.get("complement")
        if complement is not None:
            comp = sentence.doc[complement]
            # "calling for the groups to avoid ...": the groups are asked.
            targets = (
                children(comp, *SUBJECT_DEPS)
                or [t for t in prep_objects(comp, "to") if t.ent_type_ in ("PERSON", "ORG", "GPE", "NORP")]
                or children(comp, "dobj")
            )
    targets = [_resolve_pronoun(resolve_relative(t), sentence) for t in targets]
    return sources, targets


def _noun_arguments(mention: EventMention) -> tuple[list[Token], list[Token]]:
    trigger, sentence = mention.trigger, mention.sentence
    sources = children(trigger, "poss")
    sources += [
        c
        for c in trigger.children
        if c.dep_ in ("compound", "amod")
        and (
            c.ent_type_ in ("NORP", "GPE", "ORG")
            or c.lemma_.lower() in ("militia", "militant", "rebel", "police", "army")
        )
    ]
    sources += prep_objects(trigger, "by")
    of_objects = prep_objects(trigger, "of")
    preps = TARGET_PREPS.get(mention.type, TARGET_PREPS["default"])
    targets = [
        t
        for t in prep_objects(trigger, *preps)
        if not _is_place(t) or (t.dep_ == "pobj" and t.head.lower_ in ("on", "against", "from"))
    ]
    if mention.type not in OF_IS_SOURCE:
        targets += of_objects
    if not sources:
        sources = _inherited_subject(trigger, sentence)
    if not sources and mention.type in OF_IS_SOURCE:
        # "the withdrawal of US troops": with nobody else named, the troops withdraw.
        sources = of_objects
    if mention.rule.get("frame") in ("threaten", "request") and not targets:
        complement = mention.rule.get("complement")
        if complement is not None:
            targets = children(sentence.doc[complement], "dobj")
    return sources, targets


def _count_victims(head: Token) -> int | None:
    """'three children and two women' = 5; 'Qassem Soleimani' = 1; 'civilians' = unknown."""
    total = 0
    counted = False
    for token in conjuncts(head):
        numbers = [c for c in token.children if c.dep_ == "nummod"]
        value = None
        for number in numbers:
            value = _number_value(number)
        if value is None and (
            token.ent_type_ == "PERSON"
            or any(c.ent_type_ == "PERSON" and c.dep_ in ("appos", "compound") for c in token.children)
        ):
            value = 1  # a named person: "Iran's top military commander Qassem Soleimani"
        if value is None and token.tag_ == "NN" and any(c.lower_ in ("a", "an", "one") for c in token.children):
            value = 1
        if value is None and token.lower_ in ("one", "a", "an"):
            value = 1
        if value is None and token.like_num:
            value = _number_value(token)
        if value is not None:
            total += value
            counted = True
        elif token.tag_ in ("NNS", "NNPS"):
            return None
    return total if counted else None


def _number_value(token: Token) -> int | None:
    text = token.text.replace(",", "").lower()
    if text.isdigit():
        return int(text)
    return _numbers().get(text)


def _casualties(mention: EventMention) -> Casualties:
    """Count the killed and injured of ASSAULT events from kill/die/injure words near the trigger."""
    killed = injured = None
    trigger = mention.trigger
    related = {trigger.i} | {t.i for t in trigger.subtree} | {a.i for a in trigger.ancestors}
    for token in mention.sentence:
        if token.i not in related:
            continue
        lemma = token.lemma_.lower()
        kind = (
            "killed"
            if lemma in ("kill", "die", "murder", "assassinate", "execute", "massacre", "behead", "slaughter")
            else ("injured" if lemma in ("injure", "wound", "hurt") else None)
        )
        if kind is None:
            continue
        passive = any(c.dep_ == "auxpass" for c in token.children)
        victims = (
            children(token, *PASSIVE_SUBJECT_DEPS)
            if passive
            else children(token, "nsubj")
            if lemma == "die"
            else children(token, "dobj")
        )
        count = None
        for victim in victims:
            count = _count_victims(victim)
        if count is None:
            continue
        if kind == "killed":
            killed = (killed or 0) + count
        else:
            injured = (injured or 0) + count
    return Casualties(killed=killed, injured=injured)


def _separate_clauses(inner: Token, outer: Token, between: list[Token]) -> bool:
    """'will withdraw if the rebels disarm': a condition, or two subjects of their own, make two
    events even when one clause hangs from the other."""
    marks = load_lexicon().words("status", "conditional_marks")
    for token in [inner, *between]:
        if any(c.dep_ == "mark" and c.lower_ in marks for c in token.children):
            return True
    inner_subjects = children(inner, *SUBJECT_DEPS)
    outer_subjects = children(outer, *SUBJECT_DEPS)
    weapons = _weapon_words()
    return bool(
        inner_subjects
        and outer_subjects
        and not any(s.lemma_.lower() in weapons for s in inner_subjects + outer_subjects)
    )


def _merge_same_clause(mentions: list[EventMention]) -> list[EventMention]:
    """'were killed when rockets hit a home': the governing trigger absorbs the governed one."""
    reporting = load_lexicon().words("reporting", "verbs")
    kept: list[EventMention] = []
    absorbed: set[int] = set()
    by_sentence: dict[int, list[EventMention]] = {}
    for mention in mentions:
        by_sentence.setdefault(mention.sentence.start, []).append(mention)
    for group in by_sentence.values():
        for inner in group:
            for outer in group:
                if outer is inner or id(outer) in absorbed or outer.type != inner.type:
                    continue
                chain = list(path_up(inner.trigger, inner.sentence))
                if outer.trigger not in chain:
                    continue
                between = chain[: chain.index(outer.trigger)]
                if any(t.lemma_.lower() in reporting for t in between):
                    continue
                if _separate_clauses(inner.trigger, outer.trigger, between):
                    continue
                outer.source_spans = outer.source_spans or inner.source_spans
                outer.target_spans = outer.target_spans or inner.target_spans
                outer.mode = outer.mode if outer.mode and not inner.mode else inner.mode or outer.mode
                outer.rule["absorbed"] = [*outer.rule.get("absorbed", []), inner.trigger.i]
                absorbed.add(id(inner))
                break
    for mention in mentions:
        if id(mention) not in absorbed:
            kept.append(mention)
    return kept


def _intended_targets(mention: EventMention) -> list[Token]:
    """ "determined to support Iraq's security": the target of an intention is that of the act."""
    index = mention.rule.get("intended_trigger")
    if index is None:
        return []
    inner = mention.sentence.doc[index]
    probe = EventMention(
        mention.sentence, inner, mention.sentence.doc[index : index + 1], mention.rule.get("intended", "")
    )
    _, targets = _verb_arguments(probe) if inner.pos_ == "VERB" else _noun_arguments(probe)
    return targets


@stage("arguments")
def arguments(doc: Document) -> None:
    for mention in doc.mentions:
        if mention.trigger.pos_ in ("VERB", "ADJ"):
            sources, targets = _verb_arguments(mention)
        else:
            sources, targets = _noun_arguments(mention)
        if not targets:
            targets = _intended_targets(mention)
        mention.source_spans = _actor_spans(sources)
        source_tokens = {t.i for span in mention.source_spans for t in span}
        mention.target_spans = [s for s in _actor_spans(targets) if not source_tokens & {t.i for t in s}]
    doc.mentions = _merge_same_clause(doc.mentions)
    for mention in doc.mentions:
        if mention.type == "ASSAULT":
            mention.casualties = _casualties(mention)
