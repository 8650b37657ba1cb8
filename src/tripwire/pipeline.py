"""Wires the stages; does no work of its own.

A stage is a function `Document -> None` registered by name with `@stage`. The pipeline is a list
of names, so a user can replace a stage (a better geocoder, a learned classifier) by registering a
function under the same name, or run a different list, without editing any other stage. The parse
stage is special only in that it runs spaCy over a batch of documents at once, for speed.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING

from tripwire.config import Settings, load_settings
from tripwire.document import Document
from tripwire.record import Article

if TYPE_CHECKING:
    from spacy.language import Language

StageFn = Callable[[Document], None]

STAGES: dict[str, StageFn] = {}

# The modules that register the built-in stages; imported lazily so that `tripwire --help` is fast.
BUILTIN_STAGE_MODULES = (
    "tripwire.stages.segment",
    "tripwire.stages.detect",
    "tripwire.stages.attribution",
    "tripwire.stages.arguments",
    "tripwire.stages.actors",
    "tripwire.stages.classify",
    "tripwire.stages.dates",
    "tripwire.stages.places",
    "tripwire.stages.judge",
    "tripwire.stages.corefer",
    "tripwire.stages.assemble",
)

# Before spaCy runs.
PRE_PARSE = ("segment",)
# After spaCy has parsed the text, in order.
POST_PARSE = (
    "detect",
    "attribution",
    "arguments",
    "actors",
    "classify",
    "dates",
    "places",
    "judge",
    "corefer",
    "assemble",
)


def stage(name: str) -> Callable[[StageFn], StageFn]:
    """Register a stage under `name` (a later registration replaces an earlier one)."""

    def register(fn: StageFn) -> StageFn:
        STAGES[name] = fn
        return fn

    return register


def _load_builtin_stages() -> None:
    for module in BUILTIN_STAGE_MODULES:
        importlib.import_module(module)


class Pipeline:
    """Turns articles into documents with events. Build once, reuse: loading spaCy takes a second."""

    def __init__(
        self,
        settings: Settings | None = None,
        pre_parse: Iterable[str] = PRE_PARSE,
        post_parse: Iterable[str] = POST_PARSE,
    ) -> None:
        _load_builtin_stages()
        self.settings = settings or load_settings()
        self.pre_parse = [self._get(name) for name in pre_parse]
        self.post_parse = [self._get(name) for name in post_parse]
        from tripwire.stages.parse import load_spacy

        self.nlp: Language = load_spacy(self.settings.spacy_model)

    @staticmethod
    def _get(name: str) -> StageFn:
        try:
            return STAGES[name]
        except KeyError:
            raise ValueError(f"no pipeline stage named {name!r}; registered: {sorted(STAGES)}") from None

    def process(self, article: Article) -> Document:
        return next(iter(self.process_many([article])))

    def process_many(self, articles: Iterable[Article]) -> Iterator[Document]:
        """Process articles in batches, yielding each finished document in input order."""
        from tripwire.stages.parse import parse_batch

        batch: list[Document] = []
        for article in articles:
            doc = Document(article=article)
            for fn in self.pre_parse:
                fn(doc)
            batch.append(doc)
            if len(batch) >= self.settings.batch_size:
                yield from self._finish(batch, parse_batch)
                batch = []
        if batch:
            yield from self._finish(batch, parse_batch)

    def _finish(self, batch: list[Document], parse_batch: Callable) -> Iterator[Document]:
        parse_batch(self.nlp, batch)
        for doc in batch:
            for fn in self.post_parse:
                fn(doc)
            yield doc
