"""Main-text extraction from HTML, on the scrapinghub article-extraction benchmark.

181 real news pages (gzipped HTML) with the gold article body of each. The score is the one the
benchmark itself uses: bag-of-tokens precision, recall and F1 of the extracted text against the
gold body, per page, averaged over pages (a page where nothing was extracted scores 0). The text
scored is exactly what `tripwire.read.html.extract_html` returns, so captions kept for event
coding count against precision here.

    tripwire eval article-extraction [--limit N]
"""

from __future__ import annotations

import gzip
import json
import re
import time
from collections import Counter
from dataclasses import replace
from pathlib import Path

from tripwire.evaluation import DatasetMissing, EvalOptions, EvalReport, evaluation
from tripwire.read.html import DEFAULT_OPTIONS, ExtractOptions, extract_html

DATASET = "article_extraction"
_TOKEN = re.compile(r"\w+", re.UNICODE)


def tokens(text: str) -> Counter[str]:
    """Lower-cased word tokens; punctuation and whitespace differences do not count."""
    return Counter(_TOKEN.findall(text.casefold()))


def token_prf(predicted: str, gold: str) -> tuple[float, float, float]:
    """Precision, recall and F1 of the multiset of tokens (empty prediction: all zero)."""
    pred, ref = tokens(predicted), tokens(gold)
    overlap = sum((pred & ref).values())
    if not overlap:
        return 0.0, 0.0, 0.0
    precision = overlap / sum(pred.values())
    recall = overlap / sum(ref.values())
    return precision, recall, 2 * precision * recall / (precision + recall)


def load_pages(root: Path, limit: int | None = None) -> list[tuple[str, bytes, str, str | None]]:
    """(page id, gzipped-html bytes decompressed, gold body, url), in sorted page-id order."""
    truth_path = root / "ground-truth.json"
    if not truth_path.is_file():
        raise DatasetMissing(f"{truth_path} not found (the scrapinghub article-extraction benchmark)")
    truth = json.loads(truth_path.read_text(encoding="utf-8"))
    pages = []
    for page_id in sorted(truth)[:limit]:
        html_path = root / "html" / f"{page_id}.html.gz"
        if not html_path.is_file():
            continue
        html = gzip.decompress(html_path.read_bytes())
        pages.append((page_id, html, truth[page_id].get("articleBody") or "", truth[page_id].get("url")))
    return pages


def score(
    pages: list[tuple[str, bytes, str, str | None]], options: ExtractOptions = DEFAULT_OPTIONS
) -> dict[str, float | int]:
    """Mean token precision, recall and F1 over pages, and extraction speed."""
    totals = [0.0, 0.0, 0.0]
    empty = 0
    if pages:  # the first call imports trafilatura and htmldate: keep that out of the speed
        extract_html(pages[0][1], url=pages[0][3], options=options)
    started = time.perf_counter()
    for _page_id, html, gold, url in pages:
        page = extract_html(html, url=url, options=options)
        if page is None:
            empty += 1
            continue
        for i, value in enumerate(token_prf(page.text, gold)):
            totals[i] += value
    seconds = time.perf_counter() - started
    n = max(len(pages), 1)
    return {
        "pages": len(pages),
        "precision": round(totals[0] / n, 4),
        "recall": round(totals[1] / n, 4),
        "f1": round(totals[2] / n, 4),
        "no_text": empty,
        "pages_per_second": round(len(pages) / seconds, 1) if seconds else 0.0,
    }


# The alternatives measured against the shipped settings (verbose mode reports each).
VARIANTS: dict[str, ExtractOptions] = {
    "no_captions": replace(DEFAULT_OPTIONS, keep_captions=False),
    "trafilatura_defaults": replace(DEFAULT_OPTIONS, favor_precision=False),
    "favor_recall": replace(DEFAULT_OPTIONS, favor_precision=False, favor_recall=True),
    "fast": replace(DEFAULT_OPTIONS, fast=True),
}


@evaluation("article-extraction")
def evaluate(options: EvalOptions) -> EvalReport:
    root = options.datasets / DATASET
    pages = load_pages(root, options.limit)
    metrics: dict[str, float | int | str] = dict(score(pages))
    notes = [
        "bag-of-tokens P/R/F1 per page, averaged (the benchmark's own measure); published: trafilatura 2.0 F1 0.958",
    ]
    details: dict[str, dict[str, float | int]] = {}
    if options.verbose:
        for name, variant in VARIANTS.items():
            details[name] = score(pages, variant)
            notes.append(f"variant {name}: F1 {details[name]['f1']}")
    return EvalReport(name="article-extraction", dataset=DATASET, metrics=metrics, notes=notes, details=details)
