"""The `classify` stage inside the pipeline: after `actors`, on the mentions the rules found."""

from __future__ import annotations

import pytest

from tripwire.pipeline import POST_PARSE, Pipeline
from tripwire.read import read_text


@pytest.fixture(scope="module")
def classify_pipeline() -> Pipeline:
    import tripwire.stages.classify  # noqa: F401 - registers the stage

    # Only the stages the classifier needs (places and dates load large tables: slow for a unit test).
    stages = [s for s in POST_PARSE if s != "classify"]
    return Pipeline(post_parse=[*stages[: stages.index("actors") + 1], "classify"])


def test_stage_codes_the_rule_mentions(classify_pipeline: Pipeline) -> None:
    doc = classify_pipeline.process(
        read_text("Police arrested twelve protesters in Lagos on Friday.", published="2024-03-01")
    )
    assert doc.mentions, "the detect stage found no mention"
    mention = doc.mentions[0]
    assert mention.type == "COERCE" and mention.mode == "arrest"
    assert mention.rule["classifier"]["model_type"] == "COERCE"
    assert 0.5 < mention.confidence <= 1.0
