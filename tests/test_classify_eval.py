"""Fast slices of the classifier's evaluations (`--limit`), to keep them runnable; the full
numbers are in docs/classifier.md with their commands."""

from __future__ import annotations

import pytest
from conftest import DATASETS, require_shared

from tripwire.evaluation import EvalOptions, load_evaluations

pytest.importorskip("sklearn", reason="the evaluations train models: scikit-learn is a training dependency")


@pytest.fixture(scope="module")
def evaluations():
    return load_evaluations()


def test_plv_slice(evaluations) -> None:
    require_shared(DATASETS / "zsp_plv" / "PLV_train.tsv")
    report = evaluations["plv"](EvalOptions(datasets=DATASETS, limit=60))
    assert report.metrics["items"] == 60
    assert 0.0 <= report.metrics["macro_f1"] <= 1.0


def test_acled_slice(evaluations) -> None:
    require_shared(DATASETS / "acled_me2018" / "train.csv")
    report = evaluations["acled-me"](EvalOptions(datasets=DATASETS, limit=50))
    assert report.metrics["test_items"] == 50
    assert 0.0 <= report.metrics["accuracy_trained"] <= 1.0
    assert 0.0 <= report.metrics["accuracy_shipped_mapped"] <= 1.0


def test_india_slice(evaluations) -> None:
    require_shared(DATASETS / "india_police_events" / "sents.jsonl")
    report = evaluations["india-police"](EvalOptions(datasets=DATASETS, limit=200))
    assert report.metrics["test_sentences"] > 0
    assert "ANY_ACTION_f1" in report.metrics


def test_plv_helpers() -> None:
    from tripwire.evaluation.plv import macro_f1, plv_label, stratified_folds

    assert macro_f1(["A", "B"], ["A", "B"]) == 1.0
    assert macro_f1(["A", "A"], ["A", "B"]) == pytest.approx(2 / 3)
    assert plv_label({"CONCEDE": 0.3, "RETREAT": 0.3, "ACCUSE": 0.4, "NONE": 0.0}) == "YIELD"
    folds = stratified_folds(["A"] * 10 + ["B"] * 5, 5, 13)
    assert sorted(folds) == [0, 0, 0, 1, 1, 1, 2, 2, 2, 3, 3, 3, 4, 4, 4]
