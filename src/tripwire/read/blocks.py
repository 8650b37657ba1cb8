"""The blocks of an article: which stretches are title, body, heading, photo caption or debris.

Scraped text mixes the article with what surrounded it on the page. Later stages must not code an
event from a comment form, and should know that "Protesters burn property outside the US Embassy
[Khalid Mohammed/AP]" is a photo caption (which may still report a real event). This module only
marks; it never removes text, because every offset in an event points into the article text.

The patterns for debris and captions live in `data/debris.toml`; the rules here are the shape of a
paragraph (length, final punctuation, position).
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files
from pathlib import Path

from tripwire.document import Block

TITLE, BODY, HEADING, CAPTION, DEBRIS = "title", "body", "heading", "caption", "debris"

# A line that ends like this finishes a sentence (or a quotation), so it is not a title or heading.
_FINAL_PUNCTUATION = tuple(".!?…:;,\"”’'»)")
# A single newline joins two lines into one paragraph only when the first is long and stops
# mid-sentence, as in hard-wrapped plain text; short lines ("Please enter your comment!") stand alone.
WRAPPED_LINE_MIN_CHARS = 40
TITLE_MAX_WORDS = 20
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class BlockPatterns:
    """Compiled debris and caption patterns, and the size limits that go with them."""

    debris: tuple[re.Pattern[str], ...]
    caption: tuple[re.Pattern[str], ...]
    debris_max_chars: int
    caption_max_chars: int
    heading_max_words: int
    heading_max_chars: int


def load_patterns(extra: Iterable[str | Path] = ()) -> BlockPatterns:
    """The shipped patterns, plus those of any extra TOML files of the same shape.

    An extra file's [[debris]] and [[caption]] entries are added to the shipped ones; its [limits]
    replace the shipped limits one by one.
    """
    tables = [tomllib.loads((files("tripwire.data") / "debris.toml").read_text(encoding="utf-8"))]
    tables += [tomllib.loads(Path(path).read_text(encoding="utf-8")) for path in extra]
    limits: dict[str, int] = {}
    debris: list[re.Pattern[str]] = []
    caption: list[re.Pattern[str]] = []
    for table in tables:
        limits.update(table.get("limits", {}))
        debris += [_compile(entry["pattern"]) for entry in table.get("debris", [])]
        caption += [_compile(entry["pattern"]) for entry in table.get("caption", [])]
    return BlockPatterns(
        debris=tuple(debris),
        caption=tuple(caption),
        debris_max_chars=int(limits["debris_max_chars"]),
        caption_max_chars=int(limits["caption_max_chars"]),
        heading_max_words=int(limits["heading_max_words"]),
        heading_max_chars=int(limits["heading_max_chars"]),
    )


def _compile(pattern: str) -> re.Pattern[str]:
    try:
        return re.compile(pattern, re.IGNORECASE)
    except re.error as error:
        raise ValueError(f"bad block pattern {pattern!r}: {error}") from None


@lru_cache(maxsize=1)
def default_patterns() -> BlockPatterns:
    return load_patterns()


def looks_like_title(line: str, max_words: int = TITLE_MAX_WORDS) -> bool:
    """A short line with no sentence-final punctuation: a title or a heading, by its shape."""
    line = line.strip()
    if not line or "\n" in line or len(line.split()) > max_words:
        return False
    if line.endswith(_FINAL_PUNCTUATION) and not line.endswith(("?", "!")):
        return False
    first = line[0]
    return first.isupper() or first.isdigit() or first in "“\"'‘"


def iter_paragraphs(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of each paragraph, trimmed of surrounding whitespace, in text order.

    Blank lines separate paragraphs. A single newline separates them too, unless the line before
    it is long and stops mid-sentence (hard-wrapped prose), so that short lines such as the
    comment-form labels at the end of a scraped page each become a block of their own.
    """
    start: int | None = None
    end = 0
    previous_line = ""
    offset = 0
    for line in text.split("\n"):
        line_start = offset
        offset += len(line) + 1
        stripped = line.strip()
        if not stripped:
            if start is not None:
                yield start, end
                start = None
            continue
        if start is not None and not _continues(previous_line):
            yield start, end
            start = None
        if start is None:
            start = line_start + len(line) - len(line.lstrip())
        end = line_start + len(line.rstrip())
        previous_line = stripped
    if start is not None:
        yield start, end


def _continues(line: str) -> bool:
    """Whether the line after `line` carries on its paragraph (hard-wrapped prose)."""
    return len(line) >= WRAPPED_LINE_MIN_CHARS and not line.endswith(_FINAL_PUNCTUATION)


_NOT_WORD = re.compile(r"[\W_]+")
# A page's <title> often adds the site's name ("... | Middle East", "Opinion | ..."); this many
# extra words at either end still make it the same headline as the one in the text.
SITE_NAME_MAX_WORDS = 6


def _words(text: str) -> list[str]:
    return _NOT_WORD.sub(" ", text.casefold()).split()


def same_headline(a: str, b: str) -> bool:
    """Whether two strings are the same headline, ignoring case, punctuation, quotes' shapes and
    a site name added at either end of one of them."""
    x, y = _words(a), _words(b)
    if not x or not y:
        return False
    short, long = (x, y) if len(x) <= len(y) else (y, x)
    if short == long:
        return True
    if len(short) < 3 or len(long) - len(short) > SITE_NAME_MAX_WORDS:
        return False
    return long[: len(short)] == short or long[-len(short) :] == short


def is_debris(paragraph: str, patterns: BlockPatterns) -> bool:
    return len(paragraph) <= patterns.debris_max_chars and any(p.search(paragraph) for p in patterns.debris)


def classify(
    paragraph: str,
    *,
    is_first: bool,
    matches_title: bool,
    has_body_after: bool,
    patterns: BlockPatterns,
) -> str:
    """The kind of one paragraph; `paragraph` has its whitespace collapsed.

    The known title wins; then the patterns, so that a page starting with "Advertisement" does not
    get that as its title; then the shapes of titles and headings.
    """
    if matches_title:
        return TITLE
    if is_debris(paragraph, patterns):
        return DEBRIS
    if len(paragraph) <= patterns.caption_max_chars and any(p.search(paragraph) for p in patterns.caption):
        return CAPTION
    if is_first and looks_like_title(paragraph):
        return TITLE
    if (
        has_body_after
        and len(paragraph) <= patterns.heading_max_chars
        and looks_like_title(paragraph, max_words=patterns.heading_max_words)
        and not paragraph.endswith("!")
    ):
        return HEADING
    return BODY


def find_blocks(text: str, title: str | None = None, patterns: BlockPatterns | None = None) -> list[Block]:
    """Split `text` into paragraphs and say what each one is.

    `title` is the article's title, when known: the first paragraph among the first three that is
    the same headline (see `same_headline`) is the title block. Otherwise a first paragraph shaped
    like a title (short, no final period) is taken as one, the same rule the reader uses for
    plain text (a page's headline often differs a little from its <title>).

    Offsets start at a paragraph's first non-space character and end after its last, so the
    blocks cover every non-space character of the text, in order, without overlapping.
    """
    patterns = patterns or default_patterns()
    spans = list(iter_paragraphs(text))
    paragraphs = [_SPACE.sub(" ", text[start:end]) for start, end in spans]
    title_index: int | None = None
    if title:
        title_index = next((i for i, p in enumerate(paragraphs[:3]) if same_headline(p, title)), None)
    # Page furniture may come before the headline ("Advertisement"); the first other paragraph
    # is where a title may be.
    first = next((i for i, p in enumerate(paragraphs) if not is_debris(p, patterns)), None)
    kinds = [BODY] * len(spans)
    # Right to left, so that each paragraph knows whether article text follows it.
    body_after = False
    for i in range(len(spans) - 1, -1, -1):
        kinds[i] = classify(
            paragraphs[i],
            is_first=i == first and title_index is None,
            matches_title=i == title_index,
            has_body_after=body_after,
            patterns=patterns,
        )
        body_after = body_after or kinds[i] == BODY
    return [Block(start=start, end=end, kind=kind) for (start, end), kind in zip(spans, kinds, strict=True)]


def block_texts(text: str, blocks: Sequence[Block]) -> list[tuple[str, str]]:
    """(kind, text) pairs, for tests and debugging."""
    return [(block.kind, text[block.start : block.end]) for block in blocks]
