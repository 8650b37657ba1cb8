"""The geoparsing evaluation on a slice of the public datasets (skips without ../shared)."""

from __future__ import annotations

from conftest import DATASETS, require_shared

from tripwire.evaluation import EvalOptions
from tripwire.evaluation.geoparsing import evaluate_geoparsing, load_geowebnews, load_lgl, score, split_halves


def test_loaders_read_gold_toponyms_with_points():
    folder = require_shared(DATASETS / "geoparsing")
    gwn = load_geowebnews(folder / "GeoWebNews.xml")
    lgl = load_lgl(folder / "LGL.xml")
    assert len(gwn) == 200 and len(lgl) == 588
    assert sum(len(a.gold) for a in gwn) == 2601
    first = lgl[0].gold[0]
    assert lgl[0].text[first.start : first.end] == "Alexandria"


def test_split_is_fixed_and_disjoint():
    tune, heldout = split_halves(588, 13)
    assert tune.isdisjoint(heldout) and len(tune | heldout) == 588
    assert split_halves(588, 13) == (tune, heldout)


def test_score_counts_overlap_and_unplaced_as_wrong():
    from tripwire.evaluation.geoparsing import Article, Gold

    article = Article("Baghdad and Mosul", [Gold(0, 7, 33.34, 44.40), Gold(12, 17, 36.34, 43.13)])
    result = score([article], [[(0, 7, 33.3, 44.4), (12, 17, None, None)]])
    assert result["recall"] == 1.0 and result["acc161"] == 0.5


def test_geoparsing_evaluation_runs_on_a_slice():
    require_shared(DATASETS / "geoparsing" / "LGL.xml")
    report = evaluate_geoparsing(EvalOptions(datasets=DATASETS, limit=5))
    # A sanity floor on a small slice, far below the full-run numbers in docs/geoparsing.md.
    assert report.metrics["LGL.all.tripwire.recall"] > 0.5
    assert report.metrics["LGL.all.tripwire.recall"] >= report.metrics["LGL.all.baseline.recall"]
    assert 0.0 < report.metrics["GeoWebNews.all.tripwire.acc161"] <= 1.0
    assert report.metrics["places_per_s"] > 0
