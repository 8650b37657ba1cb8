"""End to end with the real pipeline: what `tripwire ingest` stores is exactly what `tripwire extract` gives."""

from __future__ import annotations

from pathlib import Path

import pytest

try:
    from tripwire.pipeline import Pipeline
    from tripwire.stages.parse import load_spacy  # noqa: F401 - the pipeline needs spaCy and the model
except ImportError as error:  # only a missing module skips; a broken pipeline fails
    pytest.skip(f"pipeline not importable: {error}", allow_module_level=True)

from tripwire.ingest import IngestOptions, ingest
from tripwire.read import read_inputs
from tripwire.record import Article
from tripwire.store import EventFilter, Store, iter_events

EXAMPLES = Path(__file__).resolve().parents[1] / "src" / "tripwire" / "examples"
SAMPLE = Path(__file__).resolve().parents[2] / "shared" / "samples" / "000_7c7713c280c6d38f.txt"


def test_ingest_stores_what_extract_gives(tmp_path: Path) -> None:
    paths = [str(p) for p in sorted(EXAMPLES.glob("*.txt"))] + ([str(SAMPLE)] if SAMPLE.exists() else [])
    assert paths, "no example articles"
    articles = [a for a in read_inputs(paths, published="2020-09-29") if isinstance(a, Article)]
    expected = {}
    for document in Pipeline().process_many(articles):
        for event in document.events:
            expected[event.event_id] = event.to_dict()
    assert expected, "the pipeline found no events in the examples"
    db = tmp_path / "e.duckdb"
    summary = ingest(paths, db, IngestOptions(jobs=1, progress=False, published="2020-09-29"))
    assert summary.stored.articles == len(articles)
    with Store(db, read_only=True) as store:
        stored = {event["event_id"]: event for event in iter_events(store.conn, EventFilter())}
    assert stored == expected
    again = ingest(paths, db, IngestOptions(jobs=1, progress=False, published="2020-09-29"))
    assert again.stored.articles == 0 and again.skipped_known == len(articles)
