"""The ACLED-compatible view of a PLOVER event.

ACLED's analysts think in event types tied to who fights whom with what (a drone strike, an
IED, a protest dispersed with tear gas), PLOVER in types and modes with actors on the side. The
mapping between them is kept in `data/acled_map.toml` as ordered rules with the reasoning for
the unclear cases next to them, so that it can be argued and changed without touching code.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from tripwire.record import AcledView, Actor

# ACLED's 2019+ taxonomy: event type -> its sub-event types (the 25 named in DESIGN.md).
ACLED_TYPES: dict[str, tuple[str, ...]] = {
    "Battles": ("Armed clash", "Government regains territory", "Non-state actor overtakes territory"),
    "Explosions/Remote violence": (
        "Chemical weapon",
        "Air/drone strike",
        "Suicide bomb",
        "Shelling/artillery/missile attack",
        "Remote explosive/landmine/IED",
        "Grenade",
    ),
    "Violence against civilians": ("Sexual violence", "Attack", "Abduction/forced disappearance"),
    "Protests": ("Peaceful protest", "Protest with intervention", "Excessive force against protesters"),
    "Riots": ("Violent demonstration", "Mob violence"),
    "Strategic developments": (
        "Agreement",
        "Arrests",
        "Change to group/activity",
        "Disrupted weapons use",
        "Headquarters or base established",
        "Looting/property destruction",
        "Non-violent transfer of territory",
        "Other",
    ),
}


@dataclass(frozen=True)
class AcledMap:
    rules: tuple[dict[str, Any], ...]
    classes: dict[str, frozenset[str]]
    statuses: frozenset[str]
    old_types: dict[str, str]


@lru_cache(maxsize=4)
def load_acled_map(path: str | None = None) -> AcledMap:
    """The mapping rules; TRIPWIRE_ACLED_MAP names a replacement file."""
    path = path or os.environ.get("TRIPWIRE_ACLED_MAP")
    if path:
        raw = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    else:
        raw = tomllib.loads(resources.files("tripwire.data").joinpath("acled_map.toml").read_text(encoding="utf-8"))
    for rule in raw["rule"]:
        subs = ACLED_TYPES.get(rule["event_type"], ())
        if rule["sub_event_type"] not in subs:
            raise ValueError(f"acled map: {rule['sub_event_type']!r} is not a sub-event type of {rule['event_type']!r}")
    classes = {name: frozenset(codes) for name, codes in raw.get("actor_classes", {}).items()}
    return AcledMap(tuple(raw["rule"]), classes, frozenset(raw.get("statuses", ["occurred"])), raw["old_event_types"])


def _side_matches(wanted: Sequence[str], actors: Sequence[Actor], classes: dict[str, frozenset[str]]) -> bool:
    sectors = {a.sector for a in actors if a.sector}
    for item in wanted:
        if item == "none" and not sectors:
            return True
        codes = classes.get(item, frozenset([item]))
        if sectors & codes:
            return True
    return False


def acled_view(
    event_type: str,
    mode: str | None,
    source: list[Actor],
    target: list[Actor],
    contexts: list[str],
    status: str = "occurred",
    *,
    killed: int | None = None,
) -> AcledView | None:
    """ACLED event type and sub-event type of a PLOVER event, or None when ACLED would not code it.

    `killed` (optional) separates a dispersed protest from excessive force against protesters.
    """
    amap = load_acled_map()
    if status not in amap.statuses:
        return None
    for rule in amap.rules:
        if rule["type"] != event_type:
            continue
        if "modes" in rule and (mode or "") not in rule["modes"]:
            continue
        if "contexts" in rule and not set(rule["contexts"]) & set(contexts):
            continue
        if "killed_min" in rule and (killed or 0) < rule["killed_min"]:
            continue
        if "source" in rule and not _side_matches(rule["source"], source, amap.classes):
            continue
        if "target" in rule and not _side_matches(rule["target"], target, amap.classes):
            continue
        return AcledView(rule["event_type"], rule["sub_event_type"])
    return None


def old_event_type(view: AcledView | None) -> str | None:
    """ACLED's 2018 event type for a view (for scoring against the 2018 Middle East notes)."""
    if view is None:
        return None
    table = load_acled_map().old_types
    return table.get(view.sub_event_type) or table.get(view.event_type)
