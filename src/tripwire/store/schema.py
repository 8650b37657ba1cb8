"""The database schema, derived from the record dataclasses so that the record stays defined once.

Mapping rules (the one place they are written down; docs/store.md repeats them for users):

- A scalar field becomes a column of the same name (`type`, `status`, `confidence`).
- A nested dataclass is flattened with its field name as prefix, recursively:
  `date.start` -> `date_start`, `location.lat` -> `location_lat`,
  `reported_by.actor.country` -> `reported_by_actor_country`, `acled.event_type` -> `acled_event_type`.
  An optional nested object (`location`, `reported_by`, `acled`) is null when all its columns are.
- A list of strings (`contexts`, `warnings`) becomes a `VARCHAR[]` column.
- A list of actors (`source`, `target`) is kept twice, for two uses: as a column of the same name
  holding a list of `STRUCT(text, name, country, sector)` (so that an event reads back whole from
  one row, and filters on actors need no join), and as rows of the `actors` table, one per
  event x role x actor, with `role` the field name and `position` the index in the list (for SQL
  by actor, and the ACLED view).
- Quotes become rows of `quotes` (`article_id`, `position` + the Quote fields).

Dates stay ISO strings (VARCHAR), as in the JSON: a stage may give a partial date, and ISO strings
compare correctly for range filters. SQL uses `try_cast(date_start AS DATE)` where it needs a date.

Schema evolution: a fresh database gets the current schema, derived from the record, and is stamped
with `SCHEMA_VERSION`. An older database runs the numbered `MIGRATIONS` above its version. Then, for
both, any column the record gained since (an additive change) is added by `reconcile_columns`, so an
added record field never needs a hand-written migration; renames and type changes do.
"""

from __future__ import annotations

import dataclasses
import functools
import types
import typing
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from tripwire.record import Actor, Article, Event, Quote, Reject

# Bump when a migration is added below.
SCHEMA_VERSION = 1

_SCALAR_SQL = {str: "VARCHAR", int: "BIGINT", float: "DOUBLE", bool: "BOOLEAN"}


@dataclass(frozen=True)
class Column:
    """One database column and where its value lives in the record (a path of attribute names)."""

    name: str
    sql_type: str
    path: tuple[str, ...]
    # The optional nested objects on the path (prefixes of `path`) that may be None.
    optional_parents: tuple[tuple[str, ...], ...] = ()


def _unwrap_optional(tp: Any) -> tuple[Any, bool]:
    """`X | None` -> (X, True); anything else -> (tp, False)."""
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        args = [arg for arg in typing.get_args(tp) if arg is not type(None)]
        if len(args) == 1:
            return args[0], True
    return tp, False


def flatten(cls: type, prefix: tuple[str, ...] = (), optional: tuple[tuple[str, ...], ...] = ()) -> Iterator[Column]:
    """The columns of a record dataclass (nested objects flattened, lists of objects as STRUCT lists)."""
    hints = typing.get_type_hints(cls)
    for spec in dataclasses.fields(cls):
        tp, is_optional = _unwrap_optional(hints[spec.name])
        path = (*prefix, spec.name)
        if dataclasses.is_dataclass(tp):
            parents = (*optional, path) if is_optional else optional
            yield from flatten(tp, path, parents)  # type: ignore[arg-type]
            continue
        if typing.get_origin(tp) is list:
            (item,) = typing.get_args(tp)
            if dataclasses.is_dataclass(item):
                yield Column("_".join(path), f"{struct_sql(item)}[]", path, optional)  # type: ignore[arg-type]
            else:
                yield Column("_".join(path), f"{_SCALAR_SQL[item]}[]", path, optional)
            continue
        yield Column("_".join(path), _SCALAR_SQL[tp], path, optional)


def struct_sql(cls: type) -> str:
    """A flat dataclass (an Actor) as a DuckDB STRUCT type with the same field names."""
    hints = typing.get_type_hints(cls)
    parts = []
    for spec in dataclasses.fields(cls):
        tp, _ = _unwrap_optional(hints[spec.name])
        parts.append(f"{quote_ident(spec.name)} {_SCALAR_SQL[tp]}")
    return f"STRUCT({', '.join(parts)})"


@functools.cache
def actor_list_fields() -> tuple[str, ...]:
    """The Event fields that hold lists of actors: their names are the `role` values in `actors`."""
    hints = typing.get_type_hints(Event)
    return tuple(
        spec.name
        for spec in dataclasses.fields(Event)
        if typing.get_origin(hints[spec.name]) is list and typing.get_args(hints[spec.name])[0] is Actor
    )


@dataclass(frozen=True)
class Table:
    name: str
    columns: tuple[Column, ...]
    primary_key: tuple[str, ...] = ()

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(column.name for column in self.columns)

    def row_type(self) -> str:
        """The table's row as a DuckDB STRUCT type (the writer casts JSON rows to it)."""
        return "STRUCT(" + ", ".join(f"{quote_ident(c.name)} {c.sql_type}" for c in self.columns) + ")"

    def ddl(self) -> str:
        parts = [f"{quote_ident(c.name)} {c.sql_type}" for c in self.columns]
        if self.primary_key:
            parts.append(f"PRIMARY KEY ({', '.join(quote_ident(k) for k in self.primary_key)})")
        return f"CREATE TABLE IF NOT EXISTS {quote_ident(self.name)} (\n  " + ",\n  ".join(parts) + "\n)"


def quote_ident(name: str) -> str:
    """Column names such as `end`, `type` and `text` are SQL keywords; always quote identifiers."""
    return '"' + name.replace('"', '""') + '"'


def _extra(name: str, sql_type: str) -> Column:
    """A column the store adds that is not a record field (bookkeeping such as ingest time)."""
    return Column(name, sql_type, ())


ARTICLES = Table("articles", (*flatten(Article), _extra("ingested_at", "TIMESTAMP WITH TIME ZONE")), ("article_id",))
EVENTS = Table("events", tuple(flatten(Event)), ("event_id",))
# No primary key: an event's actors are written with the event, in one transaction, exactly once
# (the writer skips stored articles).
ACTORS = Table(
    "actors",
    (
        _extra("event_id", "VARCHAR"),
        _extra("role", "VARCHAR"),
        _extra("position", "INTEGER"),
        *flatten(Actor),
    ),
)
QUOTES = Table(
    "quotes",
    (_extra("article_id", "VARCHAR"), _extra("position", "INTEGER"), *flatten(Quote)),
    ("article_id", "position"),
)
REJECTS = Table("rejects", (*flatten(Reject), _extra("time", "TIMESTAMP WITH TIME ZONE")))
# Every input an article was seen in (the same text from several URLs or files is stored once in
# `articles`; this keeps each place it came from, and lets a rerun skip URLs already fetched).
ARTICLE_SOURCES = Table(
    "article_sources",
    (
        _extra("article_id", "VARCHAR"),
        _extra("input", "VARCHAR"),
        _extra("url", "VARCHAR"),
        _extra("seen_at", "TIMESTAMP WITH TIME ZONE"),
    ),
    ("article_id", "input"),
)
SCHEMA_VERSION_TABLE = Table(
    "schema_version",
    (
        _extra("version", "INTEGER"),
        _extra("description", "VARCHAR"),
        _extra("applied_at", "TIMESTAMP WITH TIME ZONE"),
    ),
)

TABLES = (ARTICLES, EVENTS, ACTORS, QUOTES, REJECTS, ARTICLE_SOURCES)

# No secondary indexes: every filter of `tripwire events` is a columnar scan, which DuckDB does fast
# enough on a million events (docs/store.md has the numbers), and an ART index would slow each insert
# (and must be loaded from disk by each new connection before it helps).

# ACLED's export columns, as a view over events with an ACLED mapping. Values tripwire does not know
# (admin2, admin3, region, tags) are null; `inter1`/`inter2` follow ACLED's actor-type names.
ACLED_VIEW = """
CREATE OR REPLACE VIEW acled AS
WITH first_actor AS (
  SELECT event_id, role,
         first(coalesce(name, text) ORDER BY position) AS actor,
         string_agg(coalesce(name, text), '; ' ORDER BY position) FILTER (WHERE position > 0) AS assoc,
         first(sector ORDER BY position) AS sector,
         bool_or(sector = 'CVL') AS civilian
  FROM actors GROUP BY event_id, role
)
SELECT
  e.event_id AS event_id_cnty,
  e.date_start AS event_date,
  year(try_cast(e.date_start AS DATE)) AS "year",
  CASE e.date_precision WHEN 'day' THEN 1 WHEN 'week' THEN 2 WHEN 'month' THEN 3 WHEN 'year' THEN 3 END
    AS time_precision,
  CASE WHEN e.acled_event_type IN ('Protests', 'Riots') THEN 'Demonstrations'
       WHEN e.acled_event_type = 'Strategic developments' THEN 'Strategic developments'
       ELSE 'Political violence' END AS disorder_type,
  e.acled_event_type AS event_type,
  e.acled_sub_event_type AS sub_event_type,
  s.actor AS actor1,
  s.assoc AS assoc_actor_1,
  CASE WHEN s.sector IN ('MIL', 'GOV', 'COP', 'SPY') THEN 'State forces'
       WHEN s.sector = 'REB' THEN 'Rebel group'
       WHEN s.sector = 'CVL' THEN 'Civilians' END AS inter1,
  t.actor AS actor2,
  t.assoc AS assoc_actor_2,
  CASE WHEN t.sector IN ('MIL', 'GOV', 'COP', 'SPY') THEN 'State forces'
       WHEN t.sector = 'REB' THEN 'Rebel group'
       WHEN t.sector = 'CVL' THEN 'Civilians' END AS inter2,
  CASE WHEN t.civilian THEN 'Civilian targeting' END AS civilian_targeting,
  e.location_country AS iso3,
  NULL::VARCHAR AS region,
  e.location_country AS country,
  e.location_admin1 AS admin1,
  NULL::VARCHAR AS admin2,
  NULL::VARCHAR AS admin3,
  e.location_name AS location,
  e.location_lat AS latitude,
  e.location_lon AS longitude,
  CASE WHEN e.location_precision IN ('point', 'city', 'town', 'exact') THEN 1
       WHEN e.location_precision IN ('admin2', 'district', 'near') THEN 2
       WHEN e.location_lat IS NOT NULL THEN 3 END AS geo_precision,
  a.outlet AS source,
  NULL::VARCHAR AS source_scale,
  e.evidence_sentence AS notes,
  coalesce(e.casualties_killed, 0) AS fatalities,
  NULL::VARCHAR AS tags,
  epoch(a.ingested_at)::BIGINT AS "timestamp",
  e.article_id AS article_id,
  a.url AS url
FROM events e
LEFT JOIN articles a USING (article_id)
LEFT JOIN first_actor s ON s.event_id = e.event_id AND s.role = 'source'
LEFT JOIN first_actor t ON t.event_id = e.event_id AND t.role = 'target'
WHERE e.acled_event_type IS NOT NULL
"""

VIEWS = (ACLED_VIEW,)


@dataclass(frozen=True)
class Migration:
    """A schema change for databases older than `version`; `apply` runs inside a transaction."""

    version: int
    description: str
    apply: Callable[[Any], None]


# Version 1 is the first schema; a fresh database is created at the current version directly, so
# migration k only ever runs on a database at version k-1.
MIGRATIONS: tuple[Migration, ...] = ()


def value_at(obj: Any, path: tuple[str, ...]) -> Any:
    """The value at `path` in a record, None if an optional object on the way is None."""
    for name in path:
        if obj is None:
            return None
        obj = getattr(obj, name)
    return obj


def row_of(table: Table, obj: Any, extra: dict[str, Any] | None = None) -> tuple[Any, ...]:
    """A record as a row of `table`; columns that are not record fields come from `extra`."""
    extra = extra or {}
    return tuple(extra.get(c.name) if not c.path else _plain(value_at(obj, c.path)) for c in table.columns)


def _plain(value: Any) -> Any:
    """Lists of record objects (actors) as lists of dicts, which DuckDB takes as STRUCT lists."""
    if isinstance(value, list) and value and dataclasses.is_dataclass(value[0]):
        return [dataclasses.asdict(item) for item in value]
    return value


def nest(table: Table, row: dict[str, Any]) -> dict[str, Any]:
    """A flat row back into the record's nested shape (the JSON of `tripwire extract`).

    An optional nested object is None when all of its columns are null.
    """
    out: dict[str, Any] = {}
    optional_seen: dict[tuple[str, ...], bool] = {}
    for column in table.columns:
        if not column.path:
            continue
        value = row.get(column.name)
        for parent in column.optional_parents:
            optional_seen[parent] = optional_seen.get(parent, False) or value is not None
        node = out
        for name in column.path[:-1]:
            node = node.setdefault(name, {})
        node[column.path[-1]] = list(value) if isinstance(value, (list, tuple)) else value
    # Null the optional objects with no value, deepest first so a parent sees its emptied child.
    for parent in sorted(optional_seen, key=len, reverse=True):
        if optional_seen[parent]:
            continue
        node = out
        for name in parent[:-1]:
            node = node.get(name) or {}
        if isinstance(node, dict) and parent[-1] in node:
            node[parent[-1]] = None
    return out
