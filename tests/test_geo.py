"""The geoparser on sentences written for these tests (tripwire.geo)."""

from __future__ import annotations

import io
import json
import math
import sys
import time
from pathlib import Path

import pytest

from tripwire.document import Document, EventMention
from tripwire.geo import GeoContext, PlaceMention, event_location, geoparse, load_gazetteer
from tripwire.geo.event_location import locate
from tripwire.geo.gazetteer import haversine_km, normalize
from tripwire.record import Article, Location, article_id_for


def parse(nlp, gazetteer, text: str, context: GeoContext | None = None) -> list[PlaceMention]:
    return geoparse(nlp(text), context=context, gazetteer=gazetteer)


def only(mentions: list[PlaceMention], text: str) -> PlaceMention:
    found = [m for m in mentions if m.text == text]
    assert len(found) == 1, f"expected one mention {text!r}, got {[m.text for m in mentions]}"
    return found[0]


def near(mention: PlaceMention, lat: float, lon: float, km: float = 10.0) -> bool:
    return mention.lat is not None and haversine_km(mention.lat, mention.lon, lat, lon) <= km


def test_normalize_ignores_case_accents_dots_and_the():
    assert normalize("The Green Zone") == "green zone"
    assert normalize("Baghdād") == "baghdad"
    assert normalize("U.S.") == "us"
    assert normalize("al-Anbar") == "al anbar"


def test_gazetteer_loads_fast_from_cache(gazetteer):
    load_gazetteer.cache_clear()
    started = time.perf_counter()
    again = load_gazetteer()
    elapsed = time.perf_counter() - started
    assert len(again.rows) == len(gazetteer.rows) > 230_000
    assert elapsed < 5.0  # under 2 s on an idle machine; CI machines are shared


def test_baghdad_airport_is_the_airport_point(nlp, gazetteer):
    mentions = parse(nlp, gazetteer, "Two rockets struck near Baghdad airport late on Tuesday.")
    airport = only(mentions, "Baghdad airport")
    assert airport.name == "Baghdad International Airport"
    assert airport.feature == "AIRP"
    assert airport.country == "IRQ"
    assert airport.precision == "point"
    assert airport.resolved
    assert near(airport, 33.2625, 44.2346, km=1)


def test_green_zone_of_central_baghdad(nlp, gazetteer):
    mentions = parse(nlp, gazetteer, "A rocket landed in the green zone of central Baghdad, police said.")
    zone = next(m for m in mentions if "green zone" in m.text.lower())
    assert zone.name == "Green Zone"
    assert zone.feature == "ZN"
    assert zone.country == "IRQ"
    assert near(zone, 33.305, 44.385, km=1)
    baghdad = only(mentions, "Baghdad")
    assert baghdad.feature == "PPLC" and baghdad.country == "IRQ"


def test_paris_texas_versus_paris(nlp, gazetteer):
    texas = only(parse(nlp, gazetteer, "The storm flooded streets in Paris, Texas, on Sunday."), "Paris")
    assert texas.country == "USA" and texas.admin1 == "Texas"
    assert near(texas, 33.66, -95.56, km=15)
    france = only(parse(nlp, gazetteer, "The summit opened in Paris on Sunday."), "Paris")
    assert france.country == "FRA" and france.feature == "PPLC"
    assert near(france, 48.85, 2.35, km=15)


def test_georgia_resolved_by_the_article(nlp, gazetteer):
    caucasus = parse(nlp, gazetteer, "Protesters marched across Georgia. Police in Tbilisi detained dozens.")
    assert only(caucasus, "Georgia").country == "GEO"
    assert only(caucasus, "Georgia").feature == "PCLI"
    south = parse(nlp, gazetteer, "Protesters marched across Georgia. Police in Atlanta detained dozens.")
    state = only(south, "Georgia")
    assert state.country == "USA" and state.feature == "ADM1" and state.admin1 == "Georgia"


def test_context_hint_decides_a_bare_name(nlp, gazetteer):
    text = "Floods hit Georgia again this week."
    assert only(parse(nlp, gazetteer, text, GeoContext(countries=("USA",))), "Georgia").country == "USA"


def test_turkish_troops_is_adjectival(nlp, gazetteer):
    turkish = only(parse(nlp, gazetteer, "Turkish troops shelled villages near Afrin."), "Turkish")
    assert turkish.kind == "adjectival"
    assert turkish.country == "TUR"
    assert turkish.feature == "PCLI"


def test_iran_backed_is_adjectival_and_not_the_event_place(nlp, gazetteer):
    doc = document(nlp, gazetteer, "Iran-backed militias fired rockets at a base in Anbar province.")
    iran = only(doc.places, "Iran")
    assert iran.kind == "adjectival" and iran.country == "IRN"
    location = event_location(event(doc, "fired", source="Iran-backed militias"), doc)
    assert location is not None and location.name == "Anbar" and location.precision == "province"


def test_washington_said_is_metonymic(nlp, gazetteer):
    washington = only(parse(nlp, gazetteer, "Washington said the sanctions would stay in place."), "Washington")
    assert washington.kind == "metonymic"
    assert washington.country == "USA" and washington.feature == "PPLC"


def test_common_words_that_are_towns_are_not_places(nlp, gazetteer):
    mentions = parse(nlp, gazetteer, "Of the officers, Police Chief Reading said Mobile phones were seized.")
    assert {m.text for m in mentions}.isdisjoint({"Of", "Police", "Mobile"})


def test_ap_state_abbreviation_qualifies_a_city(nlp, gazetteer):
    mentions = parse(nlp, gazetteer, "A woman from Alexandria, La., was charged with arson on Friday.")
    alexandria = only(mentions, "Alexandria")
    assert alexandria.country == "USA" and alexandria.admin1 == "Louisiana"
    assert only(mentions, "La.").name == "Louisiana"


def test_unknown_name_is_not_resolved(nlp, gazetteer):
    mentions = parse(nlp, gazetteer, "They met in Zzyzxqville yesterday.")
    for mention in mentions:
        assert not mention.resolved


def test_regional_adjectives_and_currencies_are_adjectival(nlp, gazetteer):
    mentions = parse(nlp, gazetteer, "The European Commission pledged 40 billion US dollars to the English city.")
    european = only(mentions, "European")
    assert european.kind == "adjectival" and european.name == "Europe"
    assert only(mentions, "US").country == "USA"
    assert only(mentions, "English").admin1 == "England"


def test_alternate_name_of_a_small_town_does_not_take_local_evidence(gazetteer):
    # "Washington" is among the old names of Watervliet, New York: an article about upstate New
    # York must not turn the capital into it.
    from collections import Counter

    from tripwire.geo.recognize import Found
    from tripwire.geo.resolve import _Item, _score

    candidates = gazetteer.lookup_key("washington")
    town = next(p for p in candidates if p.name == "Watervliet")
    item = _Item(Found(0, 1, "toponym", "ner", key="washington"), "Washington", [town])
    evidence = (Counter(), Counter({town.admin1_key: 3}), [(town.lat, town.lon)])
    assert _score(item, [item], evidence, {}) == item.priors


def test_town_before_a_resident_noun_is_a_place(nlp, gazetteer):
    mentions = parse(nlp, gazetteer, "A Rochester man says his home was burglarized while he slept.")
    assert only(mentions, "Rochester").country == "USA"


def test_later_dateline_with_double_dash(nlp, gazetteer):
    mentions = parse(nlp, gazetteer, "Coroner: two cases closed. COLUMBUS -- The county coroner said on Monday.")
    assert any(m.dateline and m.name == "Columbus" for m in mentions)


def test_dateline_state_abbreviation_is_the_state(nlp, gazetteer):
    mentions = parse(nlp, gazetteer, "CAMP MURRAY, Wash. - The Guard trained here on Monday.")
    wash = [m for m in mentions if m.text.startswith("Wash")]
    assert wash and wash[0].name == "Washington" and wash[0].country == "USA"


def test_provinces_without_a_namesake_town(nlp, gazetteer):
    mentions = parse(nlp, gazetteer, "He grew up in Sault Ste. Marie, Ontario, and later moved to Alberta.")
    assert only(mentions, "Ontario").country == "CAN"
    assert only(mentions, "Alberta").feature == "ADM1"


def test_mention_offsets_point_into_the_text(nlp, gazetteer):
    text = "BAGHDAD (Reuters) - Rockets hit the Green Zone and Baghdad airport on Monday."
    for mention in parse(nlp, gazetteer, text):
        assert text[mention.start : mention.end] == mention.text
        assert mention.kind in ("toponym", "adjectival", "metonymic")
        assert 0.0 <= mention.score <= 1.0
        if mention.lat is not None:
            assert math.isfinite(mention.lat) and math.isfinite(mention.lon)
        assert set(json.loads(json.dumps(mention.to_dict()))) >= {"start", "end", "text", "name", "lat", "lon"}


# --- event location --------------------------------------------------------------------------


def document(nlp, gazetteer, text: str) -> Document:
    spacy_doc = nlp(text)
    doc = Document(article=Article(article_id=article_id_for(text), text=text), spacy_doc=spacy_doc)
    doc.places = geoparse(spacy_doc, gazetteer=gazetteer)
    return doc


def event(doc: Document, trigger: str, source: str | None = None) -> EventMention:
    spacy_doc = doc.spacy_doc
    token = next(t for t in spacy_doc if t.text == trigger)
    mention = EventMention(
        sentence=token.sent, trigger=token, trigger_span=spacy_doc[token.i : token.i + 1], type="ASSAULT"
    )
    if source:
        start = doc.text.index(source)
        mention.source_spans = [spacy_doc.char_span(start, start + len(source), alignment_mode="expand")]
    return mention


def test_event_location_is_afrin_not_turkey(nlp, gazetteer):
    doc = document(nlp, gazetteer, "Turkish troops shelled villages near Afrin on Monday, Washington said.")
    location = event_location(event(doc, "shelled", source="Turkish troops"), doc)
    assert isinstance(location, Location)
    assert location.name == "Afrin"
    assert location.country == "SYR"
    assert haversine_km(location.lat, location.lon, 36.51, 36.87) < 5
    assert location.precision in ("city", "province")


def test_event_location_prefers_the_trigger_place_over_the_actor_home(nlp, gazetteer):
    doc = document(nlp, gazetteer, "Iraqi police from Basra arrested five men in Karrada, Baghdad, on Tuesday.")
    location = event_location(event(doc, "arrested", source="Iraqi police from Basra"), doc)
    assert location is not None and location.name == "Karrada" and location.precision == "point"


def test_event_location_falls_back_to_the_dateline(nlp, gazetteer):
    text = "MOSUL, Iraq (Reuters) - Officials met on Monday.\n\nGunmen attacked a checkpoint overnight, killing two."
    doc = document(nlp, gazetteer, text)
    located = locate(event(doc, "attacked"), doc)
    assert located is not None
    assert located.basis == "dateline"
    assert located.location.name == "Mosul"
    assert located.location.precision == "city"
    assert located.score < 0.9  # less sure than a place named in the event's own sentence


def test_event_location_none_without_places(nlp, gazetteer):
    doc = document(nlp, gazetteer, "Gunmen attacked a checkpoint overnight, killing two.")
    assert event_location(event(doc, "attacked"), doc) is None


def test_places_stage_fills_places_and_locations(nlp, gazetteer):
    from tripwire.stages.places import places

    doc = document(nlp, gazetteer, "Rockets hit the green zone in Baghdad on Sunday.")
    doc.places = []
    doc.mentions = [event(doc, "hit")]
    places(doc)
    assert [p.text for p in doc.places][:1] == ["the green zone"]
    assert doc.mentions[0].location is not None and doc.mentions[0].location.name == "Green Zone"


# --- command ---------------------------------------------------------------------------------


def test_geoparse_command_reports_bad_lines_and_goes_on(tmp_path: Path, capsys):
    from tripwire.cli import main

    path = tmp_path / "in.jsonl"
    path.write_text(
        '{"id": "a", "text": "Rockets hit Baghdad airport."}\nnot json\n{"id": "b"}\n'
        '{"id": "c", "text": "He lives in Paris, Texas."}\n',
        encoding="utf-8",
    )
    assert main(["geoparse", str(path), "--format", "jsonl"]) == 0
    out, err = capsys.readouterr()
    lines = [json.loads(line) for line in out.splitlines()]
    assert {"id", "start", "end", "text", "name", "lat", "lon", "geonameid", "country"} <= set(lines[0])
    assert [(r["id"], r["text"]) for r in lines] == [("a", "Baghdad airport"), ("c", "Paris"), ("c", "Texas")]
    assert f"{path}:2" in err and f"{path}:3" in err


def test_geoparse_command_fails_when_nothing_is_readable(monkeypatch, capsys):
    from tripwire.cli import main

    monkeypatch.setattr(sys, "stdin", io.StringIO("garbage\n"))
    assert main(["geoparse", "-"]) != 0
    assert "<stdin>:1" in capsys.readouterr().err


def test_dateline_after_a_byline_and_in_capitals(nlp, gazetteer):
    text = "By Jane Roe. DENVER, April 5 (Reuters) - Officials said the plan would go ahead."
    denver = only(parse(nlp, gazetteer, text), "DENVER")
    assert denver.dateline and (denver.country, denver.admin1) == ("USA", "Colorado")
    text = "Markets were calm. NAIROBI (AP) Officials in the capital met on Friday."
    assert only(parse(nlp, gazetteer, text), "NAIROBI").country == "KEN"


def test_curated_rivers_regions_and_landmarks(nlp, gazetteer):
    mentions = parse(nlp, gazetteer, "Barges moved along the Danube while tourists crowded the Eiffel Tower.")
    danube = next(m for m in mentions if "Danube" in m.text)
    assert danube.feature == "STM" and danube.geonameid is None
    tower = next(m for m in mentions if "Eiffel" in m.text)
    assert tower.country == "FRA" and near(tower, 48.858, 2.294, km=1)


def test_candidates_are_internal(nlp, gazetteer):
    paris = only(parse(nlp, gazetteer, "The summit opened in Paris on Sunday."), "Paris")
    assert len(paris.candidates) > 1  # France's capital and the towns of the same name
    assert "candidates" not in paris.to_dict()


def test_list_of_counties(nlp, gazetteer):
    mentions = parse(nlp, gazetteer, "Residents of Cooke, Grayson and Love counties can apply for the grant.")
    assert [(m.text, m.name, m.admin1) for m in mentions] == [
        ("Cooke", "Cooke County", "Texas"),
        ("Grayson", "Grayson County", "Texas"),
        ("Love", "Love County", "Oklahoma"),
    ]


def test_county_at_the_start_of_an_organisation(nlp, gazetteer):
    mentions = parse(nlp, gazetteer, "She met a volunteer from the Licking County Genealogy Society in Newark, Ohio.")
    county = only(mentions, "Licking County")
    assert (county.country, county.admin1, county.feature) == ("USA", "Ohio", "ADM2")


def test_a_building_named_as_an_organisation_is_a_place(nlp, gazetteer):
    text = "The suspect appeared at Cloverhill District Court in Dublin on Monday."
    court = only(parse(nlp, gazetteer, text), "Cloverhill District Court")
    # Not in the gazetteer: an unresolved guess at the article's town.
    assert court.source == "facility" and not court.resolved
    assert court.country == "IRL" and near(court, 53.35, -6.26, km=20)


def test_lists_of_towns_and_names_the_model_mislabels(nlp, gazetteer):
    text = "The chain sold its stores in Zilina, Nitra, Presov and Kosice last year."
    names = [m.name for m in parse(nlp, gazetteer, text)]
    assert {"Žilina", "Nitra", "Prešov", "Košice"} <= set(names)
    # A company after "of" or "at" stays a company.
    assert parse(nlp, gazetteer, "The chief executive of Toyota said sales rose.") == []


def test_a_county_takes_the_point_of_its_seat(gazetteer):
    from tripwire.geo.gazetteer import _county_seats

    assert _county_seats()[("TX", "lamar")] == "Paris"
    assert _county_seats()[("IN", "saint joseph")] == "South Bend"  # "St. Joseph" normalized
    lamar = next(p for p in gazetteer.lookup("Lamar County") if p.admin1 == "Texas")
    paris = next(p for p in gazetteer.lookup("Paris") if p.admin1 == "Texas" and p.feature == "PPL")
    assert (lamar.lat, lamar.lon) == (paris.lat, paris.lon)
    assert (lamar.feature, lamar.country, lamar.geonameid) == ("ADM2", "USA", None)


def test_a_county_and_its_seat_settle_each_other(nlp, gazetteer):
    mentions = parse(nlp, gazetteer, "The library in Huntsville serves every family in Walker County.")
    town, county = only(mentions, "Huntsville"), only(mentions, "Walker County")
    assert (town.admin1, town.feature) == ("Texas", "PPL")
    assert (county.admin1, county.feature) == ("Texas", "ADM2")
    assert near(county, town.lat, town.lon, km=1) and county.resolved
    mentions = parse(nlp, gazetteer, "Commissioners of Henry County met in Paris, Tenn., on Monday.")
    assert [(m.text, m.admin1) for m in mentions][:2] == [("Henry County", "Tennessee"), ("Paris", "Tennessee")]


@pytest.mark.parametrize(
    ("text", "name", "country"),
    [
        ("A soldier from Warren County was killed in Lebanon on Tuesday, officials said.", "Lebanon", "LBN"),
        ("Protesters marched in Paris on Saturday. Henry County officials met on Monday.", "Paris", "FRA"),
        ("A Floyd County man was arrested in Rome last week.", "Rome", "ITA"),
    ],
)
def test_a_county_does_not_pull_a_famous_name_to_its_seat(nlp, gazetteer, text, name, country):
    assert only(parse(nlp, gazetteer, text), name).country == country


def test_an_independent_city_is_its_own_point(gazetteer):
    richmond_city = next(p for p in gazetteer.lookup("Richmond city") if p.feature == "ADM2")
    town = next(p for p in gazetteer.lookup("Richmond") if p.admin1 == "Virginia" and p.feature in ("PPL", "PPLA"))
    assert near(richmond_city, town.lat, town.lon, km=1)
    county = next(p for p in gazetteer.lookup("Richmond County") if p.admin1 == "Virginia")
    assert near(county, 37.95, -76.73, km=10)  # Warsaw, the seat of Virginia's Richmond County


def test_a_state_name_is_the_state_unless_qualified(gazetteer):
    from tripwire.geo.recognize import Found
    from tripwire.geo.resolve import _candidates

    bare = _candidates(Found(0, 1, "toponym", "ner", key="kansas"), "Kansas", gazetteer)
    assert any(p.feature == "ADM1" and p.admin1 == "Kansas" for p in bare)
    assert not any(p.feature == "PPL" and p.admin1 == "Illinois" for p in bare)  # Kansas, Illinois
    qualified = _candidates(Found(0, 1, "toponym", "ner", key="kansas", qualifier=1), "Kansas", gazetteer)
    assert any(p.feature == "PPL" and p.admin1 == "Illinois" for p in qualified)


def test_ocean_and_country_points_follow_the_geonames_convention(nlp, gazetteer):
    mentions = parse(nlp, gazetteer, "Exports to Canada rose while storms crossed the Atlantic.")
    assert (only(mentions, "Canada").lat, only(mentions, "Canada").lon) == (60.11, -113.64)
    assert (only(mentions, "the Atlantic").lat, only(mentions, "the Atlantic").lon) == (10.0, -25.0)
