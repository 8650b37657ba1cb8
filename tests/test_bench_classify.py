"""`tripwire bench classify`: the sentences it times and the rates it reports (values are timings,
so only their shape and consistency are checked here; the README's speed table has the numbers)."""

from __future__ import annotations

import json

from tests.conftest import DATASETS, require_shared
from tests.test_cli_extract import run_cli
from tripwire.bench_classify import MIN_WORDS, bench_sentences, run_classify_bench
from tripwire.classify.encoder import encoder_available
from tripwire.classify.model import default_model_dir

INDIA = DATASETS / "india_police_events" / "sents.jsonl"


def test_bench_sentences_are_a_seeded_prefix_of_long_enough_sentences() -> None:
    datasets = require_shared(INDIA).parents[1]
    five = bench_sentences(datasets, 5)
    assert len(five) == 5
    assert bench_sentences(datasets, 3) == five[:3]  # the same order every run, whatever the limit
    assert all(len(text.split()) >= MIN_WORDS for text in bench_sentences(datasets, 200))
    with INDIA.open(encoding="utf-8") as lines:
        texts = (json.loads(line)["sent_text"] for line in lines)
        file_order = [t for t in texts if len(t.split()) >= MIN_WORDS][:5]
    assert len(set(five)) == 5 and five != file_order  # shuffled, not the file's first sentences


def test_classify_bench_times_all_three_on_the_same_sentences() -> None:
    datasets = require_shared(INDIA).parents[1]
    result = run_classify_bench(datasets, limit=12, progress=False)
    assert (result.sentences, result.words) == (12, sum(len(t.split()) for t in bench_sentences(datasets, 12)))
    assert result.spacy_seconds > 0 and result.linear_seconds > 0
    rows = dict(result.rows())
    assert rows["sentences"] == "12"
    if encoder_available(default_model_dir()):
        assert result.ensemble_seconds and result.ensemble_seconds > 0
        expected = result.sentences / result.ensemble_seconds / (result.sentences / result.spacy_seconds)
        assert rows["ensemble / spaCy speed"] == f"{expected:.2f}"
    else:
        assert rows["classify, ensemble: sentences/s (goal >= 200)"].startswith("n/a")


def test_bench_cli_refuses_a_bad_limit_and_names_a_missing_dataset(tmp_path) -> None:
    refused = run_cli("bench", "classify", "--limit", "0")
    assert refused.returncode == 2 and "--limit must be at least 1" in refused.stderr
    missing = run_cli("bench", "classify", "--datasets", str(tmp_path))
    assert missing.returncode == 1
    assert str(tmp_path / "india_police_events" / "sents.jsonl") in missing.stderr
