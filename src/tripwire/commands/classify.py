"""`tripwire classify IN.jsonl --format jsonl`: the PLOVER type and mode of each text's event.

Each input line is `{"id", "text"}` with optional `"source"` and `"target"` (the actors of
interest: the relation between them is classified, not the sentence's loudest verb). Each output
line is `{"id", "type", "mode", "quad", "acled_event_type", "acled_sub_event_type", "confidence"}`,
type null when the text reports no event. A line that cannot be used is reported on stderr with
its file and line number and skipped; the exit status is non-zero only when nothing could be read.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Iterator, Sequence
from typing import IO, Any

from tripwire.commands.jsonl_input import read_lines, run_on_input

BATCH = 256
# One input line: (id, text, source, target).
Item = tuple[str, str, str | None, str | None]


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("classify", help="PLOVER event type and mode of sentences (learned model)")
    parser.add_argument("input", help='a .jsonl file of {"id", "text"} lines, or - for standard input')
    parser.add_argument("--format", choices=("jsonl",), default="jsonl")
    parser.add_argument("--model", default=None, help="folder of a model from `tripwire train` (default: shipped)")
    parser.add_argument("--probabilities", action="store_true", help="add the type probabilities to each line")
    parser.add_argument("--timing", action="store_true", help="print model load time and sentences/s on stderr")
    parser.add_argument(
        "--linear",
        action="store_true",
        help="the linear model alone, without the fine-tuned encoder (faster, less accurate)",
    )
    parser.set_defaults(run=run)


def read_items(handle: IO[str], label: str, problems: list[str]) -> Iterator[Item]:
    """(id, text, source, target) of each usable line; the reason for each unusable one goes to `problems`."""
    for line in read_lines(handle, label, problems):
        yield line.id, line.text, line.optional_str("source"), line.optional_str("target")


def _actors(text: str | None) -> list:
    """The actor a source/target text names, resolved by the actor knowledge base (sector, country):
    the ACLED view needs the sectors (an army against rebels is a clash, against villagers an attack)."""
    if not text:
        return []
    from tripwire.actors import resolve_actor

    return [resolve_actor(text)]


def _contexts(text: str | None) -> list[str]:
    """PLOVER contexts from the rule lexicon's cue words (the same cues the `detect` stage uses)."""
    if not text:
        return []
    try:
        from tripwire.lexicon import load_lexicon

        cues = load_lexicon().context_cues
    except (ImportError, FileNotFoundError, KeyError):
        return []
    lowered = " " + text.lower() + " "
    return [context for context, words in cues.items() if any(f" {w}" in lowered for w in words)]


def output_record(
    identifier: str,
    prediction: Any,
    with_probabilities: bool = False,
    source: str | None = None,
    target: str | None = None,
    text: str | None = None,
) -> dict[str, Any]:
    """One output line; the ACLED view uses the given source/target resolved to sectors."""
    from tripwire.acled import acled_view
    from tripwire.ontology import load_ontology

    onto = load_ontology()
    view = None
    if prediction.type:
        view = acled_view(prediction.type, prediction.mode, _actors(source), _actors(target), _contexts(text))
    record: dict[str, Any] = {
        "id": identifier,
        "type": prediction.type,
        "mode": prediction.mode,
        "quad": onto.quad(prediction.type) if prediction.type in onto.types else None,
        "acled_event_type": view.event_type if view else None,
        "acled_sub_event_type": view.sub_event_type if view else None,
        "confidence": round(float(prediction.confidence), 4),
    }
    if with_probabilities:
        record["probabilities"] = {k: round(v, 4) for k, v in sorted(prediction.probabilities.items())}
    return record


def classify_items(classifier: Any, items: Sequence[Item], with_probabilities: bool = False) -> list[dict[str, Any]]:
    """The output records of a batch of (id, text, source, target) items: one classifier call, so
    the encoder sees the whole batch (`tripwire bench classify` times exactly this)."""
    predictions = classifier.predict([i[1] for i in items], [i[2] for i in items], [i[3] for i in items])
    return [
        output_record(identifier, prediction, with_probabilities, source, target, text)
        for (identifier, text, source, target), prediction in zip(items, predictions, strict=True)
    ]


def run(args: argparse.Namespace) -> int:
    return run_on_input(
        args.input, "classify", lambda handle, label, problems: _classify(args, handle, label, problems)
    )


def _classify(args: argparse.Namespace, handle: IO[str], label: str, problems: list[str]) -> int:
    from tripwire.classify import load_classifier

    started = time.perf_counter()
    classifier = load_classifier(args.model, False if args.linear else None)
    loaded = time.perf_counter()
    count = 0

    def flush(batch: list[Item]) -> None:
        for record in classify_items(classifier, batch, args.probabilities):
            sys.stdout.write(json.dumps(record) + "\n")

    batch: list[Item] = []
    for item in read_items(handle, label, problems):
        while problems:
            print(f"tripwire classify: {problems.pop(0)}", file=sys.stderr)
        batch.append(item)
        count += 1
        if len(batch) >= BATCH:
            flush(batch)
            batch = []
    if batch:
        flush(batch)
    for problem in problems:
        print(f"tripwire classify: {problem}", file=sys.stderr)
    sys.stdout.flush()
    if args.timing:
        seconds = time.perf_counter() - loaded
        print(
            f"tripwire classify: {'linear + encoder' if classifier.encoder else 'linear'} model loaded in "
            f"{loaded - started:.2f} s; {count} texts in {seconds:.2f} s "
            f"= {count / seconds if seconds else 0:.0f} texts/s",
            file=sys.stderr,
        )
    return 0 if count else 1
