"""PolNeAR: is each event's cited source (`reported_by`) the one the annotators marked?

PolNeAR marks every attribution in 2016 US election news: a Source ("a campaign aide"), a Cue
("said") and the Content attributed. tripwire codes events, not attributions, so the question
asked here is the one a user cares about: for an event inside attributed content, did we name the
same source, and for an event in the outlet's own voice, did we leave `reported_by` empty?

- An event is *attributed* when its trigger word lies inside a gold Content span; its gold
  sources are those of all such spans. The trigger, not the sentence: in "Murphy praised the
  donor's efforts" PolNeAR attributes "the donor's efforts" to Murphy, while for tripwire Murphy
  is the praising event's own source, reported by the outlet in its own voice.
- Our source *matches* when its words and a gold source's words share the last word of either
  phrase (the head, in English noun phrases: "two senior aides" and "aides" match), or one
  phrase contains the other. A pronoun source ("he said") matches by its own words or by the
  person tripwire resolved it to, since the annotators sometimes mark the pronoun and sometimes
  the name.

Split: `polnear/dev` is reported; `polnear/train` is where errors may be read (`--verbose` prints
the train errors only). Several annotators cover some articles (the file name ends in the
annotator's id); the first annotation file of an article, by name, is its gold.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from tripwire.evaluation import DatasetMissing, EvalOptions, EvalReport, evaluation
from tripwire.record import Evidence

_ANNOTATOR_SUFFIX = re.compile(r"_[0-9a-f]{4}$")
_WORD = re.compile(r"[\w’'-]+")


@dataclass
class Attribution:
    sources: list[tuple[int, int, str]]  # gold Source spans: start, end, text
    content: list[tuple[int, int]]  # gold Content spans (an attribution may have several)


@dataclass
class Article:
    name: str
    text: str
    attributions: list[Attribution]


def read_ann(path: Path) -> list[Attribution]:
    """The attributions of one brat file: each `E` line ties its Source and Content spans together."""
    spans: dict[str, tuple[str, list[tuple[int, int]], str]] = {}
    events: list[list[tuple[str, str]]] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if line.startswith("T") and len(parts) >= 3:
            label, _, offsets = parts[1].partition(" ")
            pieces = [tuple(int(x) for x in piece.split()) for piece in offsets.split(";")]
            spans[parts[0]] = (label, [(a, b) for a, b in pieces], parts[2])
        elif line.startswith("E") and len(parts) >= 2:
            events.append([tuple(arg.split(":", 1)) for arg in parts[1].split() if ":" in arg])  # type: ignore[misc]
    attributions = []
    for args in events:
        sources, content = [], []
        for role, span_id in args:
            if span_id not in spans:
                continue
            _, pieces, text = spans[span_id]
            if role.startswith("Source"):
                sources.append((pieces[0][0], pieces[-1][1], text))
            elif role.startswith("Content"):
                content.extend(pieces)
        if content:
            attributions.append(Attribution(sources, content))
    return attributions


def read_split(datasets: Path, split: str) -> list[Article]:
    folder = datasets / "polnear" / split
    if not folder.is_dir():
        raise DatasetMissing(f"{folder} not found")
    first_file: dict[str, Path] = {}
    for ann in sorted((folder / "attributions").glob("*.ann")):
        first_file.setdefault(_ANNOTATOR_SUFFIX.sub("", ann.stem), ann)
    articles = []
    for name, ann in sorted(first_file.items()):
        text_path = folder / "text" / f"{name}.txt"
        if text_path.exists():
            articles.append(Article(name, text_path.read_text(encoding="utf-8"), read_ann(ann)))
    return articles


def _words(text: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(text)]


def sources_match(ours: str, gold: str) -> bool:
    a, b = _words(ours), _words(gold)
    if not a or not b:
        return False
    joined_a, joined_b = " ".join(a), " ".join(b)
    return a[-1] in b or b[-1] in a or joined_a in joined_b or joined_b in joined_a


def gold_sources_of(offset: int, attributions: list[Attribution]) -> list[str] | None:
    """The gold sources of the content holding a character offset; None when it is unattributed."""
    found: list[str] | None = None
    for attribution in attributions:
        if any(a <= offset < b for a, b in attribution.content):
            found = (found or []) + [text for _, _, text in attribution.sources]
    return found


def trigger_offset(evidence: Evidence) -> int:
    """Where the trigger word is in the article (its first occurrence in the evidence sentence)."""
    at = evidence.sentence.find(evidence.trigger)
    return evidence.start + max(at, 0)


@dataclass
class _Tally:
    attributed: int = 0  # events inside gold attributed content that names a source
    found: int = 0  # ... of which we gave a reported_by
    matched: int = 0  # ... of which ours matches a gold source
    own_voice: int = 0  # events outside any attributed content
    spurious: int = 0  # ... of which we gave a reported_by anyway
    errors: list[str] = field(default_factory=list)

    def metrics(self, prefix: str) -> dict[str, float | int]:
        def ratio(a: int, b: int) -> float:
            return round(a / b, 3) if b else 0.0

        return {
            f"{prefix}attributed_events": self.attributed,
            f"{prefix}source_found": ratio(self.found, self.attributed),
            f"{prefix}source_correct": ratio(self.matched, self.attributed),
            f"{prefix}source_precision": ratio(self.matched, self.found + self.spurious),
            f"{prefix}own_voice_events": self.own_voice,
            f"{prefix}own_voice_with_a_source": ratio(self.spurious, self.own_voice),
        }


def _score(articles: list[Article], tally: _Tally, keep_errors: bool) -> None:
    from tripwire.pipeline import Pipeline
    from tripwire.record import Article as Input
    from tripwire.record import article_id_for

    inputs = [Input(article_id=article_id_for(a.text), text=a.text, id=a.name) for a in articles]
    for article, document in zip(articles, Pipeline().process_many(inputs), strict=True):
        for event in document.events:
            evidence = event.evidence
            gold = gold_sources_of(trigger_offset(evidence), article.attributions)
            ours = event.reported_by.text if event.reported_by else None
            resolved = event.reported_by.actor.text if event.reported_by and event.reported_by.actor else None
            if gold is None:
                tally.own_voice += 1
                tally.spurious += ours is not None
                if keep_errors and ours is not None:
                    tally.errors.append(f"{article.name}: own voice, we cited {ours!r}: {evidence.sentence}")
                continue
            if not gold:  # attributed content whose source the annotators did not mark
                continue
            tally.attributed += 1
            tally.found += ours is not None
            matched = any(sources_match(mine, g) for mine in (ours, resolved) if mine for g in gold)
            tally.matched += matched
            if keep_errors and not matched:
                tally.errors.append(f"{article.name}: gold {gold}, we cited {ours!r}: {evidence.sentence}")


@evaluation("polnear")
def evaluate_polnear(options: EvalOptions) -> EvalReport:
    dev = read_split(options.datasets, "dev")
    train = read_split(options.datasets, "train") if options.verbose else []
    if options.limit:
        dev, train = dev[: options.limit], train[: options.limit]
    tallies = {"dev": _Tally(), "train": _Tally()}
    _score(dev, tallies["dev"], keep_errors=False)
    if train:
        _score(train, tallies["train"], keep_errors=True)
    metrics: dict[str, float | int | str] = {"articles": len(dev), **tallies["dev"].metrics("dev_")}
    notes = [
        "an event is attributed when its trigger is inside gold Content; sources match by head word or containment",
        "dev is reported; with --verbose, errors are printed for train only",
    ]
    if train:
        metrics.update(tallies["train"].metrics("train_"))
        notes.extend(tallies["train"].errors)
    return EvalReport("polnear", "polnear/dev", metrics, notes)
