"""Fuses the learned classifier with the rule-based trigger coding of each event mention.

Runs after the `actors` stage, so the model sees the mention's sentence and its source and
target spans: it classifies the relation between those actors. The policy (how much the model
may overrule the trigger lexicon) was chosen by measurement on a seeded split of PLV
(`tripwire eval plv-fusion`, docs/classifier.md) and is stored with the model, not in code:

    score(type) = w * P_model(type) + (1 - w) * [type == rule type]

The mode comes from the rule when the rule's type survives and the rule gave one (lexicon cues
such as "drone" are precise), otherwise from the model's mode head. `m.confidence` is the fused
score of the chosen type; the model's own reading is kept in `m.rule["classifier"]` for later
stages and for debugging.
"""

from __future__ import annotations

from tripwire.document import Document, EventMention
from tripwire.pipeline import stage


def _first_text(spans: list) -> str | None:
    return spans[0].text if spans else None


def fuse(
    rule_type: str, rule_mode: str | None, probabilities: dict[str, float], model_weight: float
) -> tuple[str, float]:
    """The fused type and its score (NONE is not a choice here: dropping is the judge's call)."""
    scores = {t: model_weight * p for t, p in probabilities.items() if t != "NONE"}
    scores[rule_type] = scores.get(rule_type, 0.0) + (1.0 - model_weight)
    best = max(scores, key=scores.__getitem__)
    return best, scores[best]


def classify_mention(mention: EventMention, classifier=None) -> None:
    """Set the type, mode and confidence of one mention from the rule and the model."""
    from tripwire.classify import load_classifier

    classifier = classifier or load_classifier()
    text = mention.sentence.text
    source, target = _first_text(mention.source_spans), _first_text(mention.target_spans)
    probs = classifier.type_probabilities(text, source, target)
    weight = float(classifier.meta.get("fusion_model_weight", 0.5))
    event_type, score = fuse(mention.type, mention.mode, probs, weight)
    mention.rule["classifier"] = {
        "rule_type": mention.type,
        "rule_mode": mention.mode,
        "model_type": max(probs, key=probs.__getitem__),
        "model_probability": round(max(probs.values()), 4),
        "none_probability": round(probs.get("NONE", 0.0), 4),
    }
    if event_type != mention.type or not mention.mode:
        best_mode = classifier.mode_of(event_type, text, source, target)
        mention.mode = best_mode or (mention.mode if event_type == mention.type else None)
    mention.type = event_type
    mention.confidence = round(min(max(score, 0.0), 1.0), 4)


@stage("classify")
def classify(doc: Document) -> None:
    if not doc.mentions:
        return
    from tripwire.classify import load_classifier

    classifier = load_classifier()
    for mention in doc.mentions:
        classify_mention(mention, classifier)
