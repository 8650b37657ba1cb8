"""The segment stage: marks the article's blocks (title, body, heading, caption, debris).

Runs before spaCy, which turns each block start into a sentence start, so a caption or a
comment-form label never fuses with the paragraph above it. The rules are in
`tripwire.read.blocks`, the patterns in `data/debris.toml`.
"""

from __future__ import annotations

from tripwire.document import Document
from tripwire.pipeline import stage
from tripwire.read.blocks import find_blocks


@stage("segment")
def segment(doc: Document) -> None:
    doc.blocks = find_blocks(doc.text, doc.article.title)
