"""A fast slice of `tripwire eval plover-gsr`: the evaluation runs, its split is stable, and the
rules do not fall below what they reach today on the first 60 records (a regression guard, not
the reported number: the full run is in the README)."""

from __future__ import annotations

from tests.conftest import DATASETS, require_shared
from tripwire.evaluation import EvalOptions
from tripwire.evaluation.plover_gsr import evaluate, gold_type, split_of


def test_old_type_names_map_to_plover():
    assert gold_type({"event": "DEMAND"}) == "REQUEST"
    assert gold_type({"event": "FIGHT"}) == "ASSAULT"
    assert gold_type({"event": "DISAPPROVE"}) == "ACCUSE"
    assert gold_type({"event": "PROTEST"}) == "PROTEST"


def test_split_is_seeded_and_stable():
    assert split_of("PLOVER-GSR01-AGREE-0001", 13) == split_of("PLOVER-GSR01-AGREE-0001", 13)
    ids = [f"PLOVER-GSR01-AGREE-{i:04d}" for i in range(200)]
    share = sum(split_of(i, 13) == "test" for i in ids) / len(ids)
    assert 0.35 < share < 0.65


def test_slice_of_gold_records():
    require_shared(DATASETS / "plover" / "PLOVER_GSR_CAMEO.json")
    report = evaluate(EvalOptions(datasets=DATASETS, limit=60))
    metrics = report.metrics
    assert metrics["test_sentences"] + metrics["dev_sentences"] == 60
    both = (metrics["test_type_accuracy_top_event"] * metrics["test_sentences"]
            + metrics["dev_type_accuracy_top_event"] * metrics["dev_sentences"]) / 60
    assert both >= 0.5, metrics
