"""Exports of the store to files, as a registry of formats (a user can register another).

Parquet is the interchange format for data lakes and for the later scale-out job: one file per table,
the same columns as the database. CSV is the same tables for spreadsheets. JSON lines gives the
events in the record's nested shape, like `tripwire extract`. GeoJSON gives the located events as
points for a map. `acled-csv` gives the events that map to ACLED's taxonomy under ACLED's column
names (the `acled` view).

An export takes the same filters as `tripwire events`; the actors, articles and quotes exported are
those of the selected events.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tripwire.store.db import connect
from tripwire.store.output import json_default, write_jsonl
from tripwire.store.query import EventFilter, iter_event_rows, iter_events

Exporter = Callable[[Any, Path, EventFilter], list[Path]]
EXPORTERS: dict[str, Exporter] = {}


def exporter(name: str) -> Callable[[Exporter], Exporter]:
    """Register an export format under `name` (a later registration replaces an earlier one)."""

    def register(fn: Exporter) -> Exporter:
        EXPORTERS[name] = fn
        return fn

    return register


# The tables that hang off events, each with the key that ties a row to the selected events and the
# order that makes two exports of the same selection identical files.
_LINKED_TABLES: tuple[tuple[str, str, str], ...] = (
    ("actors", "event_id", "event_id, role, position"),
    ("articles", "article_id", "article_id"),
    ("quotes", "article_id", "article_id, position"),
    ("article_sources", "article_id", "article_id, input"),
)


def _selections(flt: EventFilter) -> dict[str, tuple[str, list[Any]]]:
    """SQL selecting each table's rows that belong to the filtered events, with parameters."""
    where, params = flt.where()
    selections = {"events": (f"SELECT e.* FROM events e{where} ORDER BY e.article_id, e.evidence_start", params)}
    for table, key, order in _LINKED_TABLES:
        if where:
            keys = f"SELECT DISTINCT e.{key} FROM events e{where}"
            selections[table] = (f"SELECT * FROM {table} WHERE {key} IN ({keys}) ORDER BY {order}", params)
        else:
            selections[table] = (f"SELECT * FROM {table} ORDER BY {order}", [])
    selections["rejects"] = ("SELECT * FROM rejects ORDER BY time, input", [])
    return selections


def _write_query(conn: Any, sql: str, params: list[Any], path: Path) -> None:
    """Write a query's rows to `path`, as Parquet or CSV by the file's extension.

    Through DuckDB's relation writers rather than `COPY (...) TO ?`: in a COPY statement DuckDB binds
    the first `?` to the file name, so a filter's parameters would name the file instead of
    selecting the rows. This way the file name never enters the SQL and the filter stays parameterized.
    """
    relation = conn.sql(sql, params=params)
    if path.suffix == ".parquet":
        relation.write_parquet(str(path), compression="zstd")
    else:
        relation.write_csv(str(path), header=True)


def _write_tables(conn: Any, out: Path, flt: EventFilter, extension: str) -> list[Path]:
    written = []
    for table, (sql, params) in _selections(flt).items():
        path = out / f"{table}.{extension}"
        _write_query(conn, sql, params, path)
        written.append(path)
    return written


@exporter("parquet")
def export_parquet(conn: Any, out: Path, flt: EventFilter) -> list[Path]:
    return _write_tables(conn, out, flt, "parquet")


@exporter("csv")
def export_csv(conn: Any, out: Path, flt: EventFilter) -> list[Path]:
    return _write_tables(conn, out, flt, "csv")


@exporter("jsonl")
def export_jsonl(conn: Any, out: Path, flt: EventFilter) -> list[Path]:
    path = out / "events.jsonl"
    with path.open("w", encoding="utf-8") as handle:
        write_jsonl(iter_events(conn, flt), handle)
    return [path]


@exporter("geojson")
def export_geojson(conn: Any, out: Path, flt: EventFilter) -> list[Path]:
    """Located events as GeoJSON points ([lon, lat], the RFC 7946 order); properties: the flat columns."""
    path = out / "events.geojson"
    with path.open("w", encoding="utf-8") as handle:
        handle.write('{"type": "FeatureCollection", "features": [\n')
        first = True
        for row in iter_event_rows(conn, flt):
            lat, lon = row.get("location_lat"), row.get("location_lon")
            if lat is None or lon is None:
                continue
            feature = {
                "type": "Feature",
                "id": row["event_id"],
                "geometry": {"type": "Point", "coordinates": [lon, lat]},
                "properties": row,
            }
            handle.write(("" if first else ",\n") + json.dumps(feature, ensure_ascii=False, default=json_default))
            first = False
        handle.write("\n]}\n")
    return [path]


@exporter("acled-csv")
def export_acled_csv(conn: Any, out: Path, flt: EventFilter) -> list[Path]:
    where, params = flt.where()
    path = out / "acled.csv"
    sql = (
        f"SELECT * FROM acled WHERE event_id_cnty IN (SELECT e.event_id FROM events e{where}) "
        "ORDER BY event_date, event_id_cnty"
    )
    _write_query(conn, sql, params, path)
    return [path]


def export(
    fmt: str,
    out: str | os.PathLike[str],
    flt: EventFilter | None = None,
    db: str | os.PathLike[str] | None = None,
) -> list[Path]:
    """Write the store (or the events selected by `flt`) to `out` in format `fmt`; returns the files."""
    if fmt not in EXPORTERS:
        raise ValueError(f"unknown export format {fmt!r}; known: {sorted(EXPORTERS)}")
    out_dir = Path(out)
    out_dir.mkdir(parents=True, exist_ok=True)
    conn = connect(db, read_only=True)
    try:
        return EXPORTERS[fmt](conn, out_dir, flt or EventFilter())
    finally:
        conn.close()
