"""The `{"id", "text", ...}` JSON-lines input that `classify` and `geoparse` read.

One place decides what a usable line is, so both commands report bad lines the same way (file and
line number, and the reason) and go on with the rest.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import IO


@dataclass
class InputLine:
    id: str
    text: str
    fields: dict = field(default_factory=dict)  # the whole JSON object, for optional keys

    def optional_str(self, key: str) -> str | None:
        value = self.fields.get(key)
        return value if isinstance(value, str) and value.strip() else None


class InputUnreadable(OSError):
    pass


@contextmanager
def open_input(path: str) -> Iterator[tuple[IO[str], str]]:
    """The handle and the label to name it by in messages: `-` is standard input."""
    if path == "-":
        yield sys.stdin, "<stdin>"
        return
    try:
        handle = open(path, encoding="utf-8", errors="replace")  # noqa: SIM115 - closed below
    except OSError as error:
        raise InputUnreadable(f"{path}: {error.strerror}") from error
    try:
        yield handle, path
    finally:
        handle.close()


def read_lines(handle: IO[str], label: str, problems: list[str]) -> Iterator[InputLine]:
    """Each usable line; the reason for each unusable one is appended to `problems`."""
    for number, line in enumerate(handle, start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except json.JSONDecodeError as error:
            problems.append(f"{label}:{number}: not JSON ({error.msg})")
            continue
        if not isinstance(item, dict):
            problems.append(f"{label}:{number}: not a JSON object")
            continue
        text = item.get("text")
        if not isinstance(text, str) or not text.strip():
            problems.append(f'{label}:{number}: no "text" string')
            continue
        identifier = item.get("id")
        yield InputLine(str(identifier) if identifier is not None else f"{label}:{number}", text, item)


def run_on_input(path: str, command: str, work: Callable[[IO[str], str, list[str]], int]) -> int:
    """Open `path` (or standard input), hand it to `work` with a list for bad-line reasons, and
    turn an unreadable input into a message naming it and exit status 2."""
    problems: list[str] = []
    try:
        with open_input(path) as (handle, label):
            return work(handle, label, problems)
    except InputUnreadable as error:
        print(f"tripwire {command}: {error}", file=sys.stderr)
        return 2
