"""The PLOVER ontology as loaded from the package's data file (or a user's replacement).

Kept in data so that a user can add a type or mode without touching code; everything that needs
to know the valid types, their quad class or their intensity asks this module.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path


@dataclass(frozen=True)
class EventType:
    name: str
    quad: int
    intensity: float
    modes: dict[str, float]


@dataclass(frozen=True)
class Ontology:
    types: dict[str, EventType]
    quads: dict[int, str]
    contexts: tuple[str, ...]
    sectors: tuple[str, ...]

    def intensity(self, event_type: str, mode: str | None = None) -> float:
        spec = self.types[event_type]
        if mode and mode in spec.modes:
            return spec.modes[mode]
        return spec.intensity

    def quad(self, event_type: str) -> int:
        return self.types[event_type].quad

    def is_valid(self, event_type: str, mode: str | None = None) -> bool:
        if event_type not in self.types:
            return False
        return mode is None or mode in self.types[event_type].modes


def _read_toml(path: Path | None) -> dict:
    if path is not None:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    text = resources.files("tripwire.data").joinpath("plover.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)


@lru_cache(maxsize=4)
def load_ontology(path: str | None = None) -> Ontology:
    """Load the ontology; TRIPWIRE_ONTOLOGY names a replacement file."""
    path = path or os.environ.get("TRIPWIRE_ONTOLOGY")
    raw = _read_toml(Path(path) if path else None)
    types = {
        name: EventType(name, int(spec["quad"]), float(spec["intensity"]), dict(spec.get("modes", {})))
        for name, spec in raw["types"].items()
    }
    quads = {int(k): v for k, v in raw["quads"].items()}
    sectors = tuple(raw["sectors"]["primary"] + raw["sectors"]["secondary"] + raw["sectors"]["nonstate_codes"])
    return Ontology(types, quads, tuple(raw["contexts"]["names"]), sectors)
