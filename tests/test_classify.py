"""The learned event classifier: library API, `tripwire classify`, the fusion stage.

Expected values are for sentences written for these tests, clear enough that any sound model
must get them right (they are not from the training data).
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from types import SimpleNamespace

import pytest

from tripwire.classify import Prediction, load_classifier
from tripwire.classify.features import extract, tokenize
from tripwire.commands.classify import output_record
from tripwire.stages.classify import classify_mention, fuse

CLEAR = [
    # (text, source, target, type, mode)
    ("Police arrested twelve protesters in Lagos on Friday.", "Police", "twelve protesters", "COERCE", "arrest"),
    ("A suicide bomber blew himself up at a checkpoint in Kabul, killing nine soldiers.", "A suicide bomber",
     "nine soldiers", "ASSAULT", "suicide-attack"),
    ("Thousands of teachers marched through the capital to demand higher wages.", "Thousands of teachers", None,
     "PROTEST", "demo"),
    ("Israeli warplanes carried out airstrikes on Hamas positions in Gaza overnight.", "Israeli warplanes",
     "Hamas", "ASSAULT", "aerial"),
    ("The foreign minister condemned the neighbouring country's decision to close the border.",
     "The foreign minister", "the neighbouring country", "ACCUSE", "disapprove"),
    ("Russia and Ukraine agreed to exchange prisoners next week.", "Russia", "Ukraine", "AGREE", None),
]  # fmt: skip


@pytest.fixture(scope="module")
def classifier():
    return load_classifier()


def test_features_are_dyad_aware() -> None:
    feats = extract("Police arrested twelve protesters.", "Police", "twelve protesters")
    assert feats["w:arrested"] == 1
    assert feats["btw:arrested"] == 1  # the word between the actors
    assert feats["src:police"] == 1 and feats["tgt:protesters"] == 1
    assert tokenize("In 2019, 12 died") == ["in", "0000", "00", "died"]


@pytest.mark.parametrize(("text", "source", "target", "etype", "mode"), CLEAR)
def test_clear_sentences(classifier, text, source, target, etype, mode) -> None:
    pred = classifier.predict([text], [source], [target])[0]
    assert isinstance(pred, Prediction)
    assert (pred.type, pred.mode) == (etype, mode)
    assert 0.0 < pred.confidence <= 1.0
    assert abs(sum(pred.probabilities.values()) - 1.0) < 1e-3


def test_predict_without_actors(classifier) -> None:
    preds = classifier.predict(["Police arrested twelve protesters in Lagos on Friday."])
    assert preds[0].type == "COERCE"


def test_output_record_has_the_contract_fields(classifier) -> None:
    pred = classifier.predict(["Police arrested twelve protesters in Lagos on Friday."], ["Police"], ["protesters"])[0]
    record = output_record("a1", pred)
    assert record == {
        "id": "a1",
        "type": "COERCE",
        "mode": "arrest",
        "quad": 4,
        "acled_event_type": "Strategic developments",
        "acled_sub_event_type": "Arrests",
        "confidence": record["confidence"],
    }
    none = output_record("a2", Prediction(None, None, 0.9, {"NONE": 0.9}))
    assert none["type"] is None and none["quad"] is None and none["acled_event_type"] is None


def test_load_is_cached_and_fast() -> None:
    from tripwire.classify.model import Classifier, default_model_dir

    start = time.perf_counter()
    Classifier.load(default_model_dir())
    assert time.perf_counter() - start < 3.0
    assert load_classifier() is load_classifier()


def test_cli_classify_with_a_bad_line(tmp_path) -> None:
    path = tmp_path / "in.jsonl"
    lines = [
        json.dumps({"id": "s1", "text": "Police arrested twelve protesters in Lagos on Friday.",
                    "source": "Police", "target": "twelve protesters"}),
        "{not json",
        json.dumps({"id": "s3"}),
        json.dumps({"id": "s4", "text": "Israeli warplanes carried out airstrikes on Hamas positions in Gaza."}),
    ]  # fmt: skip
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "tripwire.cli", "classify", str(path), "--format", "jsonl"],
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert [o["id"] for o in out] == ["s1", "s4"]
    assert (out[0]["type"], out[0]["mode"], out[0]["acled_sub_event_type"]) == ("COERCE", "arrest", "Arrests")
    assert (out[1]["type"], out[1]["acled_sub_event_type"]) == ("ASSAULT", "Air/drone strike")
    assert f"{path}:2: not JSON" in result.stderr
    assert f'{path}:3: no "text" string' in result.stderr


def test_cli_classify_stdin() -> None:
    line = json.dumps({"id": "x", "text": "Police arrested twelve protesters in Lagos on Friday."})
    result = subprocess.run(
        [sys.executable, "-m", "tripwire.cli", "classify", "-"],
        input=line + "\n", capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["type"] == "COERCE"


def test_fuse_policy() -> None:
    probs = {"ASSAULT": 0.7, "COERCE": 0.2, "NONE": 0.1}
    assert fuse("COERCE", "arrest", probs, 0.0) == ("COERCE", 1.0)  # rules only
    assert fuse("COERCE", "arrest", probs, 1.0)[0] == "ASSAULT"  # model only
    assert fuse("COERCE", None, probs, 0.5)[0] == "COERCE"  # 0.5*0.2 + 0.5 beats 0.5*0.7


def _mention(text: str, etype: str, mode: str | None, source: str | None, target: str | None):
    def spans(value: str | None) -> list:
        return [SimpleNamespace(text=value)] if value else []

    return SimpleNamespace(
        sentence=SimpleNamespace(text=text), type=etype, mode=mode, rule={},
        source_spans=spans(source), target_spans=spans(target), confidence=0.0,
    )  # fmt: skip


def test_stage_keeps_an_agreeing_rule_and_sets_confidence(classifier) -> None:
    m = _mention("Police arrested twelve protesters in Lagos on Friday.", "COERCE", "arrest", "Police", "protesters")
    classify_mention(m, classifier)
    assert (m.type, m.mode) == ("COERCE", "arrest")
    assert 0.5 < m.confidence <= 1.0
    assert m.rule["classifier"]["model_type"] == "COERCE"


def test_stage_fills_a_missing_mode(classifier) -> None:
    m = _mention("Israeli warplanes carried out airstrikes on Hamas positions in Gaza.", "ASSAULT", None,
                 "Israeli warplanes", "Hamas")  # fmt: skip
    classify_mention(m, classifier)
    assert (m.type, m.mode) == ("ASSAULT", "aerial")


SNIPPETS = [
    # (text, source, target, ACLED event type, sub-event type): issue 3's cases, from text to view
    ("A suicide bomber blew himself up at a checkpoint in Kabul, killing nine soldiers.", "A suicide bomber",
     "nine soldiers", "Explosions/Remote violence", "Suicide bomb"),
    ("A roadside bomb struck an army convoy near Kandahar.", None, "an army convoy",
     "Explosions/Remote violence", "Remote explosive/landmine/IED"),
    ("Artillery shelling by government forces hit residential areas of Idlib.", "government forces",
     "residential areas", "Explosions/Remote violence", "Shelling/artillery/missile attack"),
    ("Israeli warplanes carried out airstrikes on Hamas positions in Gaza overnight.", "Israeli warplanes",
     "Hamas", "Explosions/Remote violence", "Air/drone strike"),
    ("A drone strike killed three militants in North Waziristan.", None, "three militants",
     "Explosions/Remote violence", "Air/drone strike"),
    ("Police fired tear gas to disperse hundreds of peaceful protesters in Nairobi.", "Police",
     "hundreds of peaceful protesters", "Protests", "Protest with intervention"),
    ("Police arrested twelve protesters in Lagos on Friday.", "Police", "twelve protesters",
     "Strategic developments", "Arrests"),
    ("Gunmen stormed a village and killed 14 civilians.", "Gunmen", "14 civilians",
     "Violence against civilians", "Attack"),
]  # fmt: skip


@pytest.mark.parametrize(("text", "source", "target", "event_type", "sub_event_type"), SNIPPETS)
def test_snippets_land_on_the_acled_sub_event_type(classifier, text, source, target, event_type, sub_event_type):
    record = output_record("x", classifier.predict_one(text, source, target), False, source, target, text)
    assert (record["acled_event_type"], record["acled_sub_event_type"]) == (event_type, sub_event_type)
