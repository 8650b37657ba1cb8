"""The ingest loop: read inputs, skip what is stored, extract in parallel, write each batch in a transaction.

Why this shape:
- One process writes the database (DuckDB allows one writer), the workers only extract. Workers
  get batches of articles and send back plain records (`Extracted`), never spaCy objects.
- Articles already in the store are skipped *before* extraction, by content hash, so a rerun after a
  crash only pays for what is missing, and the same story under two URLs is extracted once.
- At most a few batches are in flight, so memory stays flat however long the input is (a plain
  `Pool.imap` would read the whole input ahead).
- A failing article never stops its batch: the batch is retried article by article and the one that
  fails becomes a reject with its reason.
- Workers are spawned, not forked: the parent holds an open DuckDB connection and threads, which a
  fork would copy in an unknown state.
"""

from __future__ import annotations

import importlib
import multiprocessing
import os
import sys
import time
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from typing import Any

from tripwire.config import Settings, load_settings
from tripwire.ingest.fetch import FetchOptions
from tripwire.ingest.sources import SourceContext, iter_items
from tripwire.read import with_home
from tripwire.record import Article, Reject
from tripwire.store.db import StoreError
from tripwire.store.writer import Extracted, Store, WriteResult

DEFAULT_PROCESSOR = "tripwire.pipeline:Pipeline"


@dataclass
class IngestOptions:
    jobs: int | None = None  # extraction processes; None: one per core; 1: in this process
    batch_size: int | None = None  # articles per transaction (default: the pipeline's batch size)
    published: str | None = None
    home: str | None = None  # the outlet's home for articles that carry none (see `Article.home`)
    fetch: FetchOptions = field(default_factory=FetchOptions)
    fetch_workers: int = 8
    refetch: bool = False  # fetch URLs again even when an article from them is stored
    # extract articles already stored again and replace what was stored (after an upgrade of tripwire)
    reextract: bool = False
    progress: bool | None = None  # None: a bar when standard error is a terminal
    # "module:callable" returning an object with process_many(articles) -> documents; the callable is
    # imported in each worker, so it must be importable by name (not a lambda).
    processor: str = DEFAULT_PROCESSOR
    settings: Settings | None = None


@dataclass
class IngestSummary:
    inputs: int = 0  # articles and rejects read
    stored: WriteResult = field(default_factory=WriteResult)
    skipped_known: int = 0  # articles already stored (not extracted again)
    skipped_urls: int = 0  # URLs not fetched because an article from them is stored
    extraction_errors: int = 0
    batches: int = 0
    seconds: float = 0.0
    write_seconds: float = 0.0  # time spent writing to the database (partly overlapping extraction)
    db: str = ""

    @property
    def rate(self) -> float:
        return self.inputs / self.seconds if self.seconds > 0 else 0.0

    def lines(self) -> list[str]:
        s = self.stored
        return [
            f"database        {self.db}",
            f"inputs read     {self.inputs:,} in {self.seconds:.1f} s ({self.rate:.1f}/s)",
            f"time in store   {self.write_seconds:.1f} s (written while the next batch is extracted)",
            f"articles stored {s.articles:,} new, {self.skipped_known + s.duplicates:,} already stored",
            f"events stored   {s.events:,}",
            f"rejects         {s.rejects:,}"
            + (f" ({self.extraction_errors} failed extraction)" if self.extraction_errors else "")
            + "  (see `tripwire rejects`)",
        ] + (
            [f"URLs skipped    {self.skipped_urls:,} already stored (--refetch to fetch again)"]
            if self.skipped_urls
            else []
        )


# -- extraction (in a worker or in this process) ------------------------------------------------

_PROCESSOR: Any = None


def load_processor(spec: str) -> Any:
    module_name, _, attr = spec.partition(":")
    factory = getattr(importlib.import_module(module_name), attr or "Pipeline")
    return factory()


def _init_worker(spec: str) -> None:
    global _PROCESSOR
    _PROCESSOR = load_processor(spec)


def extract_batch(articles: Sequence[Article], processor: Any = None) -> list[Extracted | Reject]:
    """Extract a batch; if it fails, each article alone, so one bad article costs only itself."""
    processor = processor or _PROCESSOR
    try:
        return [Extracted.from_document(doc) for doc in processor.process_many(list(articles))]
    except Exception:
        if len(articles) == 1:
            return [_failed(articles[0], sys.exc_info()[1])]
    out: list[Extracted | Reject] = []
    for article in articles:
        try:
            out.extend(Extracted.from_document(doc) for doc in processor.process_many([article]))
        except Exception as error:
            out.append(_failed(article, error))
    return out


def _failed(article: Article, error: BaseException | None) -> Reject:
    return Reject(
        input=article.input or article.url or article.article_id,
        reason=f"extraction failed: {type(error).__name__}: {error}",
        id=article.id,
    )


# -- the loop --------------------------------------------------------------------------------------


def _batches(items: Iterable[Article | Reject], size: int) -> Iterator[tuple[list[Article], list[Reject]]]:
    articles: list[Article] = []
    rejects: list[Reject] = []
    for item in items:
        (articles if isinstance(item, Article) else rejects).append(item)
        if len(articles) >= size or len(rejects) >= size:
            yield articles, rejects
            articles, rejects = [], []
    if articles or rejects:
        yield articles, rejects


class _Progress:
    """tqdm with counts, rate and errors; silent when not wanted (tests, pipes)."""

    def __init__(self, enabled: bool | None) -> None:
        self.bar = None
        if enabled is None:
            enabled = sys.stderr.isatty()
        if enabled:
            from tqdm import tqdm

            self.bar = tqdm(unit=" inputs", file=sys.stderr, dynamic_ncols=True, smoothing=0.1)

    def update(self, n: int, summary: IngestSummary) -> None:
        if self.bar is None:
            return
        self.bar.update(n)
        s = summary.stored
        self.bar.set_postfix(
            new=s.articles,
            events=s.events,
            known=summary.skipped_known + s.duplicates,
            rejects=s.rejects,
            refresh=False,
        )

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def ingest(
    paths: Sequence[str],
    db: str | os.PathLike[str] | None = None,
    options: IngestOptions | None = None,
    on_commit: Any = None,
) -> IngestSummary:
    """Ingest every PATH into the store; returns what was done. `on_commit(summary)` runs after each batch.

    Raises StoreError (locked database, full disk) with a message for the user; everything committed
    before stays, and a rerun continues where this one stopped.
    """
    options = options or IngestOptions()
    settings = options.settings or load_settings()
    batch_size = options.batch_size or settings.batch_size
    jobs = options.jobs or os.cpu_count() or 1
    started = time.perf_counter()
    store = Store(db)
    # A batch's writes are small: DuckDB's own worker threads would only compete with extraction for
    # the cores (measured: 15% less CPU per write with one thread).
    store.conn.execute("SET threads = 1")
    summary = IngestSummary(db=str(store.path))
    ctx = SourceContext(
        settings=settings,
        fetch=options.fetch,
        published=options.published,
        fetch_workers=options.fetch_workers,
        known_inputs=(lambda inputs: set()) if options.refetch else (lambda inputs: store.known_inputs(inputs)),
    )
    progress = _Progress(options.progress)
    seen: set[str] = set()
    pool: ProcessPoolExecutor | None = None
    pending: deque[tuple[Future[list[Extracted | Reject]], list[Reject], int, list[Article]]] = deque()
    processor = None
    # Batches are written on one thread of their own, so that with --jobs 1 the store works while the
    # next batch is extracted (DuckDB releases the GIL while it runs); one write at a time, in order.
    writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="tripwire-store")
    last_write: Future[None] | None = None

    def write(results: list[Extracted | Reject], rejects: list[Reject], n_inputs: int, known: list[Article]) -> None:
        extracted = [r for r in results if isinstance(r, Extracted)]
        failed = [r for r in results if isinstance(r, Reject)]
        began = time.perf_counter()
        summary.stored.add(store.write(extracted, [*rejects, *failed], seen_elsewhere=known, replace=options.reextract))
        summary.write_seconds += time.perf_counter() - began
        summary.extraction_errors += len(failed)
        summary.batches += 1
        summary.skipped_urls = ctx.skipped
        progress.update(n_inputs, summary)
        if on_commit is not None:
            on_commit(summary)

    def commit(results: list[Extracted | Reject], rejects: list[Reject], n_inputs: int, known: list[Article]) -> None:
        nonlocal last_write
        if last_write is not None:
            last_write.result()  # raises the previous write's error (a full disk) here
        last_write = writer.submit(write, results, rejects, n_inputs, known)

    try:
        if jobs > 1:
            pool = ProcessPoolExecutor(
                max_workers=jobs,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=_init_worker,
                initargs=(options.processor,),
            )
        else:
            processor = load_processor(options.processor)
        for articles, rejects in _batches(with_home(iter_items(paths, ctx), options.home), batch_size):
            summary.inputs += len(articles) + len(rejects)
            known_ids = set() if options.reextract else store.known_articles(a.article_id for a in articles)
            fresh = []
            for article in articles:
                if article.article_id in known_ids or article.article_id in seen:
                    summary.skipped_known += 1
                    continue
                seen.add(article.article_id)
                fresh.append(article)
            # Where the known ones were seen is remembered too (another URL or file with the same story).
            fresh_ids = {id(a) for a in fresh}
            known = [a for a in articles if id(a) not in fresh_ids]
            n_inputs = len(articles) + len(rejects)
            if pool is None or not fresh:
                commit(extract_batch(fresh, processor) if fresh else [], rejects, n_inputs, known)
                continue
            pending.append((pool.submit(extract_batch, fresh), rejects, n_inputs, known))
            while len(pending) > jobs:
                future, *rest = pending.popleft()
                commit(future.result(), *rest)
        while pending:
            future, *rest = pending.popleft()
            commit(future.result(), *rest)
        if last_write is not None:
            last_write.result()
    except BrokenProcessPool as error:
        raise StoreError(
            "an extraction worker died (out of memory, or the pipeline failed to load); everything "
            f"committed so far is kept, rerun to continue. Run with --jobs 1 to see the error. ({error})"
        ) from error
    finally:
        if pool is not None:
            pool.shutdown(wait=False, cancel_futures=True)
        writer.shutdown(wait=True)  # a batch being written is finished (committed or rolled back)
        progress.close()
        summary.seconds = time.perf_counter() - started
        summary.skipped_urls = ctx.skipped
        store.close()
    return summary
