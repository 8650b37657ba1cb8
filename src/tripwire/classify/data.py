"""Readers for the public training data, each turned into `Example`s with today's PLOVER labels.

Only used for training and evaluation (never at inference). Label mappings live in
`data/models/label_maps.toml`; a label that file does not list is not used, so no example is
guessed into a class. PLV keeps CONCEDE and RETREAT merged as YIELD (its own convention); the
model predicts YIELD and a second head splits it, trained on the sets that tell them apart.
"""

from __future__ import annotations

import csv
import io
import json
import tomllib
import zipfile
from dataclasses import dataclass
from datetime import datetime
from importlib import resources
from pathlib import Path

from tripwire.evaluation import DatasetMissing
from tripwire.ontology import load_ontology

NONE = "NONE"  # the text reports no event between the actors
YIELD = "YIELD"  # CONCEDE or RETREAT, as PLV codes them


def plv_root(event_type: str) -> str:
    """The type as PLV's 15 root classes count it: CONCEDE and RETREAT are one class, YIELD."""
    return YIELD if event_type in ("CONCEDE", "RETREAT") else event_type


@dataclass
class Example:
    text: str
    source: str | None
    target: str | None
    type: str  # a PLOVER type, YIELD, or NONE
    mode: str | None
    origin: str  # which dataset it came from
    group: str  # examples of one group (a document) never straddle a split


def label_maps() -> dict:
    raw = resources.files("tripwire.data").joinpath("models/label_maps.toml").read_text(encoding="utf-8")
    return tomllib.loads(raw)


def _need(path: Path) -> Path:
    if not path.exists():
        raise DatasetMissing(f"{path} not found (set TRIPWIRE_DATASETS or pass --datasets)")
    return path


def _valid_mode(event_type: str, mode: str | None) -> str | None:
    if not mode:
        return None
    onto = load_ontology()
    return mode if event_type in onto.types and onto.is_valid(event_type, mode) else None


def _strip_role(actor: str) -> str:
    """AW writes actors as 'Role:text'; the role is not in the sentence."""
    return actor.split(":", 1)[1] if ":" in actor[:20] else actor


def read_plv(datasets: Path) -> list[Example]:
    path = _need(datasets / "zsp_plv" / "PLV_train.tsv")
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f, delimiter="\t"))
    return [
        Example(r["sentence"], r["source"], r["target"], r["gold_root"], None, "plv", f"plv:{r['sentence_id']}")
        for r in rows
    ]


def read_aw(datasets: Path) -> list[Example]:
    path = _need(datasets / "zsp_plv" / "AW_train.tsv")
    table = label_maps()["aw"]["types"]
    out = []
    with path.open(encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f, delimiter="\t"):
            src, tgt = _strip_role(r["source"]), _strip_role(r["target"])
            group = f"aw:{r['dataset']}:{r['doc_id']}"
            if r["gold_binary"] == "0":
                out.append(Example(r["sentence"], src, tgt, NONE, None, "aw", group))
            elif r["event_type"] in table:
                etype, mode = table[r["event_type"]]
                out.append(Example(r["sentence"], src, tgt, etype, _valid_mode(etype, mode), "aw", group))
    return out


def read_gsr(datasets: Path, halves: tuple[str, ...] = ("dev",)) -> list[Example]:
    """The gold records of the `dev` half only by default: `tripwire eval plover-gsr` reports the
    pipeline's accuracy on the other (test) half, which must stay unseen by the model."""
    from tripwire.evaluation.plover_gsr import split_of

    path = _need(datasets / "plover" / "PLOVER_GSR_CAMEO.json")
    maps = label_maps()["gsr"]
    onto = load_ontology()
    out = []
    for rec in json.loads(path.read_text(encoding="utf-8")):
        event = rec.get("event", "")
        mode = (rec.get("mode") or "").strip()
        if event in maps["types"]:
            event, default_mode = maps["types"][event]
            mode = mode or default_mode
        if event not in onto.types or not rec.get("text") or split_of(rec["id"], 13) not in halves:
            continue
        mode = maps["modes"].get(mode, mode)

        def first(key: str, rec: dict = rec) -> str | None:
            actors = rec.get(key)
            if isinstance(actors, list) and actors and isinstance(actors[0], dict):
                return actors[0].get("actorText")
            return None

        out.append(
            Example(rec["text"], first("source"), first("target"), event, _valid_mode(event, mode), "gsr", rec["id"])
        )
    return out


def read_ngec(datasets: Path) -> list[Example]:
    """Synthetic stories: the first two sentences carry the event (the rest is background)."""
    folder = datasets / "ngec_synthetic"
    zips = sorted(_need(folder).glob("*.csv.zip"))
    if not zips:
        raise DatasetMissing(f"no synthetic stories zip in {folder}")
    modes = label_maps()["ngec"]["modes"]
    out = []
    with zipfile.ZipFile(zips[0]) as z, z.open(z.namelist()[0]) as raw:
        for i, r in enumerate(csv.DictReader(io.TextIOWrapper(raw, encoding="utf-8"))):
            etype = r["label"]
            mode = modes.get(r["mode"], r["mode"].lower())
            lead = " ".join(r["text"].split(". ")[:2])[:400]
            out.append(Example(lead, None, None, etype, _valid_mode(etype, mode), "ngec", f"ngec:{i}"))
    return out


def read_india(datasets: Path) -> list[tuple[int, str, list[str]]]:
    """IndiaPoliceEvents sentences as (doc_id, text, labels)."""
    path = _need(datasets / "india_police_events" / "sents.jsonl")
    out = []
    with path.open(encoding="utf-8") as f:
        for line in f:
            r = json.loads(line)
            out.append((int(r["doc_id"]), r["sent_text"], list(r["sent_labels"])))
    return out


def india_examples(rows: list[tuple[int, str, list[str]]]) -> list[Example]:
    """Police-action sentences as PLOVER examples (the police are the source)."""
    table = label_maps()["india"]["types"]
    out = []
    for doc_id, text, labels in rows:
        for label in ("KILL", "ARREST", "FORCE"):  # the most specific first
            if label in labels:
                etype, mode = table[label]
                out.append(Example(text, "police", None, etype, _valid_mode(etype, mode), "india", f"india:{doc_id}"))
                break
    return out


@dataclass
class AcledRow:
    notes: str
    event_type: str  # ACLED's 2018 event type (9 classes)
    month: int
    actor1: str
    actor2: str


def read_acled(datasets: Path) -> list[AcledRow]:
    path = _need(datasets / "acled_me2018" / "train.csv")
    out = []
    with path.open(encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f):
            month = datetime.strptime(r["event_date"], "%d-%b-%y").month
            out.append(AcledRow(r["notes"], r["event_type"], month, r["actor1"], r["actor2"]))
    return out
