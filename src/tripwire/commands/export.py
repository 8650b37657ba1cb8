"""`tripwire export`: the store (or filtered events) as Parquet, CSV, JSON lines, GeoJSON or ACLED CSV."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from tripwire.store.cliargs import add_db_argument, add_filter_arguments, filter_from_args, run_store_command
from tripwire.store.export import EXPORTERS


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "export",
        help="write the stored events to files",
        description="parquet and csv: one file per table (events, actors, articles, quotes, article_sources, "
        "rejects); jsonl: events.jsonl in the record's nested shape; geojson: events.geojson (located "
        "events); "
        "acled-csv: acled.csv with ACLED's column names for events that map to ACLED.",
    )
    add_db_argument(parser)
    parser.add_argument("--format", choices=sorted(EXPORTERS), required=True)
    parser.add_argument("--out", type=Path, required=True, metavar="DIR", help="folder to write to (created)")
    add_filter_arguments(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    return run_store_command("export", _run, args)


def _run(args: argparse.Namespace) -> int:
    from tripwire.store.export import export

    flt, note = filter_from_args(args)
    if note:
        print(f"tripwire export: {note}", file=sys.stderr)
    files = export(args.format, args.out, flt, db=args.db)
    for path in files:
        print(path)
    return 0
