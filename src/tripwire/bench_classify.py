"""Speed of `tripwire classify`, as ratios to spaCy parsing the same sentences in the same run.

The classifier issue's speed goal is in sentences/s on 2 cores, stated against spaCy's parse of the
same sentences; on shared machines the wall clock moves by a third between identical runs, so this
times the ensemble, the linear model alone and spaCy in one process, in mirrored order (A-B-C-C-B-A),
and reports each rate beside the ratios. The sentences are real news: IndiaPoliceEvents sentences of
at least six words, in a seeded order (the same file docs/classifier.md builds for the command).
"""

from __future__ import annotations

import gc
import random
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

SEED = 13
MIN_WORDS = 6
SPACY_BATCH = 64


@dataclass
class ClassifyBenchResult:
    sentences: int
    words: int
    spacy_seconds: float
    ensemble_seconds: float | None  # None: the encoder's files or ONNX Runtime are not installed
    linear_seconds: float
    ensemble_load_seconds: float | None
    linear_load_seconds: float

    def rate(self, seconds: float | None) -> float | None:
        return self.sentences / seconds if seconds else None

    def rows(self) -> list[tuple[str, str]]:
        def show(value: float | None, fmt: str) -> str:
            return format(value, fmt) if value is not None else "n/a (encoder not installed)"

        spacy = self.rate(self.spacy_seconds) or float("nan")
        ensemble, linear = self.rate(self.ensemble_seconds), self.rate(self.linear_seconds)
        return [
            ("sentences", str(self.sentences)),
            ("words", str(self.words)),
            ("spaCy pipeline: sentences/s", f"{spacy:.0f}"),
            ("classify, ensemble: sentences/s (goal >= 200)", show(ensemble, ".0f")),
            ("classify, linear alone: sentences/s", show(linear, ".0f")),
            ("ensemble / spaCy speed", show(ensemble / spacy if ensemble else None, ".2f")),
            ("linear / spaCy speed", show(linear / spacy if linear else None, ".2f")),
            ("model load, ensemble: s (goal < 3)", show(self.ensemble_load_seconds, ".2f")),
            ("model load, linear: s", f"{self.linear_load_seconds:.2f}"),
        ]


def bench_sentences(datasets: Path, limit: int) -> list[str]:
    """`limit` IndiaPoliceEvents sentences of at least MIN_WORDS words, in a seeded order."""
    from tripwire.classify.data import read_india

    rows = [row for row in read_india(datasets) if len(row[1].split()) >= MIN_WORDS]  # DatasetMissing if absent
    random.Random(SEED).shuffle(rows)
    return [row[1] for row in rows[:limit]]


def _timed(
    label: str, texts: Sequence[str], run_batch: Callable[[Sequence[str]], object], batch: int, progress: bool
) -> float:
    """Seconds to run `run_batch` over `texts` in batches of `batch`, with a progress bar."""
    bar = None
    if progress:
        from tqdm import tqdm

        bar = tqdm(total=len(texts), unit="sentence", desc=label, file=sys.stderr, leave=False)
    gc.collect()
    started = time.perf_counter()
    for start in range(0, len(texts), batch):
        run_batch(texts[start : start + batch])
        if bar is not None:
            bar.update(min(batch, len(texts) - start))
    seconds = time.perf_counter() - started
    if bar is not None:
        bar.close()
    return seconds


def run_classify_bench(datasets: Path, limit: int = 1000, progress: bool = True) -> ClassifyBenchResult:
    from tripwire.classify.model import Classifier, default_model_dir
    from tripwire.commands.classify import BATCH, classify_items
    from tripwire.config import load_settings
    from tripwire.stages.parse import load_spacy

    texts = bench_sentences(datasets, limit)
    folder = default_model_dir()

    def load(encoder: bool) -> tuple[Classifier, float]:
        started = time.perf_counter()
        classifier = Classifier.load(folder, encoder=encoder)
        return classifier, time.perf_counter() - started

    linear, linear_load = load(False)
    ensemble, ensemble_load = load(True)
    if ensemble.encoder is None:
        ensemble = None
    nlp = load_spacy(load_settings().spacy_model)

    def classify_with(classifier: Classifier) -> Callable[[Sequence[str]], object]:
        # What the command does per batch: predictions and output records (the ACLED view included).
        return lambda batch: classify_items(classifier, [(str(i), t, None, None) for i, t in enumerate(batch)])

    def parse(batch: Sequence[str]) -> None:
        for _ in nlp.pipe(batch, batch_size=SPACY_BATCH):
            pass

    for run_batch in [parse, classify_with(linear)] + ([classify_with(ensemble)] if ensemble else []):
        run_batch(texts[:8])  # warm caches and lazy loads before timing

    def pass_of(name: str) -> float | None:
        if name == "spaCy":
            return _timed("spaCy parse", texts, parse, SPACY_BATCH * 4, progress)
        classifier = ensemble if name == "ensemble" else linear
        if classifier is None:
            return None
        return _timed(f"classify ({name})", texts, classify_with(classifier), BATCH, progress)

    # Mirrored order: drift in machine load over the run (another job starting) then weighs on
    # all three alike instead of on whichever ran last.
    order = ["spaCy", "ensemble", "linear"]
    seconds: dict[str, list[float]] = {name: [] for name in order}
    for name in order + order[::-1]:
        measured = pass_of(name)
        if measured is not None:
            seconds[name].append(measured)

    def mean(name: str) -> float | None:
        values = seconds[name]
        return sum(values) / len(values) if values else None

    return ClassifyBenchResult(
        sentences=len(texts),
        words=sum(len(t.split()) for t in texts),
        spacy_seconds=mean("spaCy") or 0.0,
        ensemble_seconds=mean("ensemble"),
        linear_seconds=mean("linear") or 0.0,
        ensemble_load_seconds=ensemble_load if ensemble else None,
        linear_load_seconds=linear_load,
    )
