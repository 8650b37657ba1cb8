"""Counts over the store for `tripwire stats`: what is in it, by event type, place and week."""

from __future__ import annotations

from typing import Any

# Each breakdown is fixed SQL (no user input), grouped and ordered by count.
BREAKDOWNS: dict[str, str] = {
    "type": "SELECT type, count(*) AS events FROM events GROUP BY ALL ORDER BY events DESC, type",
    "status": "SELECT status, count(*) AS events FROM events GROUP BY ALL ORDER BY events DESC, status",
    "place": (
        "SELECT coalesce(location_name, location_text) AS place, location_country AS country, "
        "count(*) AS events "
        "FROM events WHERE location_text IS NOT NULL OR location_name IS NOT NULL "
        "GROUP BY ALL ORDER BY events DESC, place"
    ),
    "week": (
        "SELECT strftime(date_trunc('week', try_cast(date_start AS DATE)), '%Y-%m-%d') AS week, "
        "count(*) AS events "
        "FROM events WHERE try_cast(date_start AS DATE) IS NOT NULL GROUP BY ALL ORDER BY week DESC"
    ),
    "country": (
        "SELECT country, count(DISTINCT event_id) AS events FROM actors WHERE country IS NOT NULL "
        "GROUP BY ALL ORDER BY events DESC, country"
    ),
}


def totals(conn: Any) -> dict[str, Any]:
    row = conn.execute(
        "SELECT (SELECT count(*) FROM articles), (SELECT count(*) FROM events), "
        "(SELECT count(*) FROM actors), "
        "(SELECT count(*) FROM quotes), (SELECT count(*) FROM rejects), "
        "(SELECT min(date_start) FROM events), (SELECT max(date_start) FROM events)"
    ).fetchone()
    keys = ("articles", "events", "actors", "quotes", "rejects", "first_event_date", "last_event_date")
    return dict(zip(keys, row, strict=True))


def breakdown(conn: Any, by: str, limit: int | None = 20) -> list[dict[str, Any]]:
    if by not in BREAKDOWNS:
        raise ValueError(f"unknown breakdown {by!r}; known: {sorted(BREAKDOWNS)}")
    sql = BREAKDOWNS[by]
    params: list[Any] = []
    if limit is not None:
        sql += " LIMIT ?"
        params.append(int(limit))
    cursor = conn.execute(sql, params)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
