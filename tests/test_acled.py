"""The ACLED view: the cases DESIGN.md and issue 3 name must land on the right sub-event type."""

from __future__ import annotations

import pytest

from tripwire.acled import ACLED_TYPES, acled_view, load_acled_map, old_event_type
from tripwire.record import AcledView, Actor

MIL = Actor("the army", sector="MIL")
REB = Actor("rebels", sector="REB")
COP = Actor("police", sector="COP")
CVL = Actor("villagers", sector="CVL")
PROTESTERS = Actor("protesters", sector="OPP")
MILITANTS = Actor("militants", sector="REB")

CASES = [
    # (what, type, mode, source, target, contexts, killed, expected)
    ("suicide bombing", "ASSAULT", "suicide-attack", [MILITANTS], [CVL], [], None,
     ("Explosions/Remote violence", "Suicide bomb")),
    ("roadside IED", "ASSAULT", "explosives", [], [MIL], [], None,
     ("Explosions/Remote violence", "Remote explosive/landmine/IED")),
    ("shelling", "ASSAULT", "heavy-weapons", [MIL], [], [], None,
     ("Explosions/Remote violence", "Shelling/artillery/missile attack")),
    ("airstrike", "ASSAULT", "aerial", [MIL], [REB], ["military"], None,
     ("Explosions/Remote violence", "Air/drone strike")),
    ("drone strike", "ASSAULT", "drone", [], [], [], None, ("Explosions/Remote violence", "Air/drone strike")),
    ("protest dispersed with tear gas", "ASSAULT", "crowd-control", [COP], [PROTESTERS], [], None,
     ("Protests", "Protest with intervention")),
    ("protesters shot dead", "ASSAULT", "crowd-control", [COP], [PROTESTERS], [], 3,
     ("Protests", "Excessive force against protesters")),
    ("peaceful march", "PROTEST", "demo", [PROTESTERS], [], [], None, ("Protests", "Peaceful protest")),
    ("riot", "PROTEST", "riot", [PROTESTERS], [], [], None, ("Riots", "Violent demonstration")),
    ("arrest", "COERCE", "arrest", [COP], [PROTESTERS], [], None, ("Strategic developments", "Arrests")),
    ("group takes over a town", "COERCE", "seize", [MILITANTS], [], ["military"], None,
     ("Battles", "Non-state actor overtakes territory")),
    ("rebels seize a town, no context", "COERCE", "seize", [REB], [], [], None,
     ("Battles", "Non-state actor overtakes territory")),
    ("army retakes a town", "COERCE", "seize", [MIL], [], ["territory"], None,
     ("Battles", "Government regains territory")),
    ("army clashes with rebels", "ASSAULT", "firearms", [MIL], [REB], [], None, ("Battles", "Armed clash")),
    ("gunmen attack villagers", "ASSAULT", "firearms", [MILITANTS], [CVL], [], None,
     ("Violence against civilians", "Attack")),
    ("attack on civilians, mode unknown", "ASSAULT", None, [], [CVL], [], None,
     ("Violence against civilians", "Attack")),
    ("abduction", "ASSAULT", "abduct", [MILITANTS], [CVL], [], None,
     ("Violence against civilians", "Abduction/forced disappearance")),
    ("ceasefire", "RETREAT", "ceasefire", [MIL], [REB], [], None, ("Strategic developments", "Agreement")),
]  # fmt: skip


@pytest.mark.parametrize(("what", "etype", "mode", "source", "target", "contexts", "killed", "expected"), CASES)
def test_acled_cases(what, etype, mode, source, target, contexts, killed, expected) -> None:
    view = acled_view(etype, mode, source, target, contexts, killed=killed)
    assert view == AcledView(*expected), what


def test_verbal_and_unreal_events_have_no_view() -> None:
    assert acled_view("ACCUSE", "disapprove", [], [], []) is None
    assert acled_view("THREATEN", "violence", [REB], [MIL], []) is None
    assert acled_view("ASSAULT", "aerial", [MIL], [REB], [], status="planned") is None
    assert acled_view("ASSAULT", "aerial", [MIL], [REB], [], status="hypothetical") is None


def test_every_rule_names_a_real_sub_event_type() -> None:
    amap = load_acled_map()
    assert sum(len(v) for v in ACLED_TYPES.values()) == 25
    for rule in amap.rules:
        assert rule["sub_event_type"] in ACLED_TYPES[rule["event_type"]]


def test_old_event_type() -> None:
    assert old_event_type(AcledView("Explosions/Remote violence", "Air/drone strike")) == "Remote violence"
    assert old_event_type(AcledView("Battles", "Armed clash")) == "Battle-No change of territory"
    assert old_event_type(AcledView("Strategic developments", "Arrests")) == "Strategic development"
    assert old_event_type(None) is None
