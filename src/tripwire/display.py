"""Shows events to a person in a terminal. Article text is untrusted: it is cleaned of control
and escape characters before it reaches the screen, so a crafted article cannot drive the terminal."""

from __future__ import annotations

import re
import shutil
import textwrap
import unicodedata
from typing import Any

from tripwire.record import Actor, Event

# CSI / OSC / other ESC sequences first (so their parameters go too), then any remaining control,
# format (bidi overrides, zero-width) or line-separator character.
ESCAPE_SEQUENCE = re.compile(r"\x1b(\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)?|[@-Z\\-_])|\x9b[0-?]*[ -/]*[@-~]")
WHITESPACE = re.compile(r"\s+")


def safe(text: Any) -> str:
    """Text fit for a terminal, on one line: no escape sequences, control or bidi-format characters."""
    if text is None:
        return ""
    value = ESCAPE_SEQUENCE.sub("", str(text))
    value = "".join(
        ch if ch in "\t\n" or unicodedata.category(ch) not in ("Cc", "Cf", "Zl", "Zp") else " " for ch in value
    )
    return WHITESPACE.sub(" ", value).strip()


def _actors(actors: list[Actor]) -> str:
    parts = []
    for actor in actors:
        codes = "/".join(code for code in (actor.country, actor.sector) if code)
        parts.append(f"{safe(actor.name or actor.text)}" + (f" [{codes}]" if codes else ""))
    return ", ".join(parts) or "-"


def _date(event: Event) -> str:
    date = event.date
    if date.start is None:
        return safe(date.text) or "-"
    span = date.start if date.start == date.end or date.end is None else f"{date.start}..{date.end}"
    return f"{span} ({date.precision})"


def format_event(event: Event, width: int) -> str:
    head = f"{event.type}" + (f"/{event.mode}" if event.mode else "") + f"  {event.status}"
    head += f"  conf {event.confidence:.2f}  intensity {event.intensity:+.1f}"
    if event.evidence.origin != "body":
        head += f"  [from {event.evidence.origin}]"
    lines = [head, f"  who:    {_actors(event.source)}  ->  {_actors(event.target)}", f"  when:   {_date(event)}"]
    if event.location is not None:
        place = event.location
        coords = f" ({place.lat:.3f}, {place.lon:.3f})" if place.lat is not None and place.lon is not None else ""
        lines.append(
            f"  where:  {safe(place.name or place.text)}{', ' + place.country if place.country else ''}{coords}"
        )
    if event.casualties.killed is not None or event.casualties.injured is not None:
        lines.append(f"  toll:   killed {event.casualties.killed or 0}, injured {event.casualties.injured or 0}")
    if event.reported_by is not None:
        anonymous = " (anonymous)" if event.reported_by.anonymous else ""
        lines.append(f"  source: {safe(event.reported_by.text)}{anonymous}")
    if event.acled is not None:
        lines.append(f"  acled:  {event.acled.event_type} / {event.acled.sub_event_type}")
    evidence = safe(event.evidence.sentence)
    marked = evidence.replace(safe(event.evidence.trigger), f"*{safe(event.evidence.trigger)}*", 1)
    lines.extend(textwrap.wrap(f'  "{marked}"', width=width, subsequent_indent="   "))
    return "\n".join(lines)


def format_table(title: str, events: list[Event], warnings: list[str]) -> str:
    width = min(shutil.get_terminal_size((100, 20)).columns, 120)
    header = f"== {safe(title)}: {len(events)} event(s)"
    body = [f"   warning: {safe(w)}" for w in warnings] + [format_event(event, width) for event in events]
    return header + "\n" + "\n\n".join(body) + "\n"
