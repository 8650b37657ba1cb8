"""Ingest: every input (files, folders, URL lists, feeds, web archives, JSON lines) into the event store.

    from tripwire.ingest import ingest, IngestOptions
    summary = ingest(["feeds.txt", "archive.warc.gz", "articles/"], db="events.duckdb")

See docs/store.md; `tripwire ingest --help` lists the options.
"""

from tripwire.ingest.fetch import FetchError, FetchOptions, fetch
from tripwire.ingest.run import IngestOptions, IngestSummary, extract_batch, ingest
from tripwire.ingest.sources import SOURCES, SourceContext, iter_items, source

__all__ = [
    "SOURCES",
    "FetchError",
    "FetchOptions",
    "IngestOptions",
    "IngestSummary",
    "SourceContext",
    "extract_batch",
    "fetch",
    "ingest",
    "iter_items",
    "source",
]
