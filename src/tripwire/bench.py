"""Speed and memory of extraction, as ratios to spaCy parsing the same texts in the same run.

Wall-clock numbers on shared machines are noise; the ratio to a baseline measured in the same
process is what we track (the issue's goal: end-to-end time at most 1.5x spaCy's parse). Texts are
real news: PolNeAR's articles under the public datasets folder.
"""

from __future__ import annotations

import gc
import resource
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from tripwire.evaluation import DatasetMissing


@dataclass
class BenchResult:
    articles: int
    words: int
    spacy_seconds: float
    tripwire_seconds: float
    events: int
    peak_rss_mb: float

    @property
    def ratio(self) -> float:
        return self.tripwire_seconds / self.spacy_seconds if self.spacy_seconds else float("nan")

    def rows(self) -> list[tuple[str, str]]:
        return [
            ("articles", str(self.articles)),
            ("words", str(self.words)),
            ("spaCy parse: articles/s", f"{self.articles / self.spacy_seconds:.1f}"),
            ("tripwire extract: articles/s", f"{self.articles / self.tripwire_seconds:.1f}"),
            ("tripwire extract: words/s", f"{self.words / self.tripwire_seconds:.0f}"),
            ("ratio tripwire / spaCy (goal <= 1.5)", f"{self.ratio:.2f}"),
            ("events found", str(self.events)),
            ("peak RSS, MB (goal < 1024)", f"{self.peak_rss_mb:.0f}"),
        ]


def news_texts(datasets: Path, limit: int) -> list[str]:
    folders = [datasets / "polnear" / "dev" / "text", datasets / "polnear" / "train" / "text"]
    files: list[Path] = []
    for folder in folders:
        if folder.is_dir():
            files.extend(sorted(folder.glob("*.txt")))
    if not files:
        raise DatasetMissing(f"no PolNeAR texts under {datasets / 'polnear'} (set --datasets)")
    return [path.read_text(encoding="utf-8", errors="replace") for path in files[:limit]]


def _peak_rss_mb() -> float:
    # ru_maxrss is in kilobytes on Linux, bytes on macOS.
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def run_bench(datasets: Path, limit: int = 100, progress: bool = True) -> BenchResult:
    from tripwire.pipeline import Pipeline
    from tripwire.read import read_text
    from tripwire.record import Article

    texts = news_texts(datasets, limit)
    pipeline = Pipeline()
    nlp = pipeline.nlp
    list(nlp.pipe(texts[:2]))  # warm both paths before timing
    read = [read_text(text, source=f"bench:{i}") for i, text in enumerate(texts)]
    articles = [a for a in read if isinstance(a, Article)]
    list(pipeline.process_many(articles[:2]))
    words = sum(len(a.text.split()) for a in articles)

    def time_spacy() -> float:
        gc.collect()
        started = time.perf_counter()
        for _ in nlp.pipe([a.text for a in articles], batch_size=pipeline.settings.batch_size):
            pass
        return time.perf_counter() - started

    def time_tripwire(show: bool) -> tuple[float, int]:
        gc.collect()
        started = time.perf_counter()
        events = 0
        iterator = pipeline.process_many(articles)
        if show:
            from tqdm import tqdm

            iterator = tqdm(iterator, total=len(articles), unit="article", desc="extract", file=sys.stderr)
        for document in iterator:
            events += len(document.events)
        return time.perf_counter() - started, events

    # A-B-B-A: the first pass over new texts fills spaCy's string store and caches, so whichever
    # runs first is slower; timing each twice in mirrored order cancels that drift.
    spacy_seconds = time_spacy()
    first, events = time_tripwire(progress)
    second, _ = time_tripwire(False)
    spacy_seconds += time_spacy()
    return BenchResult(len(articles), words, spacy_seconds / 2, (first + second) / 2, events, _peak_rss_mb())
