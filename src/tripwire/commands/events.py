"""`tripwire events`: query the event store (table, CSV or JSON lines)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from typing import Any

from tripwire.store.cliargs import (
    add_db_argument,
    add_filter_arguments,
    filter_from_args,
    run_store_command,
    unknown_statuses,
)

TABLE_COLUMNS = ("date_start", "type", "mode", "status", "source", "target", "place", "killed", "evidence")
TABLE_WIDTHS = {"source": 24, "target": 24, "place": 22, "evidence": 70, "mode": 14}
DEFAULT_TABLE_LIMIT = 50


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "events",
        help="query the stored events",
        description="Events from the database, newest first, filtered. Table for reading, CSV or JSON lines "
        "(the record's nested shape, as `tripwire extract` prints it) for other programs.",
    )
    add_db_argument(parser)
    add_filter_arguments(parser)
    parser.add_argument("--format", choices=("table", "csv", "jsonl"), default="table")
    parser.add_argument(
        "--limit",
        type=int,
        default=None,
        help=f"at most N events (default: {DEFAULT_TABLE_LIMIT} for a table, all otherwise)",
    )
    parser.add_argument("--count", action="store_true", help="print only the number of matching events")
    parser.set_defaults(run=run)


def _stream(cursor: Any, names: list[str], batch: int = 5_000) -> Iterator[dict[str, Any]]:
    while rows := cursor.fetchmany(batch):
        for row in rows:
            yield dict(zip(names, row, strict=True))


def _actors(actors: list[dict]) -> str:
    return "; ".join(a.get("name") or a.get("text") or "" for a in actors)


def _table_row(event: dict) -> dict:
    location = event.get("location") or {}
    place = location.get("name") or location.get("text")
    if place and "distance_km" in event:
        place = f"{place} ({event['distance_km']:g} km)"
    return {
        "date_start": event["date"]["start"],
        "type": event["type"],
        "mode": event["mode"],
        "status": event["status"],
        "source": _actors(event["source"]),
        "target": _actors(event["target"]),
        "place": place,
        "killed": event["casualties"]["killed"],
        "evidence": event["evidence"]["sentence"],
    }


def run(args: argparse.Namespace) -> int:
    return run_store_command("events", _run, args)


def _run(args: argparse.Namespace) -> int:
    from tripwire.store.db import reading
    from tripwire.store.output import render_table, sanitize, write_csv, write_jsonl
    from tripwire.store.query import (
        count_events,
        csv_sql,
        event_page,
        iter_events,
        nest_rows,
    )

    default_limit = DEFAULT_TABLE_LIMIT if args.format == "table" else None
    flt, note = filter_from_args(args, args.limit if args.limit is not None else default_limit)
    bad = unknown_statuses(flt)
    if bad:
        print(
            f"tripwire events: unknown status {bad}; use occurred, planned, hypothetical or negated",
            file=sys.stderr,
        )
        return 2
    if note:
        print(f"tripwire events: {sanitize(note)}", file=sys.stderr)
    with reading(args.db) as conn:
        if args.count:
            print(count_events(conn, flt))
        elif args.format == "jsonl":
            write_jsonl(iter_events(conn, flt), sys.stdout)
        elif args.format == "csv":
            # Flat text columns made in SQL: much cheaper to turn into Python rows than nested ones.
            cursor = conn.execute(*csv_sql(flt))
            names = [d[0] for d in cursor.description]
            write_csv(_stream(cursor, names), sys.stdout)
        else:
            page, total = event_page(conn, flt, count=False)
            if not page:
                print("no events match", file=sys.stderr)
                return 0
            print(render_table([_table_row(e) for e in nest_rows(page)], TABLE_COLUMNS, TABLE_WIDTHS))
            if total is None:
                print(
                    f"\nthe newest {len(page)} matching events shown; more match: --limit N or "
                    "--format csv for more, --count for how many",
                    file=sys.stderr,
                )
    return 0
