"""tripwire's geoparser: place names in a parsed article to coordinates, offline.

`geoparse(spacy_doc)` finds every place mention (recognize.py), resolves each against the gazetteer
by evidence from the whole article (resolve.py) and returns `PlaceMention`s; `event_location` picks
the mention where an event happened (event_location.py). The gazetteer (gazetteer.py) is compiled
from installed packages and our curated data, and cached.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tripwire.geo.gazetteer import Gazetteer, Place, load_gazetteer, precision_of
from tripwire.geo.mention import GeoContext, PlaceMention

if TYPE_CHECKING:
    from spacy.tokens import Doc

    from tripwire.document import Document, EventMention
    from tripwire.record import Location

__all__ = [
    "Gazetteer",
    "GeoContext",
    "Place",
    "PlaceMention",
    "event_location",
    "geoparse",
    "load_gazetteer",
    "precision_of",
]


def geoparse(
    spacy_doc: Doc, *, context: GeoContext | None = None, gazetteer: Gazetteer | None = None
) -> list[PlaceMention]:
    """Every place mention in a parsed text, resolved, in text order."""
    from tripwire.geo.recognize import recognize
    from tripwire.geo.resolve import resolve

    gazetteer = gazetteer or load_gazetteer()
    found = recognize(spacy_doc, gazetteer)
    mentions = resolve(spacy_doc, found, gazetteer, context)
    mentions.sort(key=lambda m: m.start)
    return mentions


def event_location(mention: EventMention, doc: Document) -> Location | None:
    """Where an event happened; see `tripwire.geo.event_location.event_location`."""
    from tripwire.geo.event_location import event_location as _event_location

    return _event_location(mention, doc)
