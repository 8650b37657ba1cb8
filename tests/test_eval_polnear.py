"""`tripwire eval polnear`: the brat reader, the source matcher, and a fast slice of the dev split
(a regression guard at today's level on the first articles, not the reported number)."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import DATASETS, require_shared
from tripwire.evaluation import EvalOptions
from tripwire.evaluation.polnear import evaluate_polnear, gold_sources_of, read_ann, sources_match

# Written for this test, in PolNeAR's brat layout: a source, a cue, and content in two pieces.
TEXT = "Rebels shelled the town, the army said. It also said troops had withdrawn."
ANN = (
    "T1\tSource 25 33\tthe army\n"
    "T2\tCue 34 38\tsaid\n"
    "T3\tContent 0 23;44 48\tRebels shelled the town\n"
    "T4\tAttribution 34 38\tsaid\n"
    "E1\tAttribution:T4 Content:T3 Cue:T2 Source:T1\n"
)


def test_brat_attributions_tie_sources_to_content(tmp_path: Path) -> None:
    path = tmp_path / "article_ab12.ann"
    path.write_text(ANN, encoding="utf-8")
    [attribution] = read_ann(path)
    assert attribution.sources == [(25, 33, "the army")]
    assert attribution.content == [(0, 23), (44, 48)]
    assert TEXT[25:33] == "the army"
    assert gold_sources_of(TEXT.index("shelled"), [attribution]) == ["the army"]
    assert gold_sources_of(TEXT.index("withdrawn"), [attribution]) is None


def test_sources_match_by_head_word_or_containment() -> None:
    assert sources_match("two senior aides", "aides")
    assert sources_match("the Iraqi military", "military")
    assert sources_match("He", "he")
    assert not sources_match("the army", "the ministry")
    assert not sources_match("", "the army")


def test_slice_of_dev_articles() -> None:
    require_shared(DATASETS / "polnear" / "dev")
    metrics = evaluate_polnear(EvalOptions(datasets=DATASETS, limit=8)).metrics
    assert (metrics["articles"], metrics["dev_attributed_events"], metrics["dev_own_voice_events"]) == (8, 15, 4)
    assert metrics["dev_source_correct"] >= 0.33, metrics
    assert metrics["dev_own_voice_with_a_source"] <= 0.25, metrics
