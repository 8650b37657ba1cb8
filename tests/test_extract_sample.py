"""The seed article (../shared/samples): what a careful analyst codes, field by field.

| # | sentence (abridged)                                        | expected                                            | why |
|---|------------------------------------------------------------|-----------------------------------------------------|-----|
| 1 | Pompeo threatened to close the embassy ... a week ago ...  | THREATEN/relations occurred, USA -> IRQ, week of    | the lead event; told by anonymous Iraqi sources |
|   | two Iraqi government sources said                          | 2020-09-22, reported_by anonymous                   |     |
| 2 | On Monday, three children and two women were killed when   | ASSAULT/heavy-weapons occurred, militia (UAF) ->    | rockets = heavy weapons; 3+2 = 5 killed; a named |
|   | two militia rockets hit a family home, the Iraqi military  | civilians, killed 5, 2020-09-28, reported_by the    | institution is not anonymous |
|   | said                                                        | Iraqi military (not anonymous)                      |     |
| 3 | Washington killed ... Soleimani with a drone strike        | ASSAULT/drone occurred, USA -> IRN/MIL, killed 1,   | "in January this year" = January 2020 |
|   |                                                            | January 2020 (month)                                |     |
| 4 | The United States has prepared for the withdrawal ...       | RETREAT/withdraw planned, USA -> IRQ                | prepared = planned, not done |
| 5 | Iran responded with missiles fired at US bases in Iraq     | ASSAULT/heavy-weapons occurred, IRN -> USA/MIL      | the missiles' owner is the subject of "responded" |
| 6 | Protesters burn property outside the US Embassy ... [AP]   | PROTEST/riot, origin caption, December 2019         | a caption describing a real event: kept, marked |
| 7 | the US military said it would reduce its presence           | RETREAT/withdraw planned, USA/MIL, September 2020   | a reported "would" is a reported "will" |
| 8 | US evacuations would only begin if this effort failed       | RETREAT hypothetical                                | a condition, never an occurrence |
| 9 | the diplomat replied: "Strikes"                             | no event                                            | a feared strike is not a strike |
| 10| Please enter your comment!                                  | no event                                            | page debris |
"""

from __future__ import annotations

import pytest

from tests.conftest import SAMPLE, require_shared


@pytest.fixture(scope="module")
def sample(extract):
    text = require_shared(SAMPLE).read_text(encoding="utf-8")
    return extract(text, published="2020-09-29")


def _event(document, trigger: str, contains: str):
    found = [e for e in document.events if e.evidence.trigger == trigger and contains in e.evidence.sentence]
    assert len(found) == 1, f"expected one event on '{trigger}' in '{contains}', got {[e.type for e in found]}"
    return found[0]


def _countries(actors):
    return sorted({a.country for a in actors if a.country})


def test_threat_to_close_embassy(sample):
    event = _event(sample, "threatened", "Pompeo threatened")
    assert (event.type, event.mode, event.status) == ("THREATEN", "relations", "occurred")
    assert _countries(event.source) == ["USA"] and event.source[0].name == "Mike Pompeo"
    assert _countries(event.target) == ["IRQ"]
    assert (event.date.start, event.date.end, event.date.precision) == ("2020-09-19", "2020-09-25", "week")
    assert event.reported_by.text == "two Iraqi government sources"
    assert event.reported_by.anonymous is True
    assert sample.text[event.evidence.start : event.evidence.end] == event.evidence.sentence


def test_rockets_killed_five_civilians(sample):
    event = _event(sample, "killed", "three children and two women")
    assert (event.type, event.mode, event.status) == ("ASSAULT", "heavy-weapons", "occurred")
    assert event.casualties.killed == 5
    assert [a.sector for a in event.source] == ["UAF"]
    assert {a.sector for a in event.target} == {"CVL"}
    assert (event.date.start, event.date.precision, event.date.text) == ("2020-09-28", "day", "On Monday")
    assert event.reported_by.text == "the Iraqi military"
    assert event.reported_by.anonymous is False
    assert event.acled.sub_event_type == "Shelling/artillery/missile attack"
    # The sentence names no place: the article's own place (Baghdad, named most) stands in.
    assert (event.location.name, event.location.country) == ("Baghdad", "IRQ")


def test_soleimani_drone_strike(sample):
    event = _event(sample, "killed", "Soleimani")
    assert (event.type, event.mode, event.status) == ("ASSAULT", "drone", "occurred")
    assert _countries(event.source) == ["USA"]
    assert _countries(event.target) == ["IRN"] and event.target[0].sector == "MIL"
    assert event.casualties.killed == 1
    assert (event.date.start, event.date.end, event.date.precision) == ("2020-01-01", "2020-01-31", "month")
    assert (event.acled.event_type, event.acled.sub_event_type) == ("Explosions/Remote violence", "Air/drone strike")
    assert event.location.name == "Baghdad International Airport" and event.location.country == "IRQ"


def test_prepared_withdrawal_is_planned(sample):
    event = _event(sample, "withdrawal", "has prepared for the withdrawal")
    assert (event.type, event.mode, event.status) == ("RETREAT", "withdraw", "planned")
    assert _countries(event.source) == ["USA"] and _countries(event.target) == ["IRQ"]
    assert event.reported_by.anonymous is True


def test_iran_missiles_at_us_bases(sample):
    event = _event(sample, "fired", "Iran responded")
    assert (event.type, event.mode, event.status) == ("ASSAULT", "heavy-weapons", "occurred")
    assert _countries(event.source) == ["IRN"]
    assert _countries(event.target) == ["USA"] and event.target[0].sector == "MIL"


def test_caption_is_kept_and_marked(sample):
    event = _event(sample, "burn", "Protesters burn")
    assert (event.type, event.mode, event.evidence.origin) == ("PROTEST", "riot", "caption")
    assert (event.date.start, event.date.precision) == ("2019-12-01", "month")


def test_reported_would_is_planned(sample):
    event = _event(sample, "reduce", "US military said")
    assert (event.type, event.status) == ("RETREAT", "planned")
    assert event.source[0].country == "USA" and event.source[0].sector == "MIL"
    assert (event.date.start, event.date.end, event.date.precision) == ("2020-09-01", "2020-09-29", "month")


def test_no_hypothetical_coded_as_occurred(sample):
    conditional = _event(sample, "evacuations", "would only begin if")
    assert conditional.status == "hypothetical"
    feared = [e for e in sample.events if "would quickly be followed" in e.evidence.sentence]
    assert feared and all(e.status == "hypothetical" for e in feared if e.type == "RETREAT")
    assert not [e for e in sample.events if "replied" in e.evidence.sentence]


def test_debris_and_title_give_no_events(sample):
    assert not [e for e in sample.events if "Please enter" in e.evidence.sentence]
    assert all(e.evidence.origin in ("body", "caption") for e in sample.events)


def test_event_ids_are_stable(sample, extract):
    again = extract(require_shared(SAMPLE).read_text(encoding="utf-8"), published="2020-09-29")
    assert [e.event_id for e in again.events] == [e.event_id for e in sample.events]


def test_quotes_have_speakers(sample):
    speakers = {q.speaker for q in sample.quotes}
    assert "Gati Rikabi" in speakers
    assert "The US State Department" in speakers
    assert all(sample.text[q.start : q.end] == q.text for q in sample.quotes)
