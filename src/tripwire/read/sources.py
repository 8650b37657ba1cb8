"""Where articles come from: files, folders, gzip, JSON lines and standard input.

Each input gives Articles or Rejects, never an exception: a bad file or line is reported with its
reason and the others go on. Sizes are capped while reading (`Settings.max_input_bytes`), so a huge
or endless input never fills memory.
"""

from __future__ import annotations

import gzip
import json
import os
import re
import zlib
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import BinaryIO

from tripwire.config import Settings
from tripwire.read.article import Metadata, make_article
from tripwire.read.decode import ReadError, decode_bytes
from tripwire.read.html import extract_html
from tripwire.record import Article, Reject

STDIN = "-"
STDIN_NAME = "<stdin>"
TEXT_SUFFIXES = (".txt", ".text")
HTML_SUFFIXES = (".html", ".htm", ".xhtml")
JSONL_SUFFIXES = (".jsonl",)
# What a folder is searched for (and the same names ending in .gz).
FOLDER_SUFFIXES = TEXT_SUFFIXES + HTML_SUFFIXES + JSONL_SUFFIXES
_CHUNK = 1 << 16
_HTML_START = re.compile(r"<(!doctype html|html|head|body|article|main|div|p|h[1-6]|section|meta|title)\b")

Result = Article | Reject


def read_inputs(
    paths: Sequence[str], published: str | None, settings: Settings, stdin: BinaryIO | None
) -> Iterator[Result]:
    """Every article (or reject) of every path, in order; folders are walked in sorted order."""
    for path in paths:
        if path == STDIN:
            yield from read_stdin(stdin, published, settings)
        else:
            yield from read_path(Path(path), published, settings)


def read_path(path: Path, published: str | None, settings: Settings) -> Iterator[Result]:
    name = str(path)
    try:
        if path.is_dir():
            yield from _read_folder(path, published, settings)
            return
        if not path.exists():
            yield Reject(name, "no such file or folder")
            return
        yield from read_file(path, published, settings)
    except PermissionError as error:
        yield Reject(name, f"permission denied: {error.strerror or error}")
    except OSError as error:
        yield Reject(name, f"cannot read: {error.strerror or error}")


def _read_folder(folder: Path, published: str | None, settings: Settings) -> Iterator[Result]:
    """Files under `folder` with a known suffix, recursively, sorted; hidden entries skipped."""
    errors: list[OSError] = []
    files: list[Path] = []
    for root, dirs, names in os.walk(folder, onerror=errors.append):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        files += [
            Path(root) / name
            for name in names
            if not name.startswith(".") and name.lower().removesuffix(".gz").endswith(FOLDER_SUFFIXES)
        ]
    # Sorted as paths (by component), so "a.txt" < "b/c.txt" < "broken.txt" wherever files sit.
    for path in sorted(files):
        yield from read_path(path, published, settings)
    for error in errors:
        yield Reject(str(error.filename or folder), f"cannot read folder: {error.strerror or error}")
    if not files and not errors:
        yield Reject(
            str(folder),
            f"folder has no files to read (looked for {', '.join(FOLDER_SUFFIXES)} and the same .gz)",
        )


def _inner_suffix(path: Path) -> str:
    """The suffix that says what a file holds: "x.html.gz" holds HTML."""
    name = path.name.lower().removesuffix(".gz")
    return Path(name).suffix


def read_file(path: Path, published: str | None, settings: Settings) -> Iterator[Result]:
    name = str(path)
    compressed = path.name.lower().endswith(".gz")
    if _inner_suffix(path) in JSONL_SUFFIXES:
        with _open(path, compressed) as stream:
            yield from read_jsonl(stream, name, published, settings)
        return
    try:
        with _open(path, compressed) as stream:
            data = stream.read(settings.max_input_bytes + 1)
    except (gzip.BadGzipFile, EOFError, zlib.error) as error:
        yield Reject(name, f"not a valid gzip file ({error}); decompress it or fix the name")
        return
    # Anything not named as HTML is sniffed: pages saved as .txt or without a suffix are common.
    kind = "html" if _inner_suffix(path) in HTML_SUFFIXES else None
    yield read_document(data, name, published, settings, kind=kind)


def _open(path: Path, compressed: bool) -> BinaryIO:
    return gzip.open(path, "rb") if compressed else path.open("rb")  # type: ignore[return-value]


def read_stdin(stdin: BinaryIO | None, published: str | None, settings: Settings) -> Iterator[Result]:
    """Standard input: JSON lines if it starts with a JSON object, else one HTML or text article."""
    if stdin is None:
        import sys

        stdin = sys.stdin.buffer
    head = stdin.read(_CHUNK)
    if _looks_like_jsonl(head):
        yield from read_jsonl(stdin, STDIN_NAME, published, settings, prefix=head)
        return
    rest = stdin.read(settings.max_input_bytes + 1 - len(head)) if head else b""
    yield read_document(head + rest, STDIN_NAME, published, settings, kind=None)


def _looks_like_jsonl(head: bytes) -> bool:
    """Standard input that starts with "{" is JSON lines (a text article never starts so)."""
    return head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{")


def _looks_like_html(text: str) -> bool:
    """Markup at the very start: a doctype, <html>, or a bare fragment such as <p> or <article>."""
    head = text[:1024].lstrip().lower()
    return bool(_HTML_START.match(head)) or (head.startswith("<") and "<html" in head)


def read_document(data: bytes, source: str, published: str | None, settings: Settings, *, kind: str | None) -> Result:
    """One article from the raw bytes of a file or stream; `kind` None means sniff HTML vs text."""
    warnings: list[str] = []
    truncated = len(data) > settings.max_input_bytes
    if truncated:
        data = data[: settings.max_input_bytes]
        warnings.append(f"input truncated at {settings.max_input_bytes:,} bytes (TRIPWIRE_MAX_INPUT_BYTES)")
    if not data.strip():
        return Reject(source, "empty: there is no text in this input")
    try:
        decoded = decode_bytes(data, truncated=truncated)
    except ReadError as error:
        return Reject(source, str(error))
    warnings += decoded.warnings
    meta = Metadata(warnings=warnings)
    if published:
        meta.published.append(("--published", published))
    if kind == "html" or (kind is None and _looks_like_html(decoded.text)):
        return _from_html(decoded.text, source, meta, settings)
    return make_article(decoded.text, source, meta, settings)


def _from_html(html: str, source: str, meta: Metadata, settings: Settings) -> Result:
    page = extract_html(html, url=meta.url)
    if page is None:
        return Reject(
            source,
            "HTML with no extractable main text (no article body found); "
            "if this is an index or list page, pass the article pages themselves",
            id=meta.id,
        )
    meta.title = meta.title or page.title
    meta.outlet = meta.outlet or page.outlet
    meta.url = meta.url or page.url
    if page.date:
        meta.published.append(("page date", page.date))
    return make_article(page.text, source, meta, settings, prepend_title=True)


def _iter_lines(stream: BinaryIO, limit: int, prefix: bytes = b"") -> Iterator[tuple[int, bytes | None]]:
    """(line number, line) for each line; None for a line longer than `limit`, which is skipped
    without being held in memory."""
    buffer = prefix
    number = 0
    skipping = False
    while True:
        newline = buffer.find(b"\n")
        if newline >= 0:
            number += 1
            line = buffer[:newline]
            yield number, None if skipping or len(line) > limit else line
            buffer = buffer[newline + 1 :]
            skipping = False
            continue
        if len(buffer) > limit:
            skipping = True
            buffer = b""
        chunk = stream.read(_CHUNK)
        if not chunk:
            if buffer or skipping:
                number += 1
                yield number, None if skipping else buffer
            return
        buffer += chunk


def read_jsonl(
    stream: BinaryIO, name: str, published: str | None, settings: Settings, prefix: bytes = b""
) -> Iterator[Result]:
    """One article or reject per non-blank line; a bad line never stops the others."""
    try:
        for number, line in _iter_lines(stream, settings.max_input_bytes, prefix):
            source = f"{name}:{number}"
            if line is None:
                yield Reject(
                    source,
                    f"line longer than {settings.max_input_bytes:,} bytes; raise TRIPWIRE_MAX_INPUT_BYTES "
                    "or split the article",
                )
                continue
            if number == 1:
                line = line.removeprefix(b"\xef\xbb\xbf")
            if line.strip():
                yield _from_json_line(line, source, published, settings)
    except (gzip.BadGzipFile, EOFError, zlib.error) as error:
        yield Reject(name, f"not a valid gzip file ({error}); decompress it or fix the name")


def _from_json_line(line: bytes, source: str, published: str | None, settings: Settings) -> Result:
    try:
        record = json.loads(line)
    except UnicodeDecodeError:
        return Reject(source, "line is not valid UTF-8 (JSON lines must be UTF-8)")
    except ValueError as error:
        return Reject(source, f"malformed JSON: {error}")
    if not isinstance(record, dict):
        return Reject(source, f'expected a JSON object with "id" and "text", got {type(record).__name__}')
    raw_id = record.get("id")
    line_id = None if raw_id is None else str(raw_id)
    fields = {key: record.get(key) for key in ("text", "html", "url", "title", "published", "home")}
    bad = [key for key, value in fields.items() if value is not None and not isinstance(value, str)]
    if bad:
        return Reject(source, f"field {bad[0]!r} must be a string", id=line_id)
    meta = Metadata(id=line_id, url=fields["url"], title=fields["title"], home=fields["home"])
    if fields["published"]:
        meta.published.append(('"published"', fields["published"]))
    if published:
        meta.published.append(("--published", published))
    if fields["text"] is not None:
        return make_article(fields["text"], source, meta, settings)
    if fields["html"] is not None:
        return _from_html(fields["html"], source, meta, settings)
    return Reject(source, 'missing "text" (or "html"): each line needs {"id": ..., "text": ...}', id=line_id)
