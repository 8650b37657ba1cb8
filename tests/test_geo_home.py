"""The outlet's home as evidence (tripwire.geo.home), on sentences written for these tests."""

from __future__ import annotations

import json
from pathlib import Path

from tripwire.geo import GeoContext, PlaceMention, geoparse
from tripwire.geo.home import context_from_home, domain_of, home_of_domain
from tripwire.geo.resolve import context_admin1_keys


def place(nlp, gazetteer, text: str, name: str, context: GeoContext | None = None) -> PlaceMention:
    found = [m for m in geoparse(nlp(text), context=context, gazetteer=gazetteer) if m.text == name]
    assert len(found) == 1, found
    return found[0]


SENTENCE = "The city council of Athens approved the new budget on Tuesday."


def test_athens_is_greece_without_a_home(nlp, gazetteer):
    athens = place(nlp, gazetteer, SENTENCE, "Athens")
    assert (athens.country, athens.feature) == ("GRC", "PPLC")


def test_athens_is_georgia_for_a_georgia_outlet(nlp, gazetteer):
    athens = place(nlp, gazetteer, SENTENCE, "Athens", context_from_home("US-GA"))
    assert (athens.name, athens.country, athens.admin1) == ("Athens", "USA", "Georgia")
    assert athens.resolved


def test_athens_follows_the_home_state(nlp, gazetteer):
    for code, state in (("US-OH", "Ohio"), ("US-TN", "Tennessee"), ("US-TX", "Texas")):
        athens = place(nlp, gazetteer, SENTENCE, "Athens", context_from_home(code))
        assert (athens.country, athens.admin1) == ("USA", state)


def test_home_from_url_country_code_domain(nlp, gazetteer):
    text = "Police closed a road in London after the crash."
    assert place(nlp, gazetteer, text, "London").country == "GBR"
    ontario = place(nlp, gazetteer, text, "London", context_from_home(url="https://www.example-paper.ca/news/1"))
    assert (ontario.country, ontario.admin1) == ("CAN", "Ontario")


def test_a_named_state_beats_the_home(nlp, gazetteer):
    # The article's own qualifier outweighs the outlet's home.
    text = "The family moved to Athens, Ohio, last year."
    athens = place(nlp, gazetteer, text, "Athens", context_from_home("US-GA"))
    assert athens.admin1 == "Ohio"


def test_home_codes_parse():
    assert context_from_home("US-GA") == GeoContext(countries=("USA",), admin1=("US-GA",))
    assert context_from_home("usa") == GeoContext(countries=("USA",))
    # A division under the alpha-3 code is read as ISO 3166-2 writes it, under the alpha-2 one.
    assert context_from_home("USA-GA") == GeoContext(countries=("USA",), admin1=("US-GA",))
    assert context_from_home("GB") == GeoContext(countries=("GBR",))
    assert context_from_home("33.96,-83.38") == GeoContext(home=(33.96, -83.38))
    # Unreadable homes give no context: a wrong home is worse than none.
    for bad in ("", "ZZ", "91,0", "Georgia", "X-1", "US-ZZ"):
        assert context_from_home(bad) == GeoContext()
    # An explicit home wins over the address.
    texas = GeoContext(countries=("USA",), admin1=("US-TX",))
    assert context_from_home("US-TX", "https://www.example.co.uk/a") == texas


def test_domains_to_homes():
    assert domain_of("https://www.Example.co.uk/news?id=1") == "example.co.uk"
    assert home_of_domain("https://www.example.co.uk/news") == "GB"
    assert home_of_domain("example.com.au") == "AU"
    assert home_of_domain("edition.nytimes.com") == "US"
    assert home_of_domain("smh.com.au") == "AU-NSW"
    assert home_of_domain("example.com") is None
    assert home_of_domain("example.tv") is None  # a country code used as a generic name
    assert home_of_domain("reuters.com") is None  # international: no home
    assert home_of_domain("") is None


def test_admin1_keys_from_codes_and_names(gazetteer):
    assert context_admin1_keys(GeoContext(admin1=("US-GA",)), gazetteer) == frozenset({"US.GA"})
    assert context_admin1_keys(GeoContext(countries=("USA",), admin1=("Louisiana",)), gazetteer) == frozenset({"US.LA"})
    assert context_admin1_keys(GeoContext(admin1=("IQ-BG",)), gazetteer) == frozenset({"IQ.07"})


def test_inferred_home_from_the_article(nlp, gazetteer):
    # Two unambiguous Georgia towns make the article's bare "Athens" the Georgia one.
    text = "Crews from Watkinsville and Winterville helped. The fire in Athens was put out by noon."
    athens = place(nlp, gazetteer, text, "Athens")
    assert (athens.country, athens.admin1) == ("USA", "Georgia")


def test_geoparse_command_takes_home_and_url(tmp_path: Path, capsys):
    from tripwire.cli import main

    path = tmp_path / "in.jsonl"
    path.write_text(
        json.dumps({"id": "a", "text": SENTENCE})
        + "\n"
        + json.dumps({"id": "b", "text": SENTENCE, "home": "US-GA"})
        + "\n"
        + json.dumps({"id": "c", "text": "Police closed a road in London.", "url": "http://paper.example.ca/x"})
        + "\n",
        encoding="utf-8",
    )
    assert main(["geoparse", str(path)]) == 0
    rows = {r["id"]: r for r in map(json.loads, capsys.readouterr().out.splitlines())}
    assert rows["a"]["country"] == "GRC"
    assert (rows["b"]["country"], rows["b"]["admin1"]) == ("USA", "Georgia")
    assert rows["c"]["country"] == "CAN"
    assert main(["geoparse", str(path), "--home", "US-OH"]) == 0
    rows = {r["id"]: r for r in map(json.loads, capsys.readouterr().out.splitlines())}
    assert rows["a"]["admin1"] == "Ohio" and rows["b"]["admin1"] == "Georgia"


def test_places_stage_uses_the_article_url(nlp, gazetteer):
    from tripwire.document import Document
    from tripwire.record import Article, article_id_for
    from tripwire.stages.places import places

    text = "Police closed a road in London after the crash."
    doc = Document(article=Article(article_id=article_id_for(text), text=text, url="https://news.example.ca/a"))
    doc.spacy_doc = nlp(text)
    places(doc)
    assert [(p.text, p.country) for p in doc.places] == [("London", "CAN")]


def test_read_home_tells_an_unreadable_code_from_a_readable_one() -> None:
    from tripwire.geo.home import read_home
    from tripwire.geo.mention import GeoContext

    assert read_home("USA-GA") == GeoContext(countries=("USA",), admin1=("US-GA",))
    assert read_home(" iq ") == GeoContext(countries=("IRQ",))
    assert read_home("33.3,44.4") == GeoContext(home=(33.3, 44.4))
    for unreadable in ("Georgia", "US-ZZ", "91,0", "north,east", ""):
        assert read_home(unreadable) is None, unreadable
