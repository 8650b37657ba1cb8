"""Who "he" or "she" is: the last person named in this sentence or the one before.

Both the attribution stage ("..., he said": is the source named?) and the argument stage ("he
vowed to strike": who is the source?) need this answer, and they must agree, or an event would
have a named source while its citation is counted anonymous. The look-back is deliberately short:
further back, news prose switches people too often for a rule without a coreference model.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.tokens import Token

PERSONAL_PRONOUNS = frozenset({"he", "she", "him", "her"})


def names_a_person(token: Token) -> bool:
    """A person by the parser, or a capitalised word the actor list knows as a person.

    The small model calls "Trump" an ORG, and at the start of a sentence even a common noun, so the
    part of speech is not asked; the capital keeps "trump card" out.
    """
    if token.ent_type_ == "PERSON":
        return True
    if not token.text[:1].isupper():
        return False
    from tripwire.actors import load_actor_kb

    entry = load_actor_kb().entries.get(token.lower_)
    return entry is not None and entry.kind == "person"


def person_named_before(pronoun: Token) -> Token | None:
    """The head word of the last person named before `pronoun` (its sentence and the previous one).

    Compound parts ("Donald" in "Donald Trump") are skipped so that the answer is the name's head,
    which is what the actor resolution looks up.
    """
    if pronoun.lower_ not in PERSONAL_PRONOUNS:
        return None
    doc = pronoun.doc
    sentence = pronoun.sent
    start = doc[sentence.start - 1].sent.start if sentence.start > 0 else sentence.start
    people = [t for t in doc[start : pronoun.i] if names_a_person(t) and t.dep_ != "compound"]
    return people[-1] if people else None
