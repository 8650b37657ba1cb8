"""Finds event triggers and gives each its PLOVER type and mode, from the trigger lexicon.

A word is a trigger when its lemma and part of speech are in `data/triggers.toml` and the
dependency patterns written there hold ("call" only with "for", "strike" only without "general").
Words that are the content of a threat or a demand ("threatened to *close* the embassy", "called
for an end to *attacks*") are not events of their own: they give the threat its mode.
Debris blocks are never read; captions are read and marked.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tripwire.document import Document, EventMention
from tripwire.lexicon import Lexicon, TriggerRule, load_lexicon
from tripwire.ontology import load_ontology
from tripwire.pipeline import stage
from tripwire.syntax import matches, subtree_lemmas

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

# Named entities whose words are names, not events ("Operation Desert Storm", "Strike Force").
NAME_ENTITIES = frozenset({"PERSON", "ORG", "GPE", "NORP", "FAC", "LOC", "WORK_OF_ART", "LAW", "EVENT", "PRODUCT"})
# Prepositions whose objects set the scene of a threat or demand rather than its content.
SCENE_PREPS = frozenset({"during", "after", "before", "since", "in", "at", "near", "amid", "following", "on", "over"})


def _pos_of(token: Token) -> str | None:
    return token.pos_ if token.pos_ in ("VERB", "NOUN", "ADJ") else None


def _select_rule(token: Token, lexicon: Lexicon, sentence_lemmas: set[str]) -> TriggerRule | None:
    pos = _pos_of(token)
    if pos is None:
        return None
    for rule in lexicon.rules_for(token.lemma_.lower(), pos):
        if rule.sentence_needs and not rule.sentence_needs & sentence_lemmas:
            continue
        if rule.sentence_not & sentence_lemmas:
            continue
        if rule.needs and not any(matches(token, p) for p in rule.needs):
            continue
        if any(matches(token, p) for p in rule.not_with):
            continue
        return rule
    return None


def _is_trigger_candidate(token: Token) -> bool:
    if token.ent_type_ in NAME_ENTITIES and token.ent_iob_ != "O":
        return False
    # "Iran-backed", "US-led": a hyphenated modifier, not an event.
    if token.i > 0 and token.doc[token.i - 1].text == "-":
        return False
    # "attack helicopter", "strike force": a noun modifying another noun names a thing.
    return not (token.dep_ == "compound" and token.head.pos_ in ("NOUN", "PROPN"))


def mode_from_cues(event_type: str, words: set[str], lexicon: Lexicon, text: str = "") -> str | None:
    """The first mode of the type whose cue occurs: a single word among `words` (lemmas and
    forms), a phrase ("tear gas") in `text`."""
    padded = f" {text.lower()} "
    for mode, cues in lexicon.mode_cues.get(event_type, []):
        for cue in cues:
            if (" " in cue and f" {cue} " in padded) or cue in words:
                return mode
    return None


def complement_of(token: Token, lexicon: Lexicon | None = None) -> Token | None:
    """What a threat or demand is about: "threatened *to close*", "warned that they *could close*",
    "called *for* an end", "a threat *to withdraw*", "urged X *to stop*"."""
    for dep in ("xcomp", "ccomp", "acl"):
        for child in token.children:
            if child.dep_ == dep:
                return child
    for child in token.children:
        # "have sworn to fight": the parser often hangs a to-infinitive as an adverbial clause.
        if (
            child.dep_ == "advcl"
            and child.i > token.i
            and any(c.dep_ == "aux" and c.lower_ == "to" for c in child.children)
        ):
            return child
    for child in token.children:
        if child.dep_ == "prep" and child.lower_ in ("for", "on", "upon", "of"):
            objects = [g for g in child.children if g.dep_ in ("pobj", "pcomp")]
            if objects:
                return objects[0]
    if lexicon is not None:
        # "demanded the withdrawal of Serbian forces": an event noun as the object is the content.
        for child in token.children:
            if child.dep_ == "dobj" and child.pos_ == "NOUN" and lexicon.rules_for(child.lemma_.lower(), "NOUN"):
                return child
    return None


def _warns_of_others(token: Token) -> bool:
    """A threat is about the threatener's own act: "warned Baghdad that *they* could close its
    embassy" is a threat; "warned that Kenyan troops could withdraw" reports someone else's."""
    if token.lemma_.lower() != "warn":
        return False
    for child in token.children:
        if child.dep_ == "ccomp":
            subjects = [s for s in child.children if s.dep_ in ("nsubj", "nsubjpass")]
            return bool(subjects) and not any(s.pos_ == "PRON" for s in subjects)
    return False


def _content_tokens(complement: Token) -> set[int]:
    """The tokens that are the content of a threat or demand, leaving out scene-setting phrases."""
    content: set[int] = set()
    stack = [complement]
    while stack:
        token = stack.pop()
        content.add(token.i)
        for child in token.children:
            if child.dep_ in ("prep", "agent") and child.lower_ in SCENE_PREPS:
                continue
            if child.dep_ in ("npadvmod", "advmod", "advcl", "punct"):
                continue
            stack.append(child)
    return content


def _phrase_words(token: Token) -> set[str]:
    """Words around a trigger that can tell its mode: its own subtree and its head's arguments."""
    words = subtree_lemmas(token)
    words.add(token.lemma_.lower())
    head = token.head
    if head is not token:
        words.add(head.lemma_.lower())
        for child in head.children:
            if child.dep_ in ("nsubj", "nsubjpass", "dobj", "prep", "agent"):
                words |= subtree_lemmas(child)
    return words


def _phrase_text(token: Token) -> str:
    """The words of the trigger's clause, in order, for multi-word cues ("tear gas", "car bomb")."""
    head = token.head if token.head is not token else token
    return " ".join(t.text for t in head.subtree)


def _detect_in_sentence(sentence: Span, origin: str, lexicon: Lexicon) -> list[EventMention]:
    found: list[EventMention] = []
    sentence_lemmas = {t.lemma_.lower() for t in sentence} | {t.lower_ for t in sentence}
    for token in sentence:
        if not token.is_alpha and "-" not in token.text:
            continue
        if not _is_trigger_candidate(token):
            continue
        rule = _select_rule(token, lexicon, sentence_lemmas)
        if rule is None:
            continue
        mention = EventMention(
            sentence=sentence,
            trigger=token,
            trigger_span=sentence.doc[token.i : token.i + 1],
            type=rule.type,
            mode=rule.mode,
            contexts=list(rule.contexts),
            origin=origin,
            rule={
                "lemma": rule.lemma,
                "frame": rule.frame,
                "weight": rule.weight,
                "conditioned": bool(rule.sentence_needs or rule.sentence_not),
            },
        )
        if rule.frame == "threaten" and _warns_of_others(token):
            continue  # "an official warned that troops could withdraw": a warning, not a threat
        if rule.frame in ("threaten", "request", "intent"):
            complement = complement_of(token, lexicon)
            if complement is not None:
                mention.rule["complement"] = complement.i
                mention.rule["content"] = _content_tokens(complement)
                mention.mode = mention.mode or mode_from_cues(
                    rule.type, {sentence.doc[i].lemma_.lower() for i in mention.rule["content"]}, lexicon
                )
        if mention.mode is None:
            mention.mode = mode_from_cues(rule.type, _phrase_words(token), lexicon, _phrase_text(token))
        found.append(mention)
    _code_intentions(found, lexicon)
    _code_conditional_threats(found, lexicon)
    return _drop_framed_content(found)


def _threat_mode(event_type: str, mode: str | None, lexicon: Lexicon) -> str | None:
    return lexicon.intent.get("threat_modes", {}).get(f"{event_type}/{mode}") or lexicon.intent.get(
        "threat_modes", {}
    ).get(event_type)


def _code_intentions(mentions: list[EventMention], lexicon: Lexicon) -> None:
    """ "vowed to fight", "is prepared to impose martial law": an intention to do harm is a threat;
    "promised to release", "is ready to withdraw": an intention to cooperate is an agreement
    (PLOVER codes both by the intended act, as CAMEO's "express intent to" codes did)."""
    ontology = load_ontology()
    for mention in mentions:
        if mention.rule.get("frame") != "intent":
            continue
        content = mention.rule.get("content", set())
        inner = [m for m in mentions if m is not mention and m.trigger.i in content]
        if not inner:
            continue
        intended = min(inner, key=lambda m: m.trigger.i)
        if ontology.quad(intended.type) >= 3:
            mention.type = "THREATEN"
            mention.mode = _threat_mode(intended.type, intended.mode, lexicon)
        else:
            mention.type = "AGREE"
            mention.mode = None
        mention.rule["intended"] = intended.type
        mention.rule["intended_trigger"] = intended.trigger.i


def _code_conditional_threats(mentions: list[EventMention], lexicon: Lexicon) -> None:
    """ "will withdraw its force unless a ceasefire is arranged", "will boycott the elections
    unless the president steps down": an act promised on a condition the other side must meet
    is a threat."""
    for mention in mentions:
        trigger = mention.trigger
        unless = any(
            c.dep_ == "advcl" and any(g.dep_ == "mark" and g.lower_ == "unless" for g in c.children)
            for c in trigger.children
        )
        if not unless or mention.type == "THREATEN":
            continue
        mention.rule["threat_from"] = mention.type
        mention.mode = _threat_mode(mention.type, mention.mode, lexicon) or "restrict"
        mention.type = "THREATEN"


def _drop_framed_content(mentions: list[EventMention]) -> list[EventMention]:
    """Triggers inside the content of a threat or demand are what is threatened, not events."""
    content: set[int] = set()
    for mention in mentions:
        content |= mention.rule.get("content", set())
    return [m for m in mentions if m.trigger.i not in content or m.rule.get("frame")]


def _contexts(sentence: Span, lexicon: Lexicon) -> list[str]:
    lowered = " " + sentence.text.lower() + " "
    return [context for context, cues in lexicon.context_cues.items() if any(f" {cue}" in lowered for cue in cues)]


@stage("detect")
def detect(doc: Document) -> None:
    lexicon = load_lexicon()
    assert doc.spacy_doc is not None, "the parse stage must run before detect"
    for sentence in doc.spacy_doc.sents:
        origin = doc.block_kind_at(sentence.start_char)
        if origin in ("debris", "title", "heading"):
            continue
        mentions = _detect_in_sentence(sentence, origin, lexicon)
        if mentions:
            contexts = _contexts(sentence, lexicon)
            for mention in mentions:
                mention.contexts = sorted(set(mention.contexts) | set(contexts))
        doc.mentions.extend(mentions)
