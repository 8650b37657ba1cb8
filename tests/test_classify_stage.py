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


def test_stage_batch_gives_what_one_mention_at_a_time_gives() -> None:
    """The stage reads all mentions with one encoder call, and only the ones the model may recode:
    the types, modes and confidences must be those of `classify_mention` run mention by mention."""
    from tripwire.classify import load_classifier
    from tripwire.stages import classify as stage

    stages = [s for s in POST_PARSE if s != "classify"]
    pipeline = Pipeline(post_parse=stages[: stages.index("actors") + 1])
    text = (
        "Rebels shelled an army base near the border on Monday, and the defence minister condemned the attack. "
        "Police arrested twelve students in the capital after they protested against the war. "
        "The government said it would withdraw its ambassador unless the shelling stopped, officials said. "
        "Army bulldozers demolished three homes in the village on Tuesday. "
        "The minister met union leaders in the capital on Monday. "
        "The two governments signed a trade agreement in Geneva."
    )
    classifier = load_classifier()
    batched = pipeline.process(read_text(text, published="2024-03-01"))
    single = pipeline.process(read_text(text, published="2024-03-01"))
    assert len(batched.mentions) >= 5
    stage.classify(batched)
    for mention in single.mentions:
        stage.classify_mention(mention, classifier, mentions=single.mentions)
    assert [(m.type, m.mode, m.confidence) for m in batched.mentions] == [
        (m.type, m.mode, m.confidence) for m in single.mentions
    ]
    if classifier.encoder is not None:  # the encoder read exactly the recodable mentions
        fresh = pipeline.process(read_text(text, published="2024-03-01"))
        recodable = [stage.model_may_recode(m, fresh.mentions) for m in fresh.mentions]
        assert [m.rule["classifier"]["encoder"] for m in batched.mentions] == recodable
        assert any(recodable) and not all(recodable)
