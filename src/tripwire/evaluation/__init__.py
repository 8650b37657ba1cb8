"""Accuracy reports on the public labelled datasets, run by `tripwire eval`.

Each evaluation is a function registered by name with `@evaluation`; it takes `EvalOptions` and
returns an `EvalReport`. Splits are fixed in code and seeded, so a number in the README can be
reproduced by the command written next to it.
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# Modules that register the built-in evaluations.
BUILTIN_EVALUATION_MODULES = (
    "tripwire.evaluation.plover_gsr",
    "tripwire.evaluation.article_extraction",
    "tripwire.evaluation.plv",
    "tripwire.evaluation.acled_me",
    "tripwire.evaluation.india_police",
    "tripwire.evaluation.geoparsing",
    "tripwire.evaluation.polnear",
)


@dataclass
class EvalOptions:
    datasets: Path
    limit: int | None = None  # evaluate on the first N items only (for fast test slices)
    seed: int = 13
    verbose: bool = False
    encoder: bool = False  # `tripwire eval plv --encoder`: also fine-tune and score the encoder (slow)
    encoder_cache: Path | None = None  # where `plv --encoder` keeps the encoder's held-out probabilities
    encoder_layers: int = 6  # `plv --encoder`: transformer layers the encoder keeps (6: the shipped recipe)


@dataclass
class EvalReport:
    name: str
    dataset: str
    metrics: dict[str, float | int | str]
    notes: list[str] = field(default_factory=list)
    details: dict[str, Any] = field(default_factory=dict)  # per-class tables, confusions, errors

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "dataset": self.dataset, "metrics": self.metrics, "notes": self.notes}


EvaluationFn = Callable[[EvalOptions], EvalReport]
EVALUATIONS: dict[str, EvaluationFn] = {}


def evaluation(name: str) -> Callable[[EvaluationFn], EvaluationFn]:
    def register(fn: EvaluationFn) -> EvaluationFn:
        EVALUATIONS[name] = fn
        return fn

    return register


def load_evaluations() -> dict[str, EvaluationFn]:
    for module in BUILTIN_EVALUATION_MODULES:
        importlib.import_module(module)
    return EVALUATIONS


def default_datasets_dir() -> Path:
    """`../shared/datasets` beside the checkout, or TRIPWIRE_DATASETS."""
    env = os.environ.get("TRIPWIRE_DATASETS")
    if env:
        return Path(env)
    here = Path(__file__).resolve()
    for parent in here.parents:
        candidate = parent.parent / "shared" / "datasets"
        if candidate.is_dir():
            return candidate
    return Path.cwd().parent / "shared" / "datasets"


class DatasetMissing(FileNotFoundError):
    """The public dataset an evaluation needs is not where it was looked for."""
