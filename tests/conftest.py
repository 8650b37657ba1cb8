"""Shared fixtures: one pipeline per test session (loading spaCy takes a second), and the
location of the public datasets beside the checkout."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
SAMPLE = SHARED / "samples" / "000_7c7713c280c6d38f.txt"
DATASETS = Path(os.environ.get("TRIPWIRE_DATASETS", SHARED / "datasets"))
EXAMPLE = Path(__file__).resolve().parents[1] / "src" / "tripwire" / "examples" / "harbour_town_attack.txt"


def require_shared(path: Path) -> Path:
    """Skip when ../shared is absent on a developer's machine; in CI it must be there."""
    if not path.exists():
        if os.environ.get("CI"):
            pytest.fail(f"{path} is missing in CI: the clean clone must have ../shared beside it")
        pytest.skip(f"{path} not found: clone ../shared beside the repository to run this test")
    return path


@pytest.fixture(scope="session")
def pipeline():
    from tripwire.pipeline import Pipeline

    return Pipeline()


@pytest.fixture(scope="session")
def nlp():
    """The configured spaCy pipeline alone, for tests of the parts that read a parse."""
    from tripwire.config import load_settings
    from tripwire.stages.parse import load_spacy

    return load_spacy(load_settings().spacy_model)


@pytest.fixture(scope="session")
def gazetteer():
    from tripwire.geo import load_gazetteer

    return load_gazetteer()


@pytest.fixture(scope="session")
def extract(pipeline):
    """Run the whole pipeline on a text, as `tripwire extract` would."""
    from tripwire.read import read_text
    from tripwire.record import Article

    def run(text: str, published: str | None = "2020-09-29"):
        article = read_text(text, published=published)
        assert isinstance(article, Article), article
        return pipeline.process(article)

    return run
