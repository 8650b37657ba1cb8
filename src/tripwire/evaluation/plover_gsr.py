"""Event type and actor country accuracy on the PLOVER gold standard records (322 sentences).

The records were coded with an early PLOVER draft; older type names are mapped to today's types
as the PLOVER manual folds them: DEMAND became REQUEST; DISAPPROVE and INVESTIGATE became modes
of ACCUSE; FIGHT (armed clashes) became part of ASSAULT. Country codes are compared after fixing
the draft's non-ISO codes (JAP for Japan).

Each sentence is run through the whole extraction pipeline as a one-sentence article. Reported:
- type accuracy: the most confident event's type equals the gold type (no event counts as wrong);
- type recall: some event of the gold type was found;
- source / target country accuracy: on sentences whose gold actor has a country code and where an
  event of the gold type was found, that event's actors include the gold country.
Nothing here is tuned on: the lexicons were written from the PLOVER manual, not these records.
"""

from __future__ import annotations

import json
from collections import Counter

from tripwire.evaluation import DatasetMissing, EvalOptions, EvalReport, evaluation

OLD_TYPE_NAMES = {"DEMAND": "REQUEST", "DISAPPROVE": "ACCUSE", "INVESTIGATE": "ACCUSE", "FIGHT": "ASSAULT"}
CODE_FIXES = {"JAP": "JPN"}


def gold_type(record: dict) -> str:
    return OLD_TYPE_NAMES.get(record["event"], record["event"])


def _countries(actors: object) -> set[str]:
    if not isinstance(actors, list):
        return set()
    codes = set()
    for actor in actors:
        if isinstance(actor, dict) and actor.get("code"):
            code = str(actor["code"]).upper()
            codes.add(CODE_FIXES.get(code, code))
    return codes


def load_records(options: EvalOptions) -> list[dict]:
    path = options.datasets / "plover" / "PLOVER_GSR_CAMEO.json"
    if not path.is_file():
        raise DatasetMissing(f"{path} not found (set --datasets or TRIPWIRE_DATASETS)")
    records = [
        r for r in json.loads(path.read_text(encoding="utf-8")) if r.get("event") != "DOCUMENT" and r.get("text")
    ]
    return records[: options.limit] if options.limit else records


@evaluation("plover-gsr")
def evaluate(options: EvalOptions) -> EvalReport:
    from tripwire.pipeline import Pipeline
    from tripwire.record import Article, article_id_for

    records = load_records(options)
    pipeline = Pipeline()
    articles = [Article(article_id=article_id_for(r["text"]), text=r["text"], id=r["id"]) for r in records]
    top_correct = recall = 0
    source_total = source_correct = target_total = target_correct = 0
    confusion: Counter[tuple[str, str]] = Counter()
    errors: list[str] = []
    for record, document in zip(records, pipeline.process_many(articles), strict=True):
        expected = gold_type(record)
        events = sorted(document.events, key=lambda e: e.confidence, reverse=True)
        predicted = events[0].type if events else "none"
        confusion[(expected, predicted)] += 1
        top_correct += predicted == expected
        matching = [e for e in events if e.type == expected]
        if not matching:
            if options.verbose:
                errors.append(
                    f"{record['id']}: gold {expected}, got {[e.type for e in events]}: {record['text'][:100]}"
                )
            continue
        recall += 1
        event = matching[0]
        gold_sources, gold_targets = _countries(record.get("source")), _countries(record.get("target"))
        if gold_sources:
            source_total += 1
            source_correct += bool(gold_sources & {a.country for a in event.source if a.country})
        if gold_targets:
            target_total += 1
            target_correct += bool(gold_targets & {a.country for a in event.target if a.country})
    total = len(records)
    metrics: dict[str, float | int | str] = {
        "sentences": total,
        "type_accuracy_top_event": top_correct / total if total else 0.0,
        "type_recall_any_event": recall / total if total else 0.0,
        "source_country_accuracy": source_correct / source_total if source_total else 0.0,
        "source_country_n": source_total,
        "target_country_accuracy": target_correct / target_total if target_total else 0.0,
        "target_country_n": target_total,
    }
    per_type = Counter(expected for expected, _ in confusion.elements())
    notes = [
        "older types mapped: DEMAND->REQUEST, DISAPPROVE->ACCUSE, INVESTIGATE->ACCUSE, FIGHT->ASSAULT",
        "country accuracy is measured on sentences where an event of the gold type was found",
    ]
    if options.verbose:
        notes.extend(errors)
    details = {"confusion": {f"{g}->{p}": n for (g, p), n in confusion.items()}, "per_type": dict(per_type)}
    return EvalReport("plover-gsr", "plover/PLOVER_GSR_CAMEO.json", metrics, notes, details)
