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
The records are split in two by a seeded hash of their id (`split_of`): the lexicons may be
improved by reading the errors on the *dev* half (`tripwire eval plover-gsr --verbose` prints
only those); the *test* half is the number we report, and nobody reads its errors.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from dataclasses import dataclass, field

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


def split_of(record_id: str, seed: int) -> str:
    digest = hashlib.sha256(f"{seed}:{record_id}".encode()).digest()
    return "dev" if digest[0] % 2 == 0 else "test"


@dataclass
class _Tally:
    total: int = 0
    top_correct: int = 0
    recall: int = 0
    source_total: int = 0
    source_correct: int = 0
    target_total: int = 0
    target_correct: int = 0
    errors: list[str] = field(default_factory=list)

    def metrics(self, prefix: str) -> dict[str, float | int]:
        def ratio(a: int, b: int) -> float:
            return a / b if b else 0.0

        return {
            f"{prefix}sentences": self.total,
            f"{prefix}type_accuracy_top_event": ratio(self.top_correct, self.total),
            f"{prefix}type_recall_any_event": ratio(self.recall, self.total),
            f"{prefix}source_country_accuracy": ratio(self.source_correct, self.source_total),
            f"{prefix}target_country_accuracy": ratio(self.target_correct, self.target_total),
        }


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
    tallies = {"dev": _Tally(), "test": _Tally()}
    confusion: Counter[tuple[str, str]] = Counter()
    for record, document in zip(records, pipeline.process_many(articles), strict=True):
        split = split_of(record["id"], options.seed)
        tally = tallies[split]
        tally.total += 1
        expected = gold_type(record)
        events = sorted(document.events, key=lambda e: e.confidence, reverse=True)
        predicted = events[0].type if events else "none"
        if split == "test":
            confusion[(expected, predicted)] += 1
        tally.top_correct += predicted == expected
        matching = [e for e in events if e.type == expected]
        if split == "dev" and predicted != expected:
            tally.errors.append(f"{record['id']}: gold {expected}, got {[e.type for e in events]}: {record['text']}")
        if not matching:
            continue
        tally.recall += 1
        event = matching[0]
        gold_sources, gold_targets = _countries(record.get("source")), _countries(record.get("target"))
        if gold_sources:
            tally.source_total += 1
            tally.source_correct += bool(gold_sources & {a.country for a in event.source if a.country})
        if gold_targets:
            tally.target_total += 1
            tally.target_correct += bool(gold_targets & {a.country for a in event.target if a.country})
    metrics: dict[str, float | int | str] = {**tallies["test"].metrics("test_"), **tallies["dev"].metrics("dev_")}
    notes = [
        "older types mapped: DEMAND->REQUEST, DISAPPROVE->ACCUSE, INVESTIGATE->ACCUSE, FIGHT->ASSAULT",
        "country accuracy is measured on sentences where an event of the gold type was found",
        f"split by seeded hash (seed {options.seed}): test_* is reported, dev_* errors may be read",
    ]
    if options.verbose:
        notes.extend(tallies["dev"].errors)
    details = {"confusion_test": {f"{g}->{p}": n for (g, p), n in confusion.items()}}
    return EvalReport("plover-gsr", "plover/PLOVER_GSR_CAMEO.json", metrics, notes, details)
