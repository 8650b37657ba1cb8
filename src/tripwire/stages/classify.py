"""Fuses the learned classifier with the rule-based trigger coding of each event mention.

Runs after the `actors` stage, so the model sees the mention's sentence and its source and
target spans: it classifies the relation between those actors. The policy (how much the model
may overrule the trigger lexicon) was chosen by measurement on a seeded split of PLV
(`tripwire eval plv-fusion`, docs/classifier.md) and is stored with the model, not in code:

    score(type) = w * P_model(type) + (1 - w) * [type == rule type]

with w = 0.95: on the PLV dev split, macro-F1 rules only 0.422, w = 0.5 0.528, w = 0.85 0.642,
w = 0.95 0.643, model only 0.648 (the last three within noise; 0.95 lets the rule break near-ties).

The mode comes from the rule when the rule's type survives and the rule gave one (lexicon cues
such as "drone" are precise), otherwise from the model's mode head. `m.confidence` is the fused
score of the chosen type; the model's own reading is kept in `m.rule["classifier"]` for later
stages and for debugging.

The stage uses the same linear + encoder ensemble as `tripwire classify` (the linear model alone
when the encoder or ONNX Runtime is missing, or with TRIPWIRE_CLASSIFIER_ENCODER=0). On the PLV
dev split through the pipeline (`tripwire eval plv-fusion --encoder`) the ensemble raised the
shipped policy from 0.558 to 0.619 macro-F1 and plain fusion at w = 0.95 from 0.653 to 0.791. Its
probabilities are sharper than the linear model's, so more readings pass the p >= 0.5 bar; the
one measured harm, CAMEO's habit of coding property destruction as coercion ("Army bulldozers
demolished homes": COERCE/arrest), is why a trigger whose lexicon entry names a mode is never
recoded (`model_may_recode`). `STAGE_USES_ENCODER = False` restores the linear model here.
"""

from __future__ import annotations

from tripwire.classify.model import cue_mode
from tripwire.document import Document, EventMention
from tripwire.pipeline import stage

STAGE_USES_ENCODER = True  # see the module docstring


def _stage_classifier():
    """The classifier this stage uses (see STAGE_USES_ENCODER), loaded once per process."""
    from tripwire.classify import load_classifier

    return load_classifier(None, None if STAGE_USES_ENCODER else False)


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


def rule_is_structural(mention: EventMention) -> bool:
    """The rule's type comes from the sentence's structure, which a bag-of-words model cannot see:
    a threat, demand or intention frame, a conditional act, or a trigger chosen by the words around
    it (a verbal attack, a labour strike)."""
    rule = mention.rule
    return bool(rule.get("frame") or rule.get("intended") or rule.get("threat_from") or rule.get("conditioned"))


def is_main_event(mention: EventMention, mentions: list[EventMention]) -> bool:
    """The model reads the whole sentence, so its type is the sentence's main event: it may recode
    that one, never the others told on the way ("denied that its forces had shelled the camp")."""
    if len(mentions) <= 1:
        return True
    same_sentence = [m for m in mentions if m.sentence.start == mention.sentence.start]

    def depth_then_position(m: EventMention) -> tuple[int, int]:
        return sum(1 for _ in m.trigger.ancestors), m.trigger.i

    return mention is min(same_sentence, key=depth_then_position)


# Types that code an intention ("said it would withdraw" is AGREE in CAMEO-style training data).
# The pipeline codes intentions as a status (planned) and through the intent and threat frames, so
# the model may not turn an act into one of these.
INTENTION_TYPES = frozenset({"AGREE", "THREATEN"})
# Below this probability the model's favourite type is a guess: on long news sentences unlike its
# training data it spreads its belief thin (0.14-0.36 on the sample article's misreadings), and a
# guess must not overrule a lexicon trigger.
MIN_RECODE_PROBABILITY = 0.5


def model_may_recode(mention: EventMention, mentions: list[EventMention]) -> bool:
    """Only the sentence's main event, never a structural coding, and never a trigger whose
    lexicon entry names a mode ("demolished": ASSAULT/destroy, "airstrike": ASSAULT/aerial): such
    an entry is specific evidence, while the model has learned CAMEO's habit of coding property
    destruction as coercion (with the ensemble "Army bulldozers demolished homes" read COERCE/arrest)."""
    return not rule_is_structural(mention) and not mention.mode and is_main_event(mention, mentions)


def policy_type(
    mention: EventMention, mentions: list[EventMention], probabilities: dict[str, float], model_weight: float
) -> tuple[str, float]:
    """The shipped fusion: `fuse` with the model's weight where it may recode, the rule elsewhere."""
    sure = max((p for t, p in probabilities.items() if t != "NONE"), default=0.0) >= MIN_RECODE_PROBABILITY
    weight = model_weight if sure and model_may_recode(mention, mentions) else 0.0
    event_type, score = fuse(mention.type, mention.mode, probabilities, weight)
    if event_type in INTENTION_TYPES and mention.type not in INTENTION_TYPES:
        event_type, score = fuse(mention.type, mention.mode, probabilities, 0.0)
    return event_type, score


def classify_mention(
    mention: EventMention,
    classifier=None,
    *,
    mentions: list[EventMention] | None = None,
    probabilities: dict[str, float] | None = None,
    encoder_read: bool | None = None,
) -> None:
    """Set the type, mode and confidence of one mention from the rule and the model
    (`probabilities`: the model's reading of the mention, when the caller already has it;
    `encoder_read`: whether the encoder took part in it, for the debug record)."""
    classifier = classifier or _stage_classifier()
    text = mention.sentence.text
    source, target = _first_text(mention.source_spans), _first_text(mention.target_spans)
    probs = probabilities or classifier.type_probabilities(text, source, target)
    weight = float(classifier.meta.get("fusion_model_weight", 0.95))
    event_type, score = policy_type(mention, mentions or [mention], probs, weight)
    mention.rule["classifier"] = {
        "rule_type": mention.type,
        "rule_mode": mention.mode,
        "model_type": max(probs, key=probs.__getitem__),
        "model_probability": round(max(probs.values()), 4),
        "none_probability": round(probs.get("NONE", 0.0), 4),
        "encoder": classifier.encoder is not None if encoder_read is None else encoder_read,
    }
    # A recoded event takes the model's mode. A kept one keeps the rule's; where the rule found
    # none, only a cue word of the sentence may add one: the mode head, trained on few examples,
    # guesses "explosives" for any unspecified attack.
    if event_type != mention.type:
        mention.mode = classifier.mode_of(event_type, text, source, target)
    elif not mention.mode and is_main_event(mention, mentions or [mention]):
        mention.mode = cue_mode(event_type, text)
    mention.type = event_type
    mention.confidence = round(min(max(score, 0.0), 1.0), 4)


@stage("classify")
def classify(doc: Document) -> None:
    if not doc.mentions:
        return
    classifier = _stage_classifier()
    mentions = doc.mentions
    # The encoder reads only the mentions the model may recode (elsewhere the rule stands whatever
    # the model says, and `rule["classifier"]` records the linear model's reading), all of them in
    # one call so that its workers share the cores.
    recodable = [model_may_recode(m, mentions) for m in mentions]
    probabilities = classifier.type_probabilities_batch(
        [m.sentence.text for m in mentions],
        [_first_text(m.source_spans) for m in mentions],
        [_first_text(m.target_spans) for m in mentions],
        recodable,
    )
    for mention, probs, may in zip(mentions, probabilities, recodable, strict=True):
        classify_mention(
            mention,
            classifier,
            mentions=mentions,
            probabilities=probs,
            encoder_read=may and classifier.encoder is not None,
        )
