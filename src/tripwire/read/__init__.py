"""The read stage: user inputs to `Article`s (or `Reject`s), and the blocks of an article's text.

    from tripwire.read import read_inputs
    for item in read_inputs(["news/", "more.jsonl"], published="2020-09-28"):
        ...  # an Article, or a Reject saying why that input was refused

See docs/reading.md for what is accepted and how bad input is reported.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import BinaryIO

from tripwire.config import Settings, load_settings
from tripwire.read import sources
from tripwire.read.article import Metadata, make_article, normalise_date
from tripwire.read.blocks import find_blocks, load_patterns
from tripwire.read.decode import ReadError, clean_text, decode_bytes
from tripwire.read.html import ExtractedPage, extract_html
from tripwire.read.language import detect_language
from tripwire.record import Article, Reject

__all__ = [
    "ExtractedPage",
    "Metadata",
    "ReadError",
    "clean_text",
    "decode_bytes",
    "detect_language",
    "extract_html",
    "find_blocks",
    "load_patterns",
    "make_article",
    "normalise_date",
    "read_inputs",
    "read_text",
    "with_home",
]


def read_inputs(
    paths: Sequence[str],
    published: str | None = None,
    settings: Settings | None = None,
    stdin: BinaryIO | None = None,
    home: str | None = None,
) -> Iterator[Article | Reject]:
    """Every article of every input, in order, each an `Article` or a `Reject` with its reason.

    PATH is a text or HTML file (optionally gzipped), a folder of them (recursive, sorted), a
    `.jsonl` file of `{"id", "text"}` lines, or `-` for `stdin` (default: the process's standard
    input). `published` (the CLI's --published) is the publication date and `home` (--home) the
    outlet's home for inputs that do not carry their own. Never raises for bad input.
    """
    return with_home(sources.read_inputs(paths, published, settings or load_settings(), stdin), home)


def with_home(items: Iterable[Article | Reject], home: str | None) -> Iterator[Article | Reject]:
    """The items, each article without a home of its own given `home` (the CLI's --home)."""
    for item in items:
        if home and isinstance(item, Article) and not item.home:
            item.home = home
        yield item


def read_text(
    text: str,
    *,
    id: str | None = None,
    url: str | None = None,
    title: str | None = None,
    published: str | None = None,
    home: str | None = None,
    source: str = "<text>",
    settings: Settings | None = None,
    clean: bool = True,
) -> Article | Reject:
    """One article from a string already in memory (a library caller's own text).

    `clean=False` keeps the text byte for byte, so that offsets tripwire reports are offsets into
    the caller's string (the default repairs mojibake, glued sentences and invisible characters,
    which can move them).
    """
    meta = Metadata(id=id, url=url, title=title, home=home)
    if published:
        meta.published.append(("published", published))
    return make_article(text, source, meta, settings or load_settings(), clean=clean)
