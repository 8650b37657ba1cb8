"""Command-line options shared by the store commands (`events`, `export`, `stats`, `rejects`, `ingest`).

Kept in one place so that `--db` and the event filters mean the same thing in every command.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Callable
from datetime import date

from tripwire.record import STATUSES
from tripwire.store.db import DB_ENV, StoreError, default_db_path, skip_dataframe_imports
from tripwire.store.query import EventFilter, resolve_place


def add_db_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--db",
        metavar="PATH",
        default=None,
        help=f"the database file (default: ${DB_ENV}, else {default_db_path()})",
    )


def run_store_command(name: str, body: Callable[[argparse.Namespace], int], args: argparse.Namespace) -> int:
    """Run a store command's body and turn a `StoreError` into its message and exit status 1.

    Store errors (no database yet, a locked or full file) are the user's to fix, so they are printed
    as they are, without a traceback. No store command builds a DataFrame, so DuckDB is kept from
    importing pandas, which costs more than the query itself (see `skip_dataframe_imports`).
    """
    with skip_dataframe_imports():
        try:
            return body(args)
        except StoreError as error:
            print(f"tripwire {name}: {error}", file=sys.stderr)
            return 1


def _iso_date(value: str) -> str:
    try:
        return date.fromisoformat(value).isoformat()
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a date; write it as YYYY-MM-DD") from None


def _codes(value: str) -> list[str]:
    return [v for v in re.split(r"[,\s]+", value.strip()) if v]


def _add_code_filter(group: argparse._ArgumentGroup, flag: str, metavar: str, help_text: str) -> None:
    """A filter on codes that may be repeated or comma-separated (`--type ASSAULT,PROTEST`)."""
    group.add_argument(flag, action="append", type=_codes, default=[], metavar=metavar, help=help_text)


def add_filter_arguments(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("filters (repeat an option or separate values by commas to allow several)")
    _add_code_filter(group, "--type", "TYPE", "PLOVER event type, e.g. ASSAULT")
    _add_code_filter(group, "--mode", "MODE", "PLOVER mode, e.g. explosives")
    _add_code_filter(group, "--status", "STATUS", f"one of {', '.join(STATUSES)}")
    _add_code_filter(group, "--country", "ISO3", "an actor's country code (source or target; see --role), e.g. IRQ")
    _add_code_filter(group, "--sector", "CODE", "an actor's sector code, e.g. MIL, REB, CVL")
    group.add_argument("--role", choices=("source", "target"), help="apply --country/--sector to this side only")
    group.add_argument("--place", metavar="NAME", help="words in the event's place name (e.g. 'green zone')")
    _add_code_filter(group, "--place-country", "ISO3", "the country the event happened in")
    group.add_argument("--near", metavar="PLACE", help="events within --within-km of this place (gazetteer lookup)")
    group.add_argument("--lat", type=float, help="latitude of the point for --within-km (instead of --near)")
    group.add_argument("--lon", type=float, help="longitude of the point for --within-km")
    group.add_argument("--within-km", type=float, metavar="KM", help="radius around --near or --lat/--lon (default 25)")
    group.add_argument("--since", type=_iso_date, metavar="YYYY-MM-DD", help="events dated on or after")
    group.add_argument("--until", type=_iso_date, metavar="YYYY-MM-DD", help="events dated on or before")
    group.add_argument(
        "--text",
        nargs="+",
        default=[],
        metavar="WORD",
        help="words that must all appear in the evidence sentence (case-insensitive)",
    )
    group.add_argument("--article", action="append", default=[], metavar="ARTICLE_ID", help="events of this article")
    group.add_argument("--min-confidence", type=float, metavar="X", help="events with confidence >= X")


def _flat(values: list[list[str]]) -> list[str]:
    return [v for group in values for v in group]


def filter_from_args(args: argparse.Namespace, limit: int | None = None) -> tuple[EventFilter, str | None]:
    """The EventFilter of the parsed options, and a note on how --near was resolved (or None)."""
    lat, lon, note = args.lat, args.lon, None
    if args.near:
        if lat is not None or lon is not None:
            raise SystemExit("tripwire: give either --near PLACE or --lat/--lon, not both")
        lat, lon, label = resolve_place(args.near)
        note = f"--near {args.near!r}: {label} at {lat:.4f}, {lon:.4f}"
    within = args.within_km
    if within is None and lat is not None and lon is not None:
        within = 25.0
    flt = EventFilter(
        types=_flat(args.type),
        modes=_flat(args.mode),
        statuses=_flat(args.status),
        countries=_flat(args.country),
        sectors=_flat(args.sector),
        role=args.role,
        place=args.place,
        place_countries=_flat(args.place_country),
        lat=lat,
        lon=lon,
        within_km=within,
        since=args.since,
        until=args.until,
        text=list(args.text),
        article_ids=list(args.article),
        min_confidence=args.min_confidence,
        limit=limit,
    )
    return flt, note


def unknown_statuses(flt: EventFilter) -> list[str]:
    return [s for s in flt.statuses if s.lower() not in STATUSES]
