"""Decoded text (or an extracted page) to an `Article`: the checks and metadata every input shares.

Whatever the input was (a file, a JSON line, standard input), it ends here, so that every article
is cleaned, capped, titled, dated and language-checked the same way.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime

from tripwire.config import Settings
from tripwire.read.blocks import default_patterns, is_debris, looks_like_title, same_headline
from tripwire.read.decode import clean_text
from tripwire.read.language import ENGLISH, NO_LANGUAGE, detect_language, language_name
from tripwire.record import Article, Reject, article_id_for

_ISO_DATE = re.compile(r"^\s*(\d{4})-(\d{2})-(\d{2})(?:$|[T ]|\s)")
_YEAR = re.compile(r"\b(1[89]\d\d|2\d\d\d)\b")
_SPACE = re.compile(r"\s+")


@dataclass
class Metadata:
    """What the input said about the article, besides its text; None where it said nothing."""

    id: str | None = None
    url: str | None = None
    title: str | None = None
    outlet: str | None = None
    home: str | None = None  # the outlet's home, as the input gave it (see `Article.home`)
    # Candidate publication dates, most trusted first (the JSON line's own, --published, the
    # page's metadata); the first that parses wins, and each one that does not leaves a warning.
    published: list[tuple[str, str]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def normalise_date(value: str) -> str | None:
    """ISO `YYYY-MM-DD` for a date written in any common way, or None.

    ISO forms (with or without a time and zone) are read directly; anything else goes to
    dateparser, but only if it names a year, so "yesterday" never becomes today's date.
    """
    value = value.strip()
    if not value:
        return None
    match = _ISO_DATE.match(value)
    if match:
        try:
            return date(int(match[1]), int(match[2]), int(match[3])).isoformat()
        except ValueError:
            return None
    try:
        return datetime.fromisoformat(value).date().isoformat()
    except ValueError:
        pass
    if not _YEAR.search(value):
        return None
    import dateparser

    parsed = dateparser.parse(
        value,
        languages=["en"],
        settings={"REQUIRE_PARTS": ["day", "month", "year"], "PREFER_DATES_FROM": "past"},
    )
    return parsed.date().isoformat() if parsed else None


def plain_text_title(text: str) -> str | None:
    """The first line, if it is shaped like a headline and more text follows it.

    Short (at most 20 words), without a sentence-final period, and followed by a blank line or
    more text. Lines of page debris before it ("Advertisement") are passed over, as the block
    finder does. The title stays in the text; it is only named here.
    """
    patterns = default_patterns()
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    for i, line in enumerate(lines):
        if is_debris(line, patterns):
            continue
        more_text = any(not is_debris(rest, patterns) for rest in lines[i + 1 :])
        return line if more_text and looks_like_title(line) else None
    return None


def _truncate_chars(text: str, limit: int) -> str:
    """Cut at the last whitespace before `limit`, so no word is cut in half."""
    if len(text) <= limit:
        return text
    cut = text.rfind(" ", max(0, limit - 1000), limit + 1)
    newline = text.rfind("\n", max(0, limit - 1000), limit + 1)
    cut = max(cut, newline)
    return text[: cut if cut > 0 else limit].rstrip()


def make_article(
    text: str,
    source: str,
    meta: Metadata,
    settings: Settings,
    *,
    prepend_title: bool = False,
    clean: bool = True,
) -> Article | Reject:
    """Clean, check and describe one article's text.

    `prepend_title`: for pages, whose headline is metadata and may be missing from the extracted
    body; the title is put first (followed by a blank line) so that a headline event has evidence
    offsets like any other sentence. `clean=False` keeps the text exactly as given (no decoding
    repairs, no stripping), for callers whose own offsets must stay valid.
    """
    warnings = list(meta.warnings)
    if clean:
        # Cleaning barely changes the length, so text far past the cap is cut first (it will be
        # cut again below, at a word, with a warning).
        text = clean_text(text[: 2 * settings.max_text_chars]).strip()
    if not text.strip():
        return Reject(source, "empty: there is no text in this input", id=meta.id)
    title = _SPACE.sub(" ", clean_text(meta.title)).strip() if meta.title else None
    if title and prepend_title:
        head = text.split("\n\n", 3)[:3]
        if not any(same_headline(paragraph, title) for paragraph in head):
            text = f"{title}\n\n{text}"
    if len(text) > settings.max_text_chars:
        text = _truncate_chars(text, settings.max_text_chars)
        warnings.append(f"text truncated at {settings.max_text_chars:,} characters (TRIPWIRE_MAX_TEXT_CHARS)")
    if not title:
        title = plain_text_title(text)

    guess = detect_language(text)
    if guess.code == NO_LANGUAGE:
        return Reject(
            source,
            "not text: most of its words are not words of any language (encoded data such as base64 or hex?); "
            "give the decoded article",
            id=meta.id,
        )
    if guess.code != ENGLISH:
        return Reject(
            source,
            f"not English: the text looks {language_name(guess.code)} ({guess.code}); tripwire codes English text only",
            id=meta.id,
        )

    published = None
    for origin, value in meta.published:
        published = normalise_date(value)
        if published:
            break
        warnings.append(f"{origin} {value!r} is not a date; ignored (write it as YYYY-MM-DD)")

    return Article(
        article_id=article_id_for(text),
        text=text,
        url=meta.url,
        title=title,
        outlet=meta.outlet,
        home=meta.home,
        published=published,
        language=guess.code,
        id=meta.id,
        input=source,
        warnings=warnings,
    )
