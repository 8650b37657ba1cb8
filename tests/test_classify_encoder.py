"""The fine-tuned encoder of the classifier: dyad marking, ONNX inference, the ensemble and its
fallback to the linear model. No torch here: the shipped artifact is ONNX (onnxruntime + tokenizers).

The sentences are written for these tests (not from the training data).
"""

from __future__ import annotations

import shutil
import sys

import numpy as np
import pytest

from tripwire.classify.encoder import encoder_available, load_encoder, mark
from tripwire.classify.model import ARTIFACT, Classifier, default_model_dir, load_classifier

SHIPPED = default_model_dir()
needs_encoder = pytest.mark.skipif(not encoder_available(SHIPPED), reason="encoder artifact or onnxruntime missing")

# Two events in one sentence: which one is classified depends on the marked dyad.
DYADS = [
    # (text, source, target, expected type)
    ("Rebels attacked an army base and the president threatened the rebels with reprisals.", "Rebels",
     "an army base", "ASSAULT"),
    ("Rebels attacked an army base and the president threatened the rebels with reprisals.", "the president",
     "the rebels", "THREATEN"),
    ("Police arrested twelve students on Monday, and the university rector criticised the police.", "Police",
     "twelve students", "COERCE"),
]  # fmt: skip


def test_mark_wraps_source_and_target() -> None:
    text, s, t = mark("Police arrested twelve protesters in Lagos.", "police", "twelve protesters")
    assert text == "@ Police @ arrested # twelve protesters # in Lagos."
    assert (text[s], text[t]) == ("@", "#")


def test_mark_target_before_source_and_missing_actor() -> None:
    text, s, t = mark("Protesters were beaten by the police.", "the police", "Protesters")
    assert text == "# Protesters # were beaten by @ the police @."
    assert (s, t) == (text.index("@"), 0)
    assert mark("Rain fell.", "police", None) == ("Rain fell.", None, None)


def test_mark_same_words_for_both_actors_do_not_overlap() -> None:
    text, _, _ = mark("Iran accused Iran's rivals.", "Iran", "Iran's rivals")
    assert text == "@ Iran @ accused # Iran's rivals #."


def test_fallback_to_linear_without_encoder_files(tmp_path) -> None:
    for ext in ("npz", "json"):
        shutil.copyfile(SHIPPED / f"{ARTIFACT}.{ext}", tmp_path / f"{ARTIFACT}.{ext}")
    assert load_encoder(tmp_path) is None
    clf = Classifier.load(tmp_path)
    assert clf.encoder is None
    pred = clf.predict_one("Police arrested twelve protesters in Lagos on Friday.", "Police", "twelve protesters")
    assert pred.type == "COERCE"


def test_fallback_to_linear_without_onnxruntime(monkeypatch) -> None:
    monkeypatch.setitem(sys.modules, "onnxruntime", None)  # import fails as if not installed
    assert not encoder_available(SHIPPED)
    assert Classifier.load(SHIPPED).encoder is None


def test_linear_only_switches(monkeypatch) -> None:
    assert load_classifier(None, False).encoder is None
    monkeypatch.setenv("TRIPWIRE_CLASSIFIER_ENCODER", "0")
    assert Classifier.load(SHIPPED, encoder=False).encoder is None
    from tripwire.classify.model import encoder_enabled

    assert not encoder_enabled()


@needs_encoder
@pytest.mark.parametrize(("text", "source", "target", "etype"), DYADS)
def test_encoder_reads_the_marked_dyad(text, source, target, etype) -> None:
    encoder = load_encoder(SHIPPED)
    probs = encoder.probabilities([text], [source], [target])[0]
    assert encoder.classes[int(np.argmax(probs))] == etype
    assert load_classifier(None, True).predict_one(text, source, target).type == etype


@needs_encoder
def test_marking_another_dyad_changes_the_encoders_reading() -> None:
    encoder = load_encoder(SHIPPED)
    text = DYADS[0][0]
    probs = encoder.probabilities([text, text, text], ["Rebels", "the president", None], ["an army base", "the rebels",
                                  None])  # fmt: skip
    assert [encoder.classes[int(i)] for i in probs[:2].argmax(axis=1)] == ["ASSAULT", "THREATEN"]
    assert not np.allclose(probs[2], probs[0], atol=0.01)  # unmarked: yet another reading


@needs_encoder
def test_int8_onnx_keeps_the_torch_models_top_class() -> None:
    """encoder.json stores the torch model's top class on probe sentences (at export); the
    quantized ONNX model must agree on each."""
    encoder = load_encoder(SHIPPED)
    probes = encoder.meta["probes_torch"]
    assert len(probes) >= 8
    probs = encoder.probabilities([p["text"] for p in probes], [p["source"] for p in probes],
                                  [p["target"] for p in probes])  # fmt: skip
    assert [encoder.classes[int(i)] for i in probs.argmax(axis=1)] == [p["top"] for p in probes]
    # int8 noise moves a probability by up to about 0.16 (a probe near 0.5 against 0.67 in torch).
    assert np.abs(probs.max(axis=1) - np.array([p["p"] for p in probes])).max() < 0.2


@needs_encoder
def test_ensemble_blends_and_keeps_a_distribution() -> None:
    both = load_classifier(None, True)
    linear = load_classifier(None, False)
    from tripwire.classify.model import ENSEMBLE_WEIGHT

    # The artifact carries the weight `tripwire train` wrote: the one the code ships.
    assert both.encoder is not None and both.ensemble_weight == pytest.approx(ENSEMBLE_WEIGHT) == 0.4
    text, source, target = "Rebels ambushed a police patrol outside the town.", "Rebels", "a police patrol"
    p = both.type_probabilities(text, source, target)
    q = linear.type_probabilities(text, source, target)
    assert abs(sum(p.values()) - 1.0) < 1e-3
    assert p["NONE"] == pytest.approx(q["NONE"])  # NONE is the linear head's alone
    assert max(p, key=p.__getitem__) == "ASSAULT"
    batch = both.predict([text, text], [source, None], [target, None])
    assert batch[0].probabilities == pytest.approx(p, abs=1e-5)  # batched = one by one


@needs_encoder
def test_batch_probabilities_match_single_calls_and_skip_the_encoder_where_asked() -> None:
    both = load_classifier(None, True)
    linear = load_classifier(None, False)
    texts = ["Rebels ambushed a police patrol outside the town.", "The minister met union leaders in the capital."]
    sources, targets = ["Rebels", "The minister"], ["a police patrol", "union leaders"]
    batch = both.type_probabilities_batch(texts, sources, targets, [True, False])
    assert batch[0] == pytest.approx(both.type_probabilities(texts[0], sources[0], targets[0]), abs=1e-6)
    assert batch[1] == pytest.approx(linear.type_probabilities(texts[1], sources[1], targets[1]), abs=1e-6)
    assert batch[1] != pytest.approx(both.type_probabilities(texts[1], sources[1], targets[1]), abs=1e-3)
