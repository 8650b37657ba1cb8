"""ACLED Middle East 2018: event type (ACLED's 2018 taxonomy, 9 classes) from the notes.

Held-out month: every event dated January 2018 trains, every February event is scored (the file
holds only those two months; a time split is what a user faces: the model never sees the test
month's events, places or news cycle). Two numbers:

- `accuracy_trained`: a head on the classifier's sparse features, trained on January's notes and
  actor names (ACLED's terms allow internal evaluation only, so this head is not shipped);
- `accuracy_shipped_mapped`: the shipped PLOVER model, never trained on ACLED, with its type and
  mode mapped through `data/acled_map.toml` (actors resolved by the actor knowledge base) and
  back to the 2018 types: how well the ACLED view works on text it was not built from.
"""

from __future__ import annotations

from collections import Counter

from tripwire.classify.data import read_acled
from tripwire.evaluation import EvalOptions, EvalReport, evaluation


@evaluation("acled-me")
def evaluate_acled(options: EvalOptions) -> EvalReport:
    from tripwire.acled import acled_view, old_event_type
    from tripwire.actors import resolve_actor
    from tripwire.classify import load_classifier
    from tripwire.classify.training import fit_text_head

    rows = read_acled(options.datasets)
    train = [r for r in rows if r.month == 1]
    test = [r for r in rows if r.month == 2]
    if options.limit:
        train, test = train[: options.limit * 4], test[: options.limit]
    vec, head = fit_text_head(
        [r.notes for r in train],
        [r.event_type for r in train],
        [r.actor1 for r in train],
        [r.actor2 for r in train],
        C=10.0,
        class_weight=None,
        seed=options.seed,
    )
    correct = 0
    confusion: Counter[tuple[str, str]] = Counter()
    for r in test:
        idx, val = vec.row(r.notes, r.actor1, r.actor2)
        p = head.proba(idx, val)
        pred = head.classes[int(p.argmax())]
        correct += pred == r.event_type
        confusion[(r.event_type, pred)] += 1

    clf = load_classifier()
    mapped = 0
    for r in test:
        pred = clf.predict_one(r.notes)
        source = [resolve_actor(r.actor1)] if r.actor1 else []
        target = [resolve_actor(r.actor2)] if r.actor2 else []
        view = acled_view(pred.type, pred.mode, source, target, []) if pred.type else None
        mapped += old_event_type(view) == r.event_type
    majority = Counter(r.event_type for r in test).most_common(1)[0][1]
    return EvalReport(
        name="acled-me",
        dataset="acled_me2018/train.csv (train January, test February 2018)",
        metrics={
            "train_items": len(train),
            "test_items": len(test),
            "accuracy_trained": round(correct / len(test), 4),
            "accuracy_shipped_mapped": round(mapped / len(test), 4),
            "majority_class_accuracy": round(majority / len(test), 4),
        },
        notes=["accuracy_trained: notes + actor1/actor2 names; AutoML on all tabular columns: 0.848"],
        details={"confusion": {f"{g} -> {p}": n for (g, p), n in confusion.most_common()}},
    )
