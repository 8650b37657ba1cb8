"""Printing rows as a table, CSV or JSON lines, safely.

Everything in the store came from the web: a headline can carry ANSI escape sequences that recolor
or rewrite a terminal, or bidirectional overrides that make text read differently from what it is.
Tables are for terminals, so their cells are always cleaned; CSV is cleaned when it goes to a
terminal (a file keeps the data as stored); JSON escapes control characters by itself.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import IO, Any

from tripwire.display import safe

# One cleaner for everything printed to a terminal (tripwire.display).
sanitize = safe


def _plain(value: Any) -> Any:
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return "; ".join(_item(v) for v in value)
    return value


def _item(value: Any) -> str:
    """A list item as text; an actor as its name (or text) with its codes: "Kataib Hezbollah (IRQ REB)"."""
    if value is None:
        return ""
    if isinstance(value, dict):
        label = value.get("name") or value.get("text") or ""
        codes = " ".join(str(value[k]) for k in ("country", "sector") if value.get(k))
        return f"{label} ({codes})" if codes else str(label)
    return str(value)


def json_default(value: Any) -> Any:
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    raise TypeError(f"not JSON serializable: {type(value).__name__}")


def write_jsonl(rows: Iterable[dict[str, Any]], out: IO[str]) -> int:
    n = 0
    for row in rows:
        out.write(json.dumps(row, ensure_ascii=False, default=json_default) + "\n")
        n += 1
    return n


def write_csv(rows: Iterable[dict[str, Any]], out: IO[str], columns: Sequence[str] | None = None) -> int:
    clean = out.isatty() if hasattr(out, "isatty") else False
    writer = None
    n = 0
    for row in rows:
        if writer is None:
            writer = csv.DictWriter(out, fieldnames=list(columns or row.keys()), extrasaction="ignore")
            writer.writeheader()
        writer.writerow({k: sanitize(_plain(v)) if clean else _plain(v) for k, v in row.items()})
        n += 1
    if writer is None and columns:
        csv.DictWriter(out, fieldnames=list(columns)).writeheader()
    return n


def render_table(rows: Sequence[dict[str, Any]], columns: Sequence[str], widths: dict[str, int] | None = None) -> str:
    """A plain-text table; cells are sanitized and cut to their column's width."""
    widths = widths or {}
    cells = [[sanitize(_fmt(row.get(c))) for c in columns] for row in rows]
    sizes = []
    for i, column in enumerate(columns):
        natural = max([len(column), *(len(r[i]) for r in cells)]) if cells else len(column)
        sizes.append(min(natural, widths.get(column, 40)))
    lines = ["  ".join(c.ljust(s) for c, s in zip(columns, sizes, strict=True)).rstrip()]
    lines.append("  ".join("-" * s for s in sizes))
    for row in cells:
        lines.append("  ".join(_cut(c, s).ljust(s) for c, s in zip(row, sizes, strict=True)).rstrip())
    return "\n".join(lines)


def _fmt(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.3f}".rstrip("0").rstrip(".")
    return str(_plain(value))


def _cut(text: str, size: int) -> str:
    return text if len(text) <= size else text[: max(0, size - 1)] + "…"
