"""HTML pages to main text and metadata, through trafilatura.

trafilatura finds the article body and drops navigation, comments and footers; we only decide how
its output becomes plain text. We walk its element tree ourselves rather than ask for its `txt`
output, because `txt` separates paragraphs with a single newline: we want a blank line between
paragraphs, so that the block finder and the sentence splitter see the same paragraph breaks a
reader does.

trafilatura drops `<figcaption>` elements. A caption can report a real event ("Protesters burn
property outside the embassy ..."), so before extraction each caption is turned into a paragraph,
and the block finder later marks it as a caption by its photo credit. The settings below were
chosen on the scrapinghub article-extraction benchmark (`tripwire eval article-extraction`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

_WHITESPACE = re.compile(r"[ \t\r\n\f\v\u00a0]+")
# trafilatura's elements that break a line or start a block of their own.
_BLOCK_TAGS = ("lb", "p", "head", "list", "item", "quote", "table", "row", "cell", "code")


@dataclass(frozen=True)
class ExtractOptions:
    """The trafilatura settings tripwire uses; see docs/reading.md for how they were chosen."""

    favor_precision: bool = True  # F1 0.961 against 0.954 without, on the benchmark
    favor_recall: bool = False
    include_tables: bool = True
    keep_captions: bool = True
    fast: bool = False


DEFAULT_OPTIONS = ExtractOptions()


@dataclass
class ExtractedPage:
    """What a page gave: its main text (paragraphs separated by blank lines) and metadata."""

    text: str
    title: str | None = None
    date: str | None = None
    outlet: str | None = None
    url: str | None = None


def extract_html(
    html: str | bytes, url: str | None = None, options: ExtractOptions = DEFAULT_OPTIONS
) -> ExtractedPage | None:
    """Extract the main text and metadata of a page, or None when it has no main text.

    Broken markup never raises: lxml repairs what it can, and anything trafilatura cannot parse
    counts as a page without main text.
    """
    import trafilatura

    tree = _parse(html)
    if tree is None:
        return None
    if options.keep_captions:
        _captions_to_paragraphs(tree)
    try:
        document = trafilatura.bare_extraction(
            tree,
            url=url,
            fast=options.fast,
            favor_precision=options.favor_precision,
            favor_recall=options.favor_recall,
            include_comments=False,
            include_tables=options.include_tables,
            include_images=False,
            with_metadata=True,
        )
    except Exception:  # trafilatura and lxml raise many kinds on hostile markup; none must escape
        return None
    if document is None or getattr(document, "body", None) is None:
        return None
    text = "\n\n".join(_paragraphs(document.body))
    if not text.strip():
        return None
    return ExtractedPage(
        text=text,
        title=_clean(document.title),
        date=_clean(document.date),
        outlet=_clean(document.sitename),
        url=_clean(document.url) or url,
    )


def _parse(html: str | bytes) -> Any:
    """Parse into an lxml tree; trafilatura's own loader guesses the encoding of bytes.

    A bare fragment ("<p>...</p>", as in a JSON line's "html") is wrapped in a page first: the
    loader does not take a fragment for a document.
    """
    from trafilatura.utils import load_html

    head = html[:4096].lower()
    if (b"<html" if isinstance(html, bytes) else "<html") not in head:
        html = (
            b"<html><body>" + html + b"</body></html>"
            if isinstance(html, bytes)
            else f"<html><body>{html}</body></html>"
        )
    try:
        return load_html(html)
    except Exception:
        return None


def _captions_to_paragraphs(tree: Any) -> None:
    """Turn each `<figcaption>` into a `<p>` so that trafilatura keeps it in the main text.

    trafilatura removes `<figure>` elements whole, so the figure becomes a plain `<div>` too
    (its image is dropped later anyway, as images are not extracted).
    """
    for caption in list(tree.iter("figcaption")):
        caption.tag = "p"
        caption.attrib.clear()  # trafilatura discards elements whose class says "caption"
        parent = caption.getparent()
        while parent is not None and parent.tag != "figure":
            parent = parent.getparent()
        if parent is not None:
            parent.tag = "div"
            parent.attrib.clear()


def _paragraphs(body: Any) -> Iterator[str]:
    """One string per paragraph, heading, list item and table row of trafilatura's tree."""
    for element in body:
        tag = element.tag
        if tag == "list":
            for item in element.findall("item"):  # a nested list stays inside its item's text
                text = _element_text(item)
                if text:
                    yield text
        elif tag == "table":
            for row in element.iter("row"):
                cells = [_element_text(cell) for cell in row.iter("cell")]
                line = " | ".join(cell for cell in cells if cell)
                if line:
                    yield line
        else:  # p, head, quote, code and anything a later trafilatura adds: one paragraph each
            text = _element_text(element)
            if text:
                yield text


def _element_text(element: Any) -> str:
    """The text of an element with its whitespace collapsed.

    Inline markup joins as it is ("<hi>Bag</hi>hdad"); line breaks and nested blocks (a list in a
    list item, a paragraph in a quote) are separated by a space.
    """
    for node in element.iterdescendants(*_BLOCK_TAGS):
        node.text = " " + (node.text or "")
        node.tail = " " + (node.tail or "")
    return _WHITESPACE.sub(" ", "".join(element.itertext())).strip()


def _clean(value: str | None) -> str | None:
    if value is None:
        return None
    value = _WHITESPACE.sub(" ", value).strip()
    return value or None
