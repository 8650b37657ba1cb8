"""`tripwire eval`: accuracy reports on the public datasets."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from tripwire.evaluation import DatasetMissing, EvalOptions, default_datasets_dir, load_evaluations


def _layer_count(value: str) -> int:
    if not value.isdigit() or not 1 <= int(value) <= 6:
        raise argparse.ArgumentTypeError(f"{value!r}: MiniLM-L6 has layers 1 to 6")
    return int(value)


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("eval", help="accuracy on the public labelled datasets")
    parser.add_argument("names", nargs="*", help="evaluations to run (default: all); see --list")
    parser.add_argument(
        "--datasets", type=Path, default=None, help="folder of the datasets (default: ../shared/datasets)"
    )
    parser.add_argument("--limit", type=int, default=None, help="only the first N items of each dataset")
    parser.add_argument("--list", action="store_true", help="list the evaluations and exit")
    parser.add_argument("--format", choices=("table", "json"), default="table")
    parser.add_argument("--verbose", action="store_true", help="print errors item by item")
    parser.add_argument(
        "--encoder",
        action="store_true",
        help="plv: also fine-tune and score the MiniLM encoder and the ensemble, nested CV (needs torch; "
        "4-6 h on 2 cores, minutes on a GPU)",
    )
    parser.add_argument(
        "--encoder-cache",
        type=Path,
        default=None,
        metavar="FILE",
        help="plv --encoder: read the encoder's held-out probabilities from FILE (.npz) when it holds these "
        "folds', else write them there (train on a GPU machine, score anywhere)",
    )
    parser.add_argument(
        "--encoder-layers",
        type=_layer_count,
        default=6,
        metavar="N",
        help="plv --encoder: keep the first N of MiniLM's 6 layers (faster, less accurate; docs/classifier.md)",
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    evaluations = load_evaluations()
    if args.list:
        for name in sorted(evaluations):
            print(name)
        return 0
    unknown = [name for name in args.names if name not in evaluations]
    if unknown:
        print(f"tripwire eval: unknown evaluation(s) {unknown}; available: {sorted(evaluations)}", file=sys.stderr)
        return 2
    options = EvalOptions(datasets=args.datasets or default_datasets_dir(), limit=args.limit, verbose=args.verbose,
                          encoder=args.encoder, encoder_cache=args.encoder_cache,
                          encoder_layers=args.encoder_layers)  # fmt: skip
    status = 0
    for name in args.names or sorted(evaluations):
        try:
            report = evaluations[name](options)
        except DatasetMissing as error:
            print(f"tripwire eval {name}: skipped: {error}", file=sys.stderr)
            status = 1
            continue
        if args.format == "json":
            print(json.dumps(report.to_dict()))
            continue
        print(f"\n{report.name}  ({report.dataset})")
        for key, value in report.metrics.items():
            shown = f"{value:.3f}" if isinstance(value, float) else str(value)
            print(f"  {key:<40} {shown}")
        for note in report.notes:
            print(f"  note: {note}")
    return status
