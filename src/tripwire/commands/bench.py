"""`tripwire bench [extract|classify]`: speed (and memory) as ratios to spaCy in the same run."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from tripwire.evaluation import DatasetMissing, default_datasets_dir

# Default amount of input per benchmark: articles for extract, sentences for classify.
DEFAULT_LIMIT = {"extract": 100, "classify": 1000}


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("bench", help="speed and memory of extraction or classification on real news")
    parser.add_argument(
        "what",
        nargs="?",
        choices=tuple(DEFAULT_LIMIT),
        default="extract",
        help="extract: whole articles (PolNeAR); classify: `tripwire classify` on IndiaPoliceEvents sentences",
    )
    parser.add_argument(
        "--datasets", type=Path, default=None, help="folder of the datasets (default: ../shared/datasets)"
    )
    parser.add_argument(
        "--limit", type=int, default=None, help="articles (extract, default 100) or sentences (classify, default 1000)"
    )
    parser.add_argument("--format", choices=("table", "json"), default="table")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    limit = args.limit if args.limit is not None else DEFAULT_LIMIT[args.what]
    if limit < 1:
        print(f"tripwire bench: --limit must be at least 1, not {limit}", file=sys.stderr)
        return 2
    datasets = args.datasets or default_datasets_dir()
    try:
        if args.what == "classify":
            from tripwire.bench_classify import run_classify_bench

            rows = run_classify_bench(datasets, limit).rows()
        else:
            from tripwire.bench import run_bench

            rows = run_bench(datasets, limit).rows()
    except DatasetMissing as error:
        print(f"tripwire bench: {error}", file=sys.stderr)
        return 1
    if args.format == "json":
        print(json.dumps(dict(rows)))
        return 0
    width = max(len(name) for name, _ in rows)
    for name, value in rows:
        print(f"  {name:<{width}} {value}")
    return 0
