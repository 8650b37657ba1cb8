"""Ingest sources: what each PATH argument of `tripwire ingest` is, and the articles it gives.

A registry, like the export formats: each source kind has a `detect(path)` and a `read(path, ctx)`
that yields Articles and Rejects (never raises for bad input). Built in, tried in this order:

- `url`: an http(s) URL given on the command line: a page, or a feed whose entries are fetched.
- `warc`: `*.warc`, `*.warc.gz`, `*.arc.gz` web archives (warcio): HTML responses and WET text.
- `feed`: a local RSS/Atom file (`*.rss`, `*.atom`, or XML that starts like a feed): entry links
  are fetched (entries without a link but with content are used as they are).
- `urls`: a text file whose lines are URLs (blank lines and `#` comments allowed), such as a
  `feeds.txt`; each URL is fetched and may itself be a feed.
- `files`: anything else (text, HTML, gzip, `.jsonl`, folders, `-`): the reader
  (`tripwire.read.read_inputs`), so files mean here exactly what they mean to `tripwire extract`.

Folders are walked here first so that web archives and feeds inside them are recognized too; the
other files of a folder go to the reader.
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from tripwire.config import Settings
from tripwire.ingest.fetch import FetchError, FetchOptions, Response, fetch
from tripwire.ingest.polite import Politeness
from tripwire.record import Article, Reject

Item = Article | Reject

WARC_SUFFIXES = (".warc", ".warc.gz", ".arc", ".arc.gz", ".wet", ".wet.gz")
FEED_SUFFIXES = (".rss", ".atom")
URL_LIST_SUFFIXES = (".txt", ".urls", ".list", ".lst")
_URL_PREFIXES = ("http://", "https://")


@dataclass
class SourceContext:
    """What every source needs: settings, fetch options, and a way to skip URLs already stored."""

    settings: Settings
    fetch: FetchOptions = field(default_factory=FetchOptions)
    published: str | None = None
    fetch_workers: int = 8
    # Returns the subset of the given inputs (URLs) already in the store; a rerun does not refetch them.
    known_inputs: Callable[[list[str]], set[str]] = lambda inputs: set()
    skipped: int = 0  # URLs not fetched because the store has them already
    # robots.txt answers and per-host pacing, shared by all fetches of one run
    polite: Politeness = field(init=False)

    def __post_init__(self) -> None:
        self.polite = Politeness(self.fetch)


@dataclass(frozen=True)
class Source:
    name: str
    detect: Callable[[str], bool]
    read: Callable[[str, SourceContext], Iterator[Item]]


SOURCES: list[Source] = []


def source(name: str, detect: Callable[[str], bool]) -> Callable[[Callable], Callable]:
    """Register a source kind; a later registration of the same name replaces the earlier one."""

    def register(fn: Callable[[str, SourceContext], Iterator[Item]]) -> Callable:
        SOURCES[:] = [s for s in SOURCES if s.name != name]
        SOURCES.append(Source(name, detect, fn))
        return fn

    return register


def kind_of(path: str) -> str:
    for src in SOURCES:
        if src.detect(path):
            return src.name
    return "files"


def iter_items(paths: Iterable[str], ctx: SourceContext) -> Iterator[Item]:
    """Every article and reject of every PATH, in order."""
    by_name = {src.name: src for src in SOURCES}
    for path in paths:
        if path != "-" and not path.startswith(_URL_PREFIXES) and Path(path).is_dir():
            yield from _read_folder(Path(path), ctx)
            continue
        yield from by_name.get(kind_of(path), FILES).read(path, ctx)


def _read_folder(folder: Path, ctx: SourceContext) -> Iterator[Item]:
    """Archives and feeds in a folder are read here; the rest of the folder goes to the reader at once."""
    special: list[str] = []
    for root, dirs, names in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(names):
            full = str(Path(root) / name)
            if not name.startswith(".") and (_is_warc(full) or _is_feed_file(full)):
                special.append(full)
    if special:
        skip = {*special, str(folder)}  # the reader's "no files to read" is wrong when archives are there
        yield from _read_files([str(folder)], ctx, exclude=skip)
        for path in special:
            yield from (read_warc if _is_warc(path) else read_feed_file)(path, ctx)
    else:
        yield from _read_files([str(folder)], ctx)


# -- files (the reader) ------------------------------------------------------------------------


def _read_files(paths: list[str], ctx: SourceContext, exclude: set[str] | None = None) -> Iterator[Item]:
    from tripwire.read import read_inputs

    for item in read_inputs(paths, published=ctx.published, settings=ctx.settings):
        if exclude and isinstance(item, Reject) and item.input in exclude:
            continue
        if exclude and isinstance(item, Article) and item.input in exclude:
            continue
        yield item


def read_files(path: str, ctx: SourceContext) -> Iterator[Item]:
    return _read_files([path], ctx)


FILES = Source("files", lambda path: True, read_files)


# -- web pages -----------------------------------------------------------------------------------


def page_to_item(
    body: bytes,
    source: str,
    url: str | None,
    ctx: SourceContext,
    *,
    truncated: bool = False,
    is_html: bool | None = None,
    fallback_date: str | None = None,
    title: str | None = None,
    id: str | None = None,
) -> Item:
    """Bytes of a fetched or archived page to an Article through the reader's own checks."""
    from tripwire.read import Metadata, ReadError, decode_bytes, extract_html, make_article
    from tripwire.read.decode import decode_truncated

    warnings = []
    if truncated:
        warnings.append(f"page truncated at {ctx.fetch.max_bytes:,} bytes (--max-bytes)")
    try:
        decoded = decode_truncated(body) if truncated else decode_bytes(body)
    except ReadError as error:
        return Reject(source, str(error), id=id)
    meta = Metadata(id=id, url=url, title=title, warnings=warnings + decoded.warnings)
    if ctx.published:
        meta.published.append(("--published", ctx.published))
    text = decoded.text
    looks_html = is_html if is_html is not None else "<" in text[:2048] and "</" in text
    if looks_html:
        page = extract_html(text, url=url)
        if page is None:
            return Reject(source, "HTML with no extractable main text (no article body found)", id=id)
        meta.title = meta.title or page.title
        meta.outlet = page.outlet
        if page.date:
            meta.published.append(("page date", page.date))
        text = page.text
    if fallback_date:
        meta.published.append(("crawl date", fallback_date))
    return make_article(text, source, meta, ctx.settings, prepend_title=bool(looks_html))


def _response_to_items(response: Response, source: str, ctx: SourceContext, expand_feeds: bool) -> Iterator[Item]:
    if response.is_feed:
        if not expand_feeds:
            yield Reject(source, "a feed inside a feed is not followed")
            return
        yield from _feed_items(response.body, source, ctx)
        return
    yield page_to_item(
        response.body,
        source,
        response.url,
        ctx,
        truncated=response.truncated,
        is_html="html" in response.content_type or None,
        fallback_date=datetime.now(UTC).date().isoformat(),
    )


def _fetch_items(url: str, ctx: SourceContext, expand_feeds: bool = True) -> list[Item]:
    try:
        ctx.polite.check(url)
        response = fetch(url, ctx.fetch)
    except FetchError as error:
        return [Reject(url, f"fetch failed: {error.reason}")]
    return list(_response_to_items(response, url, ctx, expand_feeds))


def fetch_all(urls: Iterable[str], ctx: SourceContext, expand_feeds: bool = True) -> Iterator[Item]:
    """Fetch URLs on a few threads (network-bound), in input order, at most a bounded number in flight.

    URLs already stored are skipped; the store is asked in chunks so that a long list stays cheap.
    """
    window = max(1, ctx.fetch_workers) * 2
    pending: deque[Future[list[Item]]] = deque()
    with ThreadPoolExecutor(max_workers=max(1, ctx.fetch_workers), thread_name_prefix="tripwire-fetch") as pool:
        for chunk in _chunks(_unique(urls), 256):
            known = ctx.known_inputs(chunk)
            for url in chunk:
                if url in known:
                    ctx.skipped += 1
                    continue
                pending.append(pool.submit(_fetch_items, url, ctx, expand_feeds))
                while len(pending) >= window:
                    yield from pending.popleft().result()
        while pending:
            yield from pending.popleft().result()


def _unique(items: Iterable[str]) -> Iterator[str]:
    seen: set[str] = set()
    for item in items:
        if item not in seen:
            seen.add(item)
            yield item


def _chunks(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    chunk: list[Any] = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


@source("url", lambda path: path.startswith(_URL_PREFIXES))
def read_url(path: str, ctx: SourceContext) -> Iterator[Item]:
    # A URL named on the command line is always fetched (it may be a feed with new entries).
    yield from _fetch_items(path, ctx)


# -- URL lists -----------------------------------------------------------------------------------


def _url_lines(path: str) -> Iterator[str]:
    with open(path, encoding="utf-8", errors="replace") as handle:
        for line in handle:
            line = line.strip()
            if line and not line.startswith("#"):
                yield line


def _is_url_list(path: str) -> bool:
    """A .txt (or .urls, .list) file whose first lines are all URLs; an article is never shaped so."""
    if not path.lower().endswith(URL_LIST_SUFFIXES) or not os.path.isfile(path):
        return False
    try:
        head = []
        for line in _url_lines(path):
            head.append(line)
            if len(head) >= 20:
                break
    except OSError:
        return False
    return bool(head) and all(line.startswith(_URL_PREFIXES) and " " not in line for line in head)


@source("urls", _is_url_list)
def read_url_list(path: str, ctx: SourceContext) -> Iterator[Item]:
    bad = []

    def urls() -> Iterator[str]:
        for line in _url_lines(path):
            if line.startswith(_URL_PREFIXES) and " " not in line:
                yield line
            else:
                bad.append(line)

    yield from fetch_all(urls(), ctx)
    for line in bad:
        yield Reject(path, f"not a URL: {line[:200]!r}")


# -- feeds -----------------------------------------------------------------------------------------


def _is_feed_file(path: str) -> bool:
    lower = path.lower()
    if lower.endswith(FEED_SUFFIXES):
        return os.path.isfile(path)
    if lower.endswith(".xml") and os.path.isfile(path):
        try:
            with open(path, "rb") as handle:
                head = handle.read(2048).lower()
        except OSError:
            return False
        return b"<rss" in head or b"<feed" in head or b"<rdf:rdf" in head
    return False


@source("feed", _is_feed_file)
def read_feed_file(path: str, ctx: SourceContext) -> Iterator[Item]:
    try:
        with open(path, "rb") as handle:
            data = handle.read(ctx.settings.max_input_bytes + 1)
    except OSError as error:
        yield Reject(path, f"cannot read: {error.strerror or error}")
        return
    yield from _feed_items(data, path, ctx)


def _feed_items(data: bytes, source_name: str, ctx: SourceContext) -> Iterator[Item]:
    """A feed's entries: their links are fetched; an entry with content but no link is used as is."""
    import feedparser

    parsed = feedparser.parse(data)
    if not parsed.entries:
        reason = "feed has no entries"
        if parsed.get("bozo") and parsed.get("bozo_exception") is not None:
            reason = f"not a readable RSS/Atom feed: {parsed.bozo_exception}"
        yield Reject(source_name, reason)
        return
    links = []
    for number, entry in enumerate(parsed.entries, 1):
        link = entry.get("link")
        if link and link.startswith(_URL_PREFIXES):
            links.append(link)
            continue
        content = entry.get("content") or []
        body = content[0].get("value") if content else entry.get("summary")
        if not body:
            yield Reject(source_name, f"entry {number} has neither a link nor content")
            continue
        published = _entry_date(entry)
        yield page_to_item(
            body.encode("utf-8"),
            f"{source_name}#{number}",
            None,
            ctx,
            is_html="<" in body,
            fallback_date=published,
            title=entry.get("title"),
        )
    yield from fetch_all(links, ctx, expand_feeds=False)


def _entry_date(entry: Any) -> str | None:
    for key in ("published_parsed", "updated_parsed"):
        value = entry.get(key)
        if value:
            return f"{value.tm_year:04d}-{value.tm_mon:02d}-{value.tm_mday:02d}"
    return None


# -- web archives --------------------------------------------------------------------------------


def _is_warc(path: str) -> bool:
    return path.lower().endswith(WARC_SUFFIXES) and os.path.isfile(path)


@source("warc", _is_warc)
def read_warc(path: str, ctx: SourceContext) -> Iterator[Item]:
    """HTML responses (status 200) and WET text conversions; requests, metadata and the rest are skipped."""
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    try:
        handle = open(path, "rb")  # noqa: SIM115 - closed in finally, the iterator reads it lazily
    except OSError as error:
        yield Reject(path, f"cannot read: {error.strerror or error}")
        return
    records = used = 0
    try:
        for record in ArchiveIterator(handle, arc2warc=True):
            records += 1
            item = _warc_record(record, path, ctx)
            if item is not None:
                used += 1
                yield item
        if not used:
            yield Reject(
                path,
                f"web archive with no usable page: {records} record(s), none an HTML or text "
                "response with status 200 (or the file is not a WARC/ARC archive)",
            )
    except (ArchiveLoadFailed, ValueError, OSError, EOFError) as error:
        yield Reject(path, f"broken web archive: {error}")
    finally:
        handle.close()


def _warc_record(record: Any, path: str, ctx: SourceContext) -> Item | None:
    uri = record.rec_headers.get_header("WARC-Target-URI")
    record_id = record.rec_headers.get_header("WARC-Record-ID")
    crawl_date = (record.rec_headers.get_header("WARC-Date") or "")[:10] or None
    name = f"{path}#{uri or record_id}"
    if record.rec_type == "response":
        if record.http_headers is None:
            return None
        status = record.http_headers.get_statuscode()
        content_type = (record.http_headers.get_header("Content-Type") or "").lower()
        if status != "200" or not ("html" in content_type or "text/plain" in content_type):
            return None
        is_html = "html" in content_type
    elif record.rec_type in ("conversion", "resource"):
        content_type = (record.rec_headers.get_header("Content-Type") or "").lower()
        if "text/plain" not in content_type and "html" not in content_type:
            return None
        is_html = "html" in content_type
    else:
        return None
    stream = record.content_stream()
    body = stream.read(ctx.fetch.max_bytes + 1)
    truncated = len(body) > ctx.fetch.max_bytes
    return page_to_item(
        body[: ctx.fetch.max_bytes],
        name,
        uri,
        ctx,
        truncated=truncated,
        is_html=is_html,
        fallback_date=crawl_date,
    )
