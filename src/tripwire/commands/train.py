"""`tripwire train`: reproduce the shipped classifier from the public datasets.

Needs scikit-learn (a training-only dependency: `pip install scikit-learn`). Seeded: the same
datasets give the same artifact. Writes `classifier.npz` and `classifier.json` into --out
(default: the package's own `data/models/`, which is what a release ships).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("train", help="train the event classifier from the public datasets")
    parser.add_argument("--datasets", type=Path, default=None, help="datasets folder (default: ../shared/datasets)")
    parser.add_argument("--out", type=Path, default=None, help="model folder (default: the package's data/models)")
    parser.add_argument("--seed", type=int, default=13)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    try:
        import sklearn  # noqa: F401
    except ImportError:
        print("tripwire train: needs scikit-learn (pip install scikit-learn)", file=sys.stderr)
        return 2
    from tripwire.classify.model import ARTIFACT, default_model_dir
    from tripwire.classify.training import TrainConfig, train_classifier, training_examples
    from tripwire.evaluation import DatasetMissing, default_datasets_dir

    datasets = args.datasets or default_datasets_dir()
    out = args.out or default_model_dir()
    start = time.perf_counter()
    try:
        examples = training_examples(datasets)
    except DatasetMissing as error:
        print(f"tripwire train: {error}", file=sys.stderr)
        return 2
    classifier = train_classifier(examples, TrainConfig(seed=args.seed))
    classifier.save(out)
    size = sum((out / f"{ARTIFACT}.{ext}").stat().st_size for ext in ("npz", "json"))
    print(
        f"tripwire train: {len(examples)} examples, {len(classifier.vectorizer.features)} features, "
        f"{time.perf_counter() - start:.0f} s; wrote {out} ({size / 1e6:.1f} MB)",
        file=sys.stderr,
    )
    return 0
