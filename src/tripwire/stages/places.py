"""The places stage: every place mention of the article, and where each event happened.

Runs after the actors and dates stages, so each event mention's actor spans are known and
`event_location` can tell the event's place from the actors' home.
"""

from __future__ import annotations

from tripwire.document import Document
from tripwire.geo import GeoContext, geoparse
from tripwire.geo.event_location import event_location
from tripwire.geo.home import context_from_home, read_home
from tripwire.pipeline import stage


def context_for(doc: Document) -> GeoContext:
    """What the article says about itself before its text is read: the outlet's home, as the input
    gave it (`"home"`, `--home`) or from its address (a known outlet or a country-code domain,
    `tripwire.geo.home`), so that a local paper's bare "Athens" is its own Athens."""
    article = doc.article
    if article.home:
        context = read_home(article.home)
        if context is not None:
            return context
        warning = f"home {article.home!r} is not a country, a division or 'lat,lon' (e.g. US, US-GA); ignored"
        if warning not in article.warnings:
            article.warnings.append(warning)
    return context_from_home(url=article.url or article.outlet)


@stage("places")
def places(doc: Document) -> None:
    if doc.spacy_doc is None:
        return
    doc.places = geoparse(doc.spacy_doc, context=context_for(doc))
    for mention in doc.mentions:
        mention.location = event_location(mention, doc)
