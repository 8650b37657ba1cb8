"""`tripwire bench`: extraction speed and memory, as a ratio to spaCy's parse in the same run."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from tripwire.evaluation import DatasetMissing, default_datasets_dir


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("bench", help="speed and memory of extraction on real news")
    parser.add_argument(
        "--datasets", type=Path, default=None, help="folder of the datasets (default: ../shared/datasets)"
    )
    parser.add_argument("--limit", type=int, default=100, help="number of articles (default 100)")
    parser.add_argument("--format", choices=("table", "json"), default="table")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from tripwire.bench import run_bench

    try:
        result = run_bench(args.datasets or default_datasets_dir(), args.limit)
    except DatasetMissing as error:
        print(f"tripwire bench: {error}", file=sys.stderr)
        return 1
    if args.format == "json":
        print(json.dumps(dict(result.rows())))
        return 0
    for name, value in result.rows():
        print(f"  {name:<40} {value}")
    return 0
