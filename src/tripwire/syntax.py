"""Small helpers over spaCy's dependency parse, shared by the stages that read it.

They answer questions the stages ask again and again ("the noun phrase of this token", "the
children with this dependency"), so each stage states its linguistics, not tree walking.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from tripwire.lexicon import DepPattern

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

SUBJECT_DEPS = ("nsubj", "csubj")
PASSIVE_SUBJECT_DEPS = ("nsubjpass", "csubjpass")
OBJECT_DEPS = ("dobj", "dative", "attr", "oprd")
PRONOUNS = frozenset({"it", "they", "he", "she", "we", "i", "you", "them", "him", "her", "us", "its", "their"})
RELATIVE_PRONOUNS = frozenset({"which", "who", "that", "whom", "whose"})
# Nouns that only count the people named after them ("hundreds of students").
QUANTITY_NOUNS = frozenset(
    {"hundred", "thousand", "dozen", "score", "million", "group", "number", "crowd", "member", "one"}
)
# Modifiers that belong to a noun phrase naming an actor.
NP_DEPS = frozenset({"compound", "amod", "det", "nummod", "poss", "nmod", "case", "quantmod", "advmod", "npadvmod"})


def matches(token: Token, pattern: DepPattern) -> bool:
    """Does the token have a child matching `dep:lemmas`? `pobj` asks for the object of any of its
    prepositions ("killed *in this deal*"), since that object is a grandchild in the parse, and
    `head` for the word that governs the token ("*carry out* attacks")."""
    if pattern.dep == "head":  # the word governing the trigger: "carry out *attacks*"
        candidates = [token.head] if token.head.i != token.i else []
    elif pattern.dep == "pobj":
        candidates = [g for c in token.children if c.dep_ == "prep" for g in c.children if g.dep_ == "pobj"]
    else:
        candidates = [child for child in token.children if child.dep_ == pattern.dep]
    for child in candidates:
        # "called ... on Friday": a time phrase is never the argument a pattern asks for.
        if child.dep_ == "prep" and any(g.ent_type_ in ("DATE", "TIME") for g in child.children if g.dep_ == "pobj"):
            continue
        if pattern.lemmas is None:
            return True
        lemma = child.lemma_.lower()
        if lemma in pattern.lemmas or child.lower_ in pattern.lemmas:
            return True
        # "@PERSON": a word of a named entity of that label ("met Juan Guaido").
        if child.ent_type_ and f"@{child.ent_type_}" in pattern.lemmas:
            return True
    return False


def children(token: Token, *deps: str) -> list[Token]:
    return [child for child in token.children if child.dep_ in deps]


def conjuncts(token: Token) -> list[Token]:
    """The token and the words coordinated with it ("Iran and Syria")."""
    return [token, *token.conjuncts]


def noun_phrase(token: Token) -> Span:
    """The span of the noun phrase headed by `token`, without relative clauses or trailing PPs.

    Keeps "of" phrases that name who someone is ("Secretary of State Mike Pompeo") and
    appositions are left to the caller.
    """
    doc = token.doc
    left = token.i
    right = token.i
    for child in token.lefts:
        if child.dep_ in NP_DEPS or child.dep_ == "prep":
            left = min(left, child.left_edge.i)
    for child in token.rights:
        if child.dep_ in ("compound", "nummod", "case") or (
            # "Secretary of State", "One of the Western diplomats"
            child.dep_ == "prep"
            and child.lower_ == "of"
            and (
                token.ent_type_ in ("PERSON", "ORG")
                or token.pos_ in ("NUM", "PRON")
                or token.lemma_.lower() in QUANTITY_NOUNS
            )
        ):
            right = max(right, child.right_edge.i)
        elif child.dep_ in ("appos", "compound") and child.ent_type_ == "PERSON" and child.left_edge.i == right + 1:
            # "Iran's top military commander Qassem Soleimani": the name belongs to the phrase.
            right = max(right, child.right_edge.i)
    # Trim leading punctuation and determiners the parse attached oddly.
    while left < right and (doc[left].is_punct or doc[left].dep_ == "cc"):
        left += 1
    return doc[left : right + 1]


def prep_objects(token: Token, *preps: str) -> list[Token]:
    """Objects of the prepositions `preps` attached to the token ("attack *on* the embassy")."""
    found = []
    for child in token.children:
        if child.dep_ in ("prep", "agent", "dative") and child.lower_ in preps:
            found.extend(grand for grand in child.children if grand.dep_ == "pobj")
    return found


def is_pronoun(token: Token) -> bool:
    """ "us" is a pronoun; "US" is a country."""
    if token.text.isupper() and len(token.text) > 1:
        return False
    return token.lower_ in PRONOUNS or token.pos_ == "PRON"


def path_up(token: Token, sentence: Span) -> Iterator[Token]:
    """The token's ancestors inside its sentence, nearest first."""
    current = token
    while current.head.i != current.i and sentence.start <= current.head.i < sentence.end:
        current = current.head
        yield current


def subtree_lemmas(token: Token) -> set[str]:
    return {t.lemma_.lower() for t in token.subtree} | {t.lower_ for t in token.subtree}


def resolve_relative(token: Token) -> Token:
    """'forces that Washington accused': the relative pronoun stands for the noun it modifies."""
    if token.lower_ in RELATIVE_PRONOUNS:
        for ancestor in token.ancestors:
            if ancestor.dep_ in ("relcl", "acl") and ancestor.head.pos_ in ("NOUN", "PROPN"):
                return ancestor.head
    return token
