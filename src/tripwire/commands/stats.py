"""`tripwire stats`: what the store holds, by event type, status, place, actor country and week."""

from __future__ import annotations

import argparse
import json

from tripwire.store.cliargs import add_db_argument, run_store_command
from tripwire.store.stats import BREAKDOWNS


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("stats", help="counts of the stored events by type, place and week")
    add_db_argument(parser)
    parser.add_argument(
        "--by",
        action="append",
        choices=sorted(BREAKDOWNS),
        help="breakdowns to show (default: type, place, week)",
    )
    parser.add_argument("--limit", type=int, default=15, help="rows per breakdown (default 15)")
    parser.add_argument("--format", choices=("table", "json"), default="table")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    return run_store_command("stats", _run, args)


def _run(args: argparse.Namespace) -> int:
    from tripwire.store.db import reading
    from tripwire.store.output import json_default, render_table
    from tripwire.store.stats import breakdown, totals

    by = args.by or ["type", "place", "week"]
    with reading(args.db) as conn:
        report = {"totals": totals(conn), **{name: breakdown(conn, name, args.limit) for name in by}}
    if args.format == "json":
        print(json.dumps(report, default=json_default))
        return 0
    print("  ".join(f"{key} {value}" for key, value in report["totals"].items() if value is not None))
    for name in by:
        rows = report[name]
        print(f"\nby {name}")
        if rows:
            print(render_table(rows, list(rows[0])))
        else:
            print("  (none)")
    return 0
