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


def _selections(flt: EventFilter) -> dict[str, tuple[str, list[Any]]]:
    """SQL selecting each table's rows that belong to the filtered events, with parameters."""
    where, params = flt.where()
    ids = f"SELECT e.event_id FROM events e{where}"
    articles = f"SELECT DISTINCT e.article_id FROM events e{where}"
    everything = not where
    return {
        "events": (f"SELECT e.* FROM events e{where} ORDER BY e.article_id, e.evidence_start", params),
        "actors": (
            "SELECT * FROM actors"
            + ("" if everything else f" WHERE event_id IN ({ids})")
            + " ORDER BY event_id, role, position",
            [] if everything else params,
        ),
        "articles": (
            "SELECT * FROM articles"
            + ("" if everything else f" WHERE article_id IN ({articles})")
            + " ORDER BY article_id",
            [] if everything else params,
        ),
        "quotes": (
            "SELECT * FROM quotes"
            + ("" if everything else f" WHERE article_id IN ({articles})")
            + " ORDER BY article_id, position",
            [] if everything else params,
        ),
        "article_sources": (
            "SELECT * FROM article_sources"
            + ("" if everything else f" WHERE article_id IN ({articles})")
            + " ORDER BY article_id, input",
            [] if everything else params,
        ),
        "rejects": ("SELECT * FROM rejects ORDER BY time, input", []),
    }


def _copy_tables(conn: Any, out: Path, flt: EventFilter, extension: str, options: str) -> list[Path]:
    written = []
    for table, (sql, params) in _selections(flt).items():
        path = out / f"{table}.{extension}"
        conn.execute(f"COPY ({sql}) TO ? ({options})", [*params, str(path)])
        written.append(path)
    return written


@exporter("parquet")
def export_parquet(conn: Any, out: Path, flt: EventFilter) -> list[Path]:
    return _copy_tables(conn, out, flt, "parquet", "FORMAT parquet, COMPRESSION zstd")


@exporter("csv")
def export_csv(conn: Any, out: Path, flt: EventFilter) -> list[Path]:
    return _copy_tables(conn, out, flt, "csv", "FORMAT csv, HEADER true")


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
    conn.execute(f"COPY ({sql}) TO ? (FORMAT csv, HEADER true)", [*params, str(path)])
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
