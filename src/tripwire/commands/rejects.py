"""`tripwire rejects`: the inputs that could not be used, with the reason each was refused."""

from __future__ import annotations

import argparse
import sys

from tripwire.store.cliargs import add_db_argument, run_store_command


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("rejects", help="list the inputs that were refused, with their reasons")
    add_db_argument(parser)
    parser.add_argument("--reason", metavar="WORDS", help="only rejects whose reason contains these words")
    parser.add_argument("--limit", type=int, default=None, help="at most N (newest first)")
    parser.add_argument("--format", choices=("table", "csv", "jsonl"), default="table")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    return run_store_command("rejects", _run, args)


def _run(args: argparse.Namespace) -> int:
    from tripwire.store.db import reading
    from tripwire.store.output import render_table, write_csv, write_jsonl

    sql = 'SELECT "time", input, id, reason FROM rejects'
    params: list = []
    if args.reason:
        sql += " WHERE contains(lower(reason), lower(?))"
        params.append(args.reason)
    sql += ' ORDER BY "time" DESC, input'
    if args.limit is not None:
        sql += " LIMIT ?"
        params.append(args.limit)
    with reading(args.db) as conn:
        cursor = conn.execute(sql, params)
        names = [d[0] for d in cursor.description]
        rows = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    if args.format == "jsonl":
        write_jsonl(rows, sys.stdout)
    elif args.format == "csv":
        write_csv(rows, sys.stdout, names)
    elif rows:
        print(render_table(rows, names, {"input": 50, "reason": 90, "id": 20, "time": 32}))
        print(f"\n{len(rows)} rejected input(s)", file=sys.stderr)
    else:
        print("no rejected inputs", file=sys.stderr)
    return 0
