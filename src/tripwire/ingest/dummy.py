"""A keyword "processor" with the Pipeline's interface, for tests and for timing the store alone.

It is not an event extractor: it marks sentences containing a few keywords, so that the ingest and
store path can be exercised (and killed, and benchmarked) without loading spaCy. Set
`TRIPWIRE_DUMMY_DELAY` (seconds per article) to make a run slow enough to interrupt on purpose.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Iterable, Iterator

from tripwire.document import Document
from tripwire.record import Actor, Article, DateValue, Event, Evidence, Location, Quote, event_id_for

KEYWORDS = {
    "rocket": ("ASSAULT", "explosives"),
    "protest": ("PROTEST", "demo"),
    "threat": ("THREATEN", None),
    "arrest": ("COERCE", "arrest"),
}
_SENTENCE = re.compile(r"[^.!?\n]+[.!?]?")


class KeywordProcessor:
    def __init__(self) -> None:
        self.delay = float(os.environ.get("TRIPWIRE_DUMMY_DELAY", "0") or 0)

    def process_many(self, articles: Iterable[Article]) -> Iterator[Document]:
        for article in articles:
            if self.delay:
                time.sleep(self.delay)
            if "FAIL-EXTRACTION" in article.text:
                raise RuntimeError("this article asked to fail")
            yield self.process(article)

    def process(self, article: Article) -> Document:
        doc = Document(article=article)
        for match in _SENTENCE.finditer(article.text):
            sentence = match.group(0)
            lowered = sentence.lower()
            for word, (type_, mode) in KEYWORDS.items():
                at = lowered.find(word)
                if at < 0:
                    continue
                start = match.start() + at
                doc.events.append(
                    Event(
                        event_id=event_id_for(article.article_id, start, type_, mode),
                        article_id=article.article_id,
                        type=type_,
                        mode=mode,
                        status="occurred",
                        evidence=Evidence(
                            sentence=sentence.strip(), start=match.start(), end=match.end(), trigger=word
                        ),
                        source=[Actor(text="militia", country="IRQ", sector="REB")],
                        target=[Actor(text="embassy", country="USA", sector="GOV")],
                        date=DateValue(
                            start=article.published,
                            end=article.published,
                            precision="day" if article.published else "unknown",
                        ),
                        location=Location(text="Baghdad", name="Baghdad", country="IRQ", lat=33.34, lon=44.40)
                        if "baghdad" in lowered
                        else None,
                        confidence=0.5,
                    )
                )
            if '"' in sentence:
                first = article.text.find('"', match.start())
                doc.quotes.append(Quote(speaker=None, text=sentence.strip(), start=first, end=match.end()))
        return doc
