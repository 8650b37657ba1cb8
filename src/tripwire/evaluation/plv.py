"""PLOVER root-class accuracy on PLV_train (Zero-Shot-PLOVER), and the rules/model fusion study.

`plv`: seeded 5-fold cross-validation over PLV_train's 1,050 dyad sentences (15 root classes as
that dataset codes them: CONCEDE and RETREAT merged as YIELD). In each fold the model trains on
that fold's training part plus the other public sets (AW, the GSR dev half, NGEC, IndiaPolice:
none of them contains PLV sentences) and is scored on the held-out part; predictions of all
folds are pooled into one macro-F1. The shipped model's settings were chosen on the seeded dev
split used by `plv-fusion` (below), not on these folds' scores.

`plv-fusion`: a seeded 80/20 split of PLV_train by sentence. The model trains on the 80 % (plus
the other sets); each 20 % sentence goes through the extraction pipeline as a one-sentence
article, and the event mention whose actors overlap the marked source/target (else the first) is
scored three ways: rule type only, model type only, and fused with several weights.
"""

from __future__ import annotations

import random
import time
from collections import Counter
from collections.abc import Callable

import numpy as np

from tripwire.classify.data import YIELD, Example, read_plv
from tripwire.evaluation import EvalOptions, EvalReport, evaluation

QUAD = {
    "AGREE": 1, "CONSULT": 1, "SUPPORT": 1, YIELD: 2, "COOPERATE": 2, "AID": 2, "REQUEST": 3, "ACCUSE": 3,
    "REJECT": 3, "THREATEN": 3, "PROTEST": 4, "SANCTION": 4, "MOBILIZE": 4, "COERCE": 4, "ASSAULT": 4,
}  # fmt: skip


def macro_f1(gold: list[str], pred: list[str], labels: list[str] | None = None) -> float:
    """Macro-averaged F1 over the gold labels (a label never in gold nor predicted is skipped)."""
    labels = labels or sorted(set(gold))
    scores = []
    for label in labels:
        tp = sum(1 for g, p in zip(gold, pred, strict=True) if g == label and p == label)
        fp = sum(1 for g, p in zip(gold, pred, strict=True) if g != label and p == label)
        fn = sum(1 for g, p in zip(gold, pred, strict=True) if g == label and p != label)
        scores.append(0.0 if tp == 0 else 2 * tp / (2 * tp + fp + fn))
    return sum(scores) / len(scores) if scores else 0.0


PLV_CLASSES = sorted(QUAD)


def plv_probabilities(probabilities: dict[str, float]) -> np.ndarray:
    """Probabilities over PLV_CLASSES: CONCEDE and RETREAT count together as YIELD, NONE is not a
    class (PLV has none); renormalised so that two models' rows can be averaged."""
    merged: Counter[str] = Counter()
    for label, p in probabilities.items():
        if label != "NONE":
            merged[YIELD if label in ("CONCEDE", "RETREAT") else label] += p
    row = np.array([merged.get(c, 0.0) for c in PLV_CLASSES], dtype=np.float64)
    return row / row.sum() if row.sum() > 0 else row


def plv_label(probabilities: dict[str, float]) -> str:
    """The best PLV root class: CONCEDE and RETREAT count together as YIELD, NONE is not a class."""
    return PLV_CLASSES[int(np.argmax(plv_probabilities(probabilities)))]


def stratified_folds(labels: list[str], k: int, seed: int) -> list[int]:
    """Fold number of each item: each class dealt round-robin after a seeded shuffle."""
    rng = random.Random(seed)
    fold = [0] * len(labels)
    by_class: dict[str, list[int]] = {}
    for i, label in enumerate(labels):
        by_class.setdefault(label, []).append(i)
    offset = 0
    for label in sorted(by_class):
        items = by_class[label]
        rng.shuffle(items)
        for j, i in enumerate(items):
            fold[i] = (j + offset) % k
        offset += len(items)
    return fold


def _others(options: EvalOptions) -> list[Example]:
    from tripwire.classify.training import training_examples

    others = training_examples(options.datasets, ("aw", "gsr", "ngec", "india"))
    if options.limit:
        rng = random.Random(options.seed)
        others = rng.sample(others, min(len(others), options.limit * 2))
    return others


def _plv(options: EvalOptions) -> list[Example]:
    plv = read_plv(options.datasets)
    return plv[: options.limit] if options.limit else plv


def linear_cv(plv: list[Example], others: list[Example], folds: list[int], seed: int) -> np.ndarray:
    """Held-out probabilities (rows of PLV_CLASSES) of the shipped linear model, fold by fold: each
    fold's model trains on the other folds' PLV sentences plus `others`."""
    from tripwire.classify.training import TrainConfig, train_classifier

    out = np.zeros((len(plv), len(PLV_CLASSES)))
    for k in sorted(set(folds)):
        train = [e for e, f in zip(plv, folds, strict=True) if f != k] + others
        clf = train_classifier(train, TrainConfig(seed=seed), modes=False)
        for i, e in enumerate(plv):
            if folds[i] == k:
                out[i] = plv_probabilities(clf.type_probabilities(e.text, e.source, e.target))
    return out


def encoder_cv(
    plv: list[Example],
    folds: list[int],
    seed: int,
    extra: list[Example] | None = None,
    log: Callable[[str], None] | None = None,
    on_fold: Callable[[int, object, list[int]], None] | None = None,
) -> tuple[np.ndarray, float]:
    """Held-out probabilities (rows of PLV_CLASSES) of the fine-tuned encoder (torch; the slow
    part: minutes per fold on 2 cores), and the training minutes of all folds. `extra` examples
    join every fold's training part; `on_fold(k, trained, held_out_rows)` sees each fold's model."""
    from tripwire.classify.encoder_training import EncoderConfig, train_encoder

    out = np.zeros((len(plv), len(PLV_CLASSES)))
    seconds = 0.0
    for k in sorted(set(folds)):
        train = [e for e, f in zip(plv, folds, strict=True) if f != k] + list(extra or [])
        trained = train_encoder(train, EncoderConfig(seed=seed), log=log)
        seconds += trained.seconds
        rows = [i for i, f in enumerate(folds) if f == k]
        probs = trained.probabilities([plv[i] for i in rows])
        for r, i in enumerate(rows):
            out[i] = plv_probabilities(dict(zip(trained.classes, probs[r].tolist(), strict=True)))
        if log:
            log(f"fold {k}: {len(train)} training examples, {trained.seconds / 60:.1f} min")
        if on_fold:
            on_fold(k, trained, rows)
    return out, seconds / 60


def _scores(gold: list[str], probs: np.ndarray, prefix: str) -> dict[str, float]:
    pred = [PLV_CLASSES[int(j)] for j in probs.argmax(axis=1)]
    return {
        f"{prefix}macro_f1": round(macro_f1(gold, pred), 4),
        f"{prefix}accuracy": round(sum(g == p for g, p in zip(gold, pred, strict=True)) / len(gold), 4),
        f"{prefix}quad_macro_f1": round(macro_f1([str(QUAD[g]) for g in gold], [str(QUAD[p]) for p in pred]), 4),
    }


@evaluation("plv")
def evaluate_plv(options: EvalOptions) -> EvalReport:
    """The linear model by default; with `options.encoder` (`tripwire eval plv --encoder`: 5 to 20
    minutes a fold on 2 cores, by their load) also the fine-tuned encoder and the two averaged, on
    the same folds."""
    from tripwire.classify.model import ENSEMBLE_WEIGHT

    plv = _plv(options)
    others = _others(options)
    gold = [e.type for e in plv]
    folds = stratified_folds(gold, 5, options.seed)
    start = time.perf_counter()
    linear = linear_cv(plv, others, folds, options.seed)
    linear_minutes = (time.perf_counter() - start) / 60
    pred = [PLV_CLASSES[int(j)] for j in linear.argmax(axis=1)]
    per_class = {label: round(macro_f1(gold, pred, [label]), 3) for label in sorted(set(gold))}
    metrics: dict[str, float | int | str] = {"items": len(plv)} | _scores(gold, linear, "")
    notes = [f"seed {options.seed}; each fold trains on its PLV part + {len(others)} AW/GSR-dev/NGEC/India examples"]
    if options.encoder:
        log = (lambda line: print(f"  plv encoder: {line}", flush=True)) if options.verbose else None
        encoder, encoder_minutes = encoder_cv(plv, folds, options.seed, log=log)
        ensemble = ENSEMBLE_WEIGHT * encoder + (1 - ENSEMBLE_WEIGHT) * linear
        metrics |= _scores(gold, encoder, "encoder_") | _scores(gold, ensemble, "ensemble_")
        metrics |= {"linear_train_min": round(linear_minutes, 1), "encoder_train_min": round(encoder_minutes, 1)}
        notes.append(f"encoder: MiniLM-L6 fine-tuned on each fold's PLV part only; ensemble: {ENSEMBLE_WEIGHT} x "
                     "encoder + the rest x linear (a fixed weight, not tuned on these folds)")  # fmt: skip
    return EvalReport(
        name="plv",
        dataset="zsp_plv/PLV_train.tsv (seeded 5-fold CV)",
        metrics=metrics,
        notes=notes,
        details={"per_class_f1": per_class},
    )


def _overlaps(span_text: str | None, spans: list) -> bool:
    if not span_text:
        return False
    low = span_text.lower()
    return any(s.text.lower() in low or low in s.text.lower() for s in spans)


@evaluation("plv-fusion")
def evaluate_fusion(options: EvalOptions) -> EvalReport:
    """Rules only vs model only vs fused, on a seeded 20 % of PLV_train (the dev split)."""
    from tripwire.classify.training import TrainConfig, train_classifier
    from tripwire.pipeline import POST_PARSE, Pipeline
    from tripwire.read import read_text
    from tripwire.stages.classify import fuse, policy_type

    plv = read_plv(options.datasets)
    rng = random.Random(options.seed)
    order = list(range(len(plv)))
    rng.shuffle(order)
    dev_ids = set(order[: len(plv) // 5])
    train = [e for i, e in enumerate(plv) if i not in dev_ids] + _others(options)
    dev = [e for i, e in enumerate(plv) if i in dev_ids]
    if options.limit:
        dev = dev[: options.limit]
    clf = train_classifier(train, TrainConfig(seed=options.seed), modes=False)
    # The pipeline up to the actors, without the classify stage: the rules' own coding.
    post = [s for s in POST_PARSE if s not in ("classify", "judge", "assemble")]
    pipeline = Pipeline(post_parse=post)
    weights = (0.3, 0.5, 0.7, 0.85, 0.95, 1.0)
    gold: list[str] = []
    preds: dict[str, list[str]] = (
        {"rules": [], "model": []} | {f"fused_{w}": [] for w in weights} | {f"policy_{w}": [] for w in weights}
    )
    no_mention = 0
    for e in dev:
        gold.append(e.type)
        probs = clf.type_probabilities(e.text, e.source, e.target)
        preds["model"].append(plv_label(probs))
        doc = pipeline.process(read_text(e.text))
        mentions = doc.mentions
        chosen = next(
            (m for m in mentions if _overlaps(e.source, m.source_spans) and _overlaps(e.target, m.target_spans)),
            next(
                (m for m in mentions if _overlaps(e.source, m.source_spans) or _overlaps(e.target, m.target_spans)),
                mentions[0] if mentions else None,
            ),
        )
        if chosen is None:
            no_mention += 1
            preds["rules"].append("NONE")
            for w in weights:
                preds[f"fused_{w}"].append(plv_label(probs))
                preds[f"policy_{w}"].append(plv_label(probs))
            continue
        src = chosen.source_spans[0].text if chosen.source_spans else None
        tgt = chosen.target_spans[0].text if chosen.target_spans else None
        mprobs = clf.type_probabilities(chosen.sentence.text, src, tgt)
        rule = YIELD if chosen.type in ("CONCEDE", "RETREAT") else chosen.type
        preds["rules"].append(rule)
        for w in weights:
            fused, _ = fuse(chosen.type, chosen.mode, mprobs, w)
            preds[f"fused_{w}"].append(YIELD if fused in ("CONCEDE", "RETREAT") else fused)
        # The shipped policy: the model recodes only the sentence's main event, never a type the
        # rules took from the sentence's structure (stages/classify.py).
        for w in weights:
            fused, _ = policy_type(chosen, mentions, mprobs, w)
            preds[f"policy_{w}"].append(YIELD if fused in ("CONCEDE", "RETREAT") else fused)
    labels = sorted(set(gold))
    metrics: dict[str, float | int | str] = {"items": len(dev), "no_rule_mention": no_mention}
    for name, pred in preds.items():
        metrics[f"{name}_macro_f1"] = round(macro_f1(gold, pred, labels), 4)
        metrics[f"{name}_accuracy"] = round(sum(g == p for g, p in zip(gold, pred, strict=True)) / len(gold), 4)
    return EvalReport(
        name="plv-fusion",
        dataset="zsp_plv/PLV_train.tsv (seeded 20 % dev split)",
        metrics=metrics,
        notes=[
            "rules: the type of the detect stage's mention for the marked dyad (none found: wrong)",
            "model: the classifier given the gold source/target; fused_w: stage `classify` with weight w "
            "on the mention's own sentence and actor spans (no mention: the model alone)",
        ],
    )
