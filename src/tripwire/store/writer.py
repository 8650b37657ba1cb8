"""Writing extracted articles to the store: one transaction per batch, idempotent by content hash.

Why this is crash-safe: an article row is written in the same transaction as its events, actors and
quotes, so "the article is in the database" implies "all of its events are". A rerun skips the
articles already there (by `article_id`, the hash of the normalized text, so the same story from
another URL is skipped too) and does the rest; DuckDB's write-ahead log makes a committed batch
survive a SIGKILL, and an uncommitted one leaves no trace.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from tripwire.record import Article, Event, Quote, Reject
from tripwire.store import db as dbmod
from tripwire.store import schema

# Rows per INSERT statement: bounds the memory of one statement's parameters.
_ROWS_PER_STATEMENT = 5_000


@dataclass
class Extracted:
    """What extraction gives for one article, without the spaCy objects (picklable across processes)."""

    article: Article
    events: list[Event] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)

    @classmethod
    def from_document(cls, document: Any) -> Extracted:
        return cls(article=document.article, events=list(document.events), quotes=list(document.quotes))


@dataclass
class WriteResult:
    articles: int = 0  # new articles stored
    events: int = 0
    duplicates: int = 0  # articles already in the store (same content hash), not stored again
    rejects: int = 0

    def add(self, other: WriteResult) -> None:
        self.articles += other.articles
        self.events += other.events
        self.duplicates += other.duplicates
        self.rejects += other.rejects


def source_key(article: Article) -> str:
    """Where an article came from, as recorded in `article_sources` (and used to skip refetching)."""
    return article.input or article.url or (f"id:{article.id}" if article.id else f"article:{article.article_id}")


class Store:
    """A tripwire database opened for reading and writing (or read only, for queries)."""

    def __init__(self, db: str | os.PathLike[str] | None = None, *, read_only: bool = False) -> None:
        self.path: Path = dbmod.resolve_db_path(db)
        self.read_only = read_only
        self.conn = dbmod.connect(self.path, read_only=read_only)
        # Made now, on the opening thread: the ingest loop looks things up here while another thread writes.
        self._reader: Any = self.conn.cursor()

    def close(self) -> None:
        self._reader.close()
        self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- reading what is there -------------------------------------------------------------------

    @property
    def reader(self) -> Any:
        """A second connection for lookups from another thread while `conn` writes (committed data only)."""
        return self._reader

    def known_articles(self, article_ids: Iterable[str]) -> set[str]:
        return self._known_articles(self.reader, article_ids)

    def _known_articles(self, conn: Any, article_ids: Iterable[str]) -> set[str]:
        ids = list(dict.fromkeys(article_ids))
        if not ids:
            return set()
        rows = conn.execute("SELECT article_id FROM articles WHERE article_id IN (SELECT unnest(?))", [ids])
        return {row[0] for row in rows.fetchall()}

    def known_inputs(self, inputs: Iterable[str]) -> set[str]:
        """The inputs (paths, URLs) an article was already stored from: a rerun need not fetch them."""
        keys = list(dict.fromkeys(inputs))
        if not keys:
            return set()
        rows = self.reader.execute(
            "SELECT DISTINCT input FROM article_sources WHERE input IN (SELECT unnest(?))", [keys]
        )
        return {row[0] for row in rows.fetchall()}

    def counts(self) -> dict[str, int]:
        out = {}
        for table in ("articles", "events", "actors", "quotes", "rejects"):
            out[table] = int(self.conn.execute(f"SELECT count(*) FROM {schema.quote_ident(table)}").fetchone()[0])
        return out

    # -- writing ---------------------------------------------------------------------------------

    def write(
        self,
        items: Iterable[Extracted],
        rejects: Iterable[Reject] = (),
        seen_elsewhere: Sequence[Article] = (),
        replace: bool = False,
    ) -> WriteResult:
        """Store a batch in one transaction: all of it or, on any error, none of it.

        `seen_elsewhere`: articles already stored that this run met again (another URL or file): only
        where they came from is recorded. `replace`: an article already stored loses its events,
        actors and quotes to the ones given here (`ingest --reextract`, after an upgrade); without
        it, the stored extraction is kept and the new one dropped.
        """
        items = list(items)
        rejects = list(rejects)
        result = WriteResult()
        now = datetime.now(UTC)
        with dbmod.transaction(self.conn, self.path):
            unique: dict[str, Extracted] = {}
            for item in items:
                unique.setdefault(item.article.article_id, item)
            known = self._known_articles(self.conn, unique)
            if replace and known:
                self._delete_articles(sorted(known))
                known = set()
            new = [item for article_id, item in unique.items() if article_id not in known]
            result.duplicates = len(items) - len(new)

            self._insert(
                schema.ARTICLE_SOURCES,
                [
                    (article.article_id, source_key(article), article.url, now)
                    for article in [*(item.article for item in items), *seen_elsewhere]
                ],
            )
            self._insert(
                schema.ARTICLES,
                [schema.row_of(schema.ARTICLES, i.article, {"ingested_at": now}) for i in new],
            )

            event_rows, actor_rows, quote_rows = [], [], []
            roles = schema.actor_list_fields()
            for item in new:
                seen_events: set[str] = set()
                for event in item.events:
                    if event.event_id in seen_events:
                        continue  # the same trigger coded twice: the id says it is one event
                    seen_events.add(event.event_id)
                    event_rows.append(schema.row_of(schema.EVENTS, event))
                    for role in roles:
                        for position, actor in enumerate(getattr(event, role)):
                            actor_rows.append(
                                schema.row_of(
                                    schema.ACTORS,
                                    actor,
                                    {"event_id": event.event_id, "role": role, "position": position},
                                )
                            )
                for position, quote in enumerate(item.quotes):
                    quote_rows.append(
                        schema.row_of(
                            schema.QUOTES,
                            quote,
                            {"article_id": item.article.article_id, "position": position},
                        )
                    )
            self._insert(schema.EVENTS, event_rows)
            self._insert(schema.ACTORS, actor_rows)
            self._insert(schema.QUOTES, quote_rows)
            result.articles = len(new)
            result.events = len(event_rows)

            # An input that now gave an article is no longer a reject (a fetch that failed before).
            self._delete_rejects([(i.article.input, i.article.id) for i in items if i.article.input is not None])
            result.rejects = self._write_rejects(rejects, now)
        return result

    def _delete_articles(self, article_ids: list[str]) -> None:
        """Remove stored articles with what was extracted from them (their sources stay)."""
        ids = [article_ids]
        self.conn.execute(
            "DELETE FROM actors WHERE event_id IN (SELECT event_id FROM events WHERE article_id IN (SELECT unnest(?)))",
            ids,
        )
        for table in ("events", "quotes", "articles"):
            self.conn.execute(f"DELETE FROM {schema.quote_ident(table)} WHERE article_id IN (SELECT unnest(?))", ids)

    def record_sources(self, articles: Sequence[Article]) -> None:
        """Remember more inputs an already stored article was seen in (without storing it again)."""
        if not articles:
            return
        now = datetime.now(UTC)
        with dbmod.transaction(self.conn, self.path):
            self._insert(schema.ARTICLE_SOURCES, [(a.article_id, source_key(a), a.url, now) for a in articles])

    def add_rejects(self, rejects: Sequence[Reject]) -> int:
        with dbmod.transaction(self.conn, self.path):
            return self._write_rejects(rejects, datetime.now(UTC))

    def _write_rejects(self, rejects: Sequence[Reject], now: datetime) -> int:
        # One row per input (and id within it): a rerun replaces the reason instead of doubling it.
        self._delete_rejects([(r.input, r.id) for r in rejects])
        self._insert(schema.REJECTS, [schema.row_of(schema.REJECTS, r, {"time": now}) for r in rejects])
        return len(rejects)

    def _delete_rejects(self, keys: list[tuple[str, str | None]]) -> None:
        if not keys:
            return
        self.conn.execute(
            "DELETE FROM rejects WHERE EXISTS (SELECT 1 FROM (SELECT unnest($1) AS i, unnest($2) AS d) k "
            "WHERE k.i = rejects.input AND k.d IS NOT DISTINCT FROM rejects.id)",
            [[k[0] for k in keys], [k[1] for k in keys]],
        )

    def _insert(self, table: schema.Table, rows: list[tuple[Any, ...]]) -> None:
        """Insert rows as one JSON parameter, cast in SQL to a list of the table's row type.

        Why JSON: DuckDB converts Python parameters value by value (about 15 us each here), which made
        the events insert the largest cost of a batch; one JSON string is parsed in C++ instead.
        Measured on the pipeline's output: 4 times faster than a list parameter per column, which
        was itself 10 times faster than a multi-row VALUES, and far faster than executemany.
        """
        if not rows:
            return
        names = table.column_names
        columns = ", ".join(schema.quote_ident(name) for name in names)
        verb = "INSERT OR IGNORE" if table.primary_key else "INSERT"
        sql = (
            f"{verb} INTO {schema.quote_ident(table.name)} ({columns}) "
            f"SELECT r.* FROM (SELECT unnest(CAST(CAST(? AS JSON) AS {table.row_type()}[])) AS r)"
        )
        for start in range(0, len(rows), _ROWS_PER_STATEMENT):
            chunk = rows[start : start + _ROWS_PER_STATEMENT]
            payload = json.dumps([dict(zip(names, row, strict=True)) for row in chunk], default=_json_value)
            self.conn.execute(sql, [payload])


def _json_value(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    raise TypeError(f"cannot store a {type(value).__name__} in the database")


def store_documents(documents: Iterable[Any], db: str | os.PathLike[str] | None = None) -> WriteResult:
    """Store pipeline Documents (or `Extracted`) in one transaction: the simplest way in from Python."""
    items = [doc if isinstance(doc, Extracted) else Extracted.from_document(doc) for doc in documents]
    with Store(db) as store:
        return store.write(items)
