"""Time expressions: finding them in a parsed sentence and resolving them to dates.

News gives dates relative to the day it is published ("a week ago", "on Monday", "earlier this
month", "in January this year"), so an event's date is only as good as two things: the span that
was found, and the rule that turns it into an interval given the publication date. Both live here;
the words they rely on (weekday and month names, "last", "recent", seasons, ...) live in
``data/timex.toml`` so that a user can extend them without touching the logic.

The resolver works on its own rules first: they cover what news prose uses, they are exact about
intervals (dateparser returns one datetime, not "the week before last"), and they run in
microseconds. dateparser is only the fallback for absolute dates written in forms the rules do not
know (numeric dates, odd orders), with STRICT_PARSING so that it never invents a day.

Precision is the size of the interval in which the event happened: ``day`` (one day), ``week``
(up to 8 days), ``month`` (up to 32 days), ``year`` (up to 367 days), ``unknown`` otherwise, and
``unknown`` with no dates when the expression names no moment (durations, "then"). Open intervals
("since last year", "from 2014 to 2017") keep the precision of their anchors. See docs/dates.md.
"""

from __future__ import annotations

import calendar
import datetime as dt
import email.utils
import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING, Any

from tripwire.record import PRECISIONS, DateValue

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

__all__ = [
    "attached_verb",
    "find_time_expressions",
    "head_token",
    "resolve_published",
    "resolve_time",
    "time_kind",
    "verb_tense",
]

_DAY = dt.timedelta(days=1)


# --------------------------------------------------------------------------------------------------
# Vocabulary


@dataclass(frozen=True)
class _Vocab:
    """The contents of data/timex.toml, with the regular expressions built from them once."""

    weekdays: dict[str, int]
    months: dict[str, int]
    seasons: dict[str, tuple[int, int]]
    numbers: dict[str, int]
    approximate: dict[str, tuple[int, int]]
    units: dict[str, int]
    relative_days: dict[str, int]
    deictic: dict[str, int]
    parts: dict[str, str]
    recent: dict[str, tuple[str, int]]
    holidays: dict[str, tuple[int, int]]
    time_words: tuple[str, ...]
    zones: tuple[str, ...]
    keep_prepositions: frozenset[str]
    anchor_prepositions: tuple[str, ...]
    frequencies: frozenset[str]
    big_numbers: frozenset[str]
    anaphoric: frozenset[str]
    durations: frozenset[str]
    named_periods: frozenset[str]


def _alternation(words: Any) -> str:
    """A regex alternation, longest first so that "sept" wins over "sep"."""
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(words, key=len, reverse=True))


@lru_cache(maxsize=1)
def _vocab() -> _Vocab:
    raw = tomllib.loads(resources.files("tripwire.data").joinpath("timex.toml").read_text(encoding="utf-8"))
    return _Vocab(
        weekdays=dict(raw["weekdays"]),
        months=dict(raw["months"]),
        seasons={k: (v[0], v[1]) for k, v in raw["seasons"].items()},
        numbers=dict(raw["numbers"]),
        approximate={k: (v[0], v[1]) for k, v in raw["approximate"].items()},
        units=dict(raw["units"]),
        relative_days=dict(raw["relative_days"]),
        deictic=dict(raw["deictic"]),
        parts=dict(raw["parts"]),
        recent={k: (v[0], int(v[1])) for k, v in raw["recent"].items()},
        holidays={k: (v[0], v[1]) for k, v in raw["holidays"].items()},
        time_words=tuple(raw["time_of_day"]["words"]),
        zones=tuple(raw["time_of_day"]["zones"]),
        keep_prepositions=frozenset(raw["prepositions"]["keep"]),
        anchor_prepositions=tuple(raw["prepositions"]["anchor"]),
        frequencies=frozenset(raw["not_times"]["frequencies"]),
        big_numbers=frozenset(raw["not_times"]["numbers"]),
        anaphoric=frozenset(raw["vague"]["anaphoric"]),
        durations=frozenset(raw["vague"]["durations"]),
        named_periods=frozenset(raw.get("named_periods", {}).get("words", [])),
    )


# --------------------------------------------------------------------------------------------------
# Calendar helpers


@dataclass(frozen=True)
class _Interval:
    """A resolved expression. `start` or `end` is None for an open side ("before 2003")."""

    start: dt.date | None
    end: dt.date | None
    precision: str


def _size_precision(start: dt.date, end: dt.date) -> str:
    """The smallest unit that holds the interval: what a user may trust the date to."""
    length = (end - start).days
    if length <= 0:
        return "day"
    if length <= 7:
        return "week"
    if length <= 31:
        return "month"
    if length <= 366:
        return "year"
    return "unknown"


def _iv(start: dt.date, end: dt.date, precision: str | None = None) -> _Interval:
    if end < start:
        start, end = end, start
    return _Interval(start, end, precision or _size_precision(start, end))


def _month_iv(year: int, month: int) -> _Interval:
    last = calendar.monthrange(year, month)[1]
    return _Interval(dt.date(year, month, 1), dt.date(year, month, last), "month")


def _year_iv(year: int) -> _Interval:
    return _Interval(dt.date(year, 1, 1), dt.date(year, 12, 31), "year")


def _week_iv(day: dt.date) -> _Interval:
    """The calendar week (Monday to Sunday, ISO 8601) that holds `day`."""
    monday = day - dt.timedelta(days=day.weekday())
    return _Interval(monday, monday + dt.timedelta(days=6), "week")


def _add_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _shift(day: dt.date, n: float, unit: str) -> dt.date:
    """`day` moved by n units (negative: back). Months and years move on the calendar."""
    if unit == "month":
        return _add_months(day, round(n))
    if unit == "year":
        return _add_months(day, round(n * 12))
    if unit == "decade":
        return _add_months(day, round(n * 120))
    if unit == "hour":
        return day + dt.timedelta(days=round(n / 24))
    return day + dt.timedelta(days=round(n * _vocab().units[unit]))


def _part(iv: _Interval, part: str, unit: str) -> _Interval:
    """The early, middle or late third of a week, month or year ("late last month")."""
    if iv.start is None or iv.end is None:
        return iv
    s = iv.start
    if unit == "month":
        bounds = {"early": (1, 10), "mid": (11, 20), "late": (21, calendar.monthrange(s.year, s.month)[1])}
        a, b = bounds[part]
        return _iv(s.replace(day=a), s.replace(day=b))
    if unit == "year":
        months = {"early": (1, 4), "mid": (5, 8), "late": (9, 12)}[part]
        return _iv(dt.date(s.year, months[0], 1), _month_iv(s.year, months[1]).end or s)
    if unit == "week":
        days = {"early": (0, 1), "mid": (2, 3), "late": (4, 6)}[part]
        return _iv(s + dt.timedelta(days=days[0]), s + dt.timedelta(days=days[1]))
    return iv


def _hull(a: _Interval, b: _Interval) -> _Interval:
    """From the start of one anchor to the end of the other.

    Its precision is its size ("Dec. 6-9" is a week, "March to May" a year), but never coarser
    than year when both ends are known: "from 2014 to 2017" is exact to the year, not "unknown".
    """
    anchors = max(a.precision, b.precision, key=PRECISIONS.index)
    size = _size_precision(a.start, b.end) if a.start and b.end else "unknown"
    size = min(size, "year", key=PRECISIONS.index)
    return _Interval(a.start, b.end, max(anchors, size, key=PRECISIONS.index))


# --------------------------------------------------------------------------------------------------
# Resolution


def _tense(tense: str | None) -> str | None:
    if tense is None:
        return None
    tense = tense.lower()
    return tense if tense in ("past", "future") else None


_NORMALIZE_SUBS = (
    (re.compile(r"[’‘`´]"), "'"),
    (re.compile(r"[–—−]"), "-"),
    (re.compile(r"\b([ap])\.\s?m\b\.?"), r"\1m"),
    (re.compile(r"(?<=[a-z])-|-(?=[a-z])"), " "),
    (re.compile(r"[.,;:!?()\[\]\"“”]"), " "),
    (re.compile(r"'s\b"), ""),
    (re.compile(r"\s+"), " "),
)


def _normalize(text: str) -> str:
    """Lower case, no punctuation that does not matter, hyphens between words as spaces."""
    s = text.lower()
    for pattern, repl in _NORMALIZE_SUBS:
        s = pattern.sub(repl, s)
    return s.strip(" '-")


@dataclass(frozen=True)
class _Patterns:
    """Regular expressions for the resolver, built from the vocabulary once."""

    number: str
    unit: str
    time_of_day: re.Pattern[str]
    anchor_prefix: re.Pattern[str]
    ago: re.Pattern[str]
    window: re.Pattern[str]
    recent: re.Pattern[str]
    earlier_this: re.Pattern[str]
    deictic_unit: re.Pattern[str]
    weekday: re.Pattern[str]
    month_day: re.Pattern[str]
    day_month: re.Pattern[str]
    month_only: re.Pattern[str]
    deictic_month: re.Pattern[str]
    season: re.Pattern[str]
    year: re.Pattern[str]
    decade: re.Pattern[str]
    holiday: re.Pattern[str]
    iso: re.Pattern[str]
    year_range: re.Pattern[str]
    day_range: re.Pattern[str]
    range_words: re.Pattern[str]
    bare_duration: re.Pattern[str]


@lru_cache(maxsize=1)
def _patterns() -> _Patterns:
    v = _vocab()
    num = rf"(?:\d+|{_alternation(list(v.numbers) + list(v.approximate))})(?:\s+(?:{_alternation(v.numbers)}))?"
    unit = rf"(?:{_alternation(v.units)})s?"
    deic = _alternation(v.deictic)
    parts = _alternation(v.parts)
    month = _alternation(v.months)
    weekday = _alternation(v.weekdays)
    season = _alternation(v.seasons)
    rel_year = rf"(?:\d{{4}}|(?:{deic})\s+year)"
    ordinal = r"\d{1,2}(?:st|nd|rd|th)?"
    clock = r"\d{1,2}(?::\d{2})?\s*(?:am|pm)\b|\b\d{1,2}:\d{2}\b|\b\d{1,2}\s+o'?clock\b"
    tod = _alternation(v.time_words)
    zones = _alternation(v.zones)
    return _Patterns(
        number=num,
        unit=unit,
        time_of_day=re.compile(
            rf"(?:\b(?:at|around|about|shortly\s+(?:before|after)|by|until|from)\s+)?(?:{clock})"
            rf"|\b(?:{zones})\b|(?:\b(?:early|late|in\s+the|at|around|during\s+the)\s+)?\b(?:{tod})\b"
        ),
        anchor_prefix=re.compile(rf"^(?:{_alternation(v.anchor_prepositions)}|for|within|as\s+of)\s+"),
        ago=re.compile(
            rf"^(?:about\s+|around\s+|nearly\s+|almost\s+|some\s+|more\s+than\s+|just\s+|only\s+)?"
            rf"(?P<n>{num})\s+(?P<unit>{unit})\s+(?P<dir>ago|before\s+now|from\s+now|hence)$"
        ),
        window=re.compile(
            rf"^(?:the\s+|this\s+)?(?P<w>past|last|previous|recent|coming|next)\s+(?:(?P<n>{num})\s+)?(?P<unit>{unit})$"
        ),
        recent=re.compile(r"^(?:the\s+)?(?:recent|past\s+few|last\s+few)\s+(?P<unit>days|weeks|months|years)$"),
        earlier_this=re.compile(r"^(?P<el>earlier|later)\s+(?:this|in\s+the|this\s+past)\s+(?P<unit>week|month|year)$"),
        deictic_unit=re.compile(
            rf"^(?:(?P<part>{parts})\s+)?(?:(?:the\s+)?(?P<deic>{deic})|the)\s+(?P<unit>week|month|year|weekend|decade)$"
        ),
        weekday=re.compile(rf"^(?:(?P<deic>{deic})\s+)?(?P<wd>{weekday})(?:\s+(?P<rest>.+))?$"),
        month_day=re.compile(
            rf"^(?:(?P<part>{parts})\s+)?(?P<month>{month})\s+(?:the\s+)?(?P<day>{ordinal})(?:\s+(?:of\s+)?(?P<year>{rel_year}))?$"
        ),
        day_month=re.compile(
            rf"^(?:the\s+)?(?P<day>{ordinal})\s+(?:of\s+)?(?P<month>{month})(?:\s+(?:of\s+)?(?P<year>{rel_year}))?$"
        ),
        month_only=re.compile(rf"^(?:(?P<part>{parts})\s+)?(?P<month>{month})(?:\s+(?:of\s+)?(?P<year>{rel_year}))?$"),
        deictic_month=re.compile(rf"^(?P<deic>{deic})\s+(?P<month>{month})$"),
        season=re.compile(
            rf"^(?:(?P<part>{parts})\s+)?(?:(?P<deic>{deic})\s+|the\s+)?(?P<season>{season})(?:\s+(?:of\s+)?(?P<year>{rel_year}))?$"
        ),
        year=re.compile(rf"^(?:(?P<part>{parts})\s+)?(?:the\s+year\s+)?(?P<year>1[0-9]\d\d|2\d\d\d)$"),
        decade=re.compile(rf"^(?:the\s+)?(?:(?P<part>{parts})\s+)?(?:the\s+)?(?P<decade>\d{{3}}0)s$"),
        holiday=re.compile(rf"^(?P<name>{_alternation(v.holidays)})(?:\s+(?:of\s+)?(?P<year>{rel_year}))?$"),
        iso=re.compile(r"^(?P<y>\d{4})-(?P<m>\d{1,2})(?:-(?P<d>\d{1,2}))?(?:t.*)?$"),
        day_range=re.compile(
            rf"^(?:from\s+|between\s+)?(?P<m>{month})\s+(?P<a>\d{{1,2}})\s*-\s*(?P<b>\d{{1,2}})(?:\s+(?P<y>\d{{4}}))?$"
        ),
        year_range=re.compile(r"^(?P<a>\d{4})\s*-\s*(?P<b>\d{4}|\d{2})$"),
        range_words=re.compile(r"^(?:from|between)\s+(?P<a>.+?)\s+(?:to|and|until|till|through|-)\s+(?P<b>.+)$"),
        bare_duration=re.compile(
            rf"^(?:(?:about|around|nearly|almost|some|more\s+than|over|just|only|the\s+last|the\s+next|the\s+first)\s+)?(?:{num}\s+)?{unit}(?:\s+(?:later|earlier|before|after|away|long|running|straight))?$"
        ),
    )


def _count(words: str) -> tuple[float, float] | None:
    """A written count as (smallest, largest): "three" -> (3, 3), "a few" -> (2, 5)."""
    v = _vocab()
    words = words.strip()
    if words.isdigit():
        return float(words), float(words)
    if words in v.approximate:
        lo, hi = v.approximate[words]
        return float(lo), float(hi)
    total = 0
    for word in words.split():
        if word not in v.numbers:
            return None
        total += v.numbers[word]
    return float(total), float(total)


def _unit_name(word: str) -> str:
    return word[:-1] if word.endswith("s") and word[:-1] in _vocab().units else word


def _ago(n: tuple[float, float], unit: str, pub: dt.date, sign: int) -> _Interval:
    """The interval of "a week ago": n units back, widened because "a week" is approximate.

    Days and hours are taken as exact ("three days ago" is a date); longer units get a margin of
    3 days for weeks, 15 for months, half a year for years.
    """
    lo, hi = n
    near = _shift(pub, sign * lo, unit)
    far = _shift(pub, sign * hi, unit)
    margin = {"week": 3, "fortnight": 3, "month": 15, "year": 182, "decade": 1826}.get(unit, 0)
    a, b = sorted((near, far))
    a -= dt.timedelta(days=margin)
    b += dt.timedelta(days=margin)
    return _iv(a, b)


def _weekday_date(wd: int, pub: dt.date, tense: str | None, deic: int | None) -> dt.date:
    """The date a weekday name points to.

    The publication day itself wins for a bare weekday ("Tuesday" in a Tuesday article is today,
    whatever the tense). Otherwise "last Monday" and any past or untensed sentence take the most
    recent one before publication (news reports what happened), and "next Monday" or a future
    sentence the first one after.
    """
    back = (pub.weekday() - wd) % 7
    ahead = (wd - pub.weekday()) % 7
    if deic == -1:
        return pub - dt.timedelta(days=back or 7)
    if deic == 1:
        return pub + dt.timedelta(days=ahead or 7)
    if back == 0:
        return pub
    if tense == "future":
        return pub + dt.timedelta(days=ahead)
    return pub - dt.timedelta(days=back)


def _year_of(month: int, day: int | None, pub: dt.date, tense: str | None) -> int:
    """The year of a month (and day) written without one.

    Past sentence: the most recent such month or day not after publication. Future sentence: the
    first one not before it. No tense: the publication year.
    """
    here = (pub.month, pub.day if day is not None else 0)
    there = (month, day if day is not None else 0)
    if tense == "past" and there > here:
        return pub.year - 1
    if tense == "future" and there < here:
        return pub.year + 1
    return pub.year


def _explicit_year(text: str | None, pub: dt.date | None) -> int | bool | None:
    """The year written with a month: "2019" -> 2019, "last year" -> publication year - 1.

    None when no year is written; False when it is relative and there is no publication date.
    """
    if not text:
        return None
    if text.isdigit():
        return int(text)
    if pub is None:
        return False
    deic = _vocab().deictic.get(text.split()[0])
    return False if deic is None else pub.year + deic


def _calendar_year(
    written: str | None, month: int, day: int | None, pub: dt.date | None, tense: str | None
) -> int | None:
    """The year of a month or day: the one written, else inferred from publication and tense."""
    year = _explicit_year(written, pub)
    if year is False:
        return None
    if year is None:
        return None if pub is None else _year_of(month, day, pub, tense)
    return int(year)


def _season_iv(season: str, start_year: int) -> _Interval:
    first, last = _vocab().seasons[season]
    end_year = start_year + (1 if last < first else 0)
    return _Interval(dt.date(start_year, first, 1), _month_iv(end_year, last).end or dt.date(end_year, 1, 1), "year")


def _resolve_season(m: re.Match[str], pub: dt.date | None, tense: str | None) -> _Interval | None:
    season = m["season"]
    year = _explicit_year(m["year"], pub)
    if year is False:
        return None
    if isinstance(year, int):
        return _season_iv(season, year)
    if pub is None:
        return None
    candidates = [_season_iv(season, y) for y in range(pub.year - 2, pub.year + 2)]
    current = [c for c in candidates if c.start and c.end and c.start <= pub <= c.end]
    before = [c for c in candidates if c.end and c.end < pub]
    after = [c for c in candidates if c.start and c.start > pub]
    deic = _vocab().deictic.get(m["deic"]) if m["deic"] else None
    if deic == -1:
        return before[-1]
    if deic == 1:
        return after[0]
    if current:
        return current[0]
    if tense == "past":
        return before[-1]
    if tense == "future":
        return after[0]
    # No tense: the season of the publication year, as with month names.
    return next(c for c in candidates if c.start and c.start.year == pub.year)


def _with_part(iv: _Interval | None, part: str | None, unit: str) -> _Interval | None:
    if iv is None or not part:
        return iv
    return _part(iv, _vocab().parts[part], unit)


def _strip_time_of_day(s: str) -> str:
    """Drop the time of day: "monday night" -> "monday"; "3 pm local time on friday" -> "on friday"."""
    stripped = _patterns().time_of_day.sub(" ", s)
    return re.sub(r"\s+", " ", stripped).strip()


def _resolve_point(s: str, pub: dt.date | None, tense: str | None) -> _Interval | None:
    """One anchor with no range or "since": the rules, most specific first."""
    v = _vocab()
    p = _patterns()

    if s in v.anaphoric or s in v.durations:
        return None
    if s in v.relative_days:
        if pub is None:
            return None
        day = pub + dt.timedelta(days=v.relative_days[s])
        return _iv(day, day)

    if m := p.iso.match(s):
        y, mo = int(m["y"]), int(m["m"])
        if m["d"]:
            day = dt.date(y, mo, int(m["d"]))
            return _iv(day, day)
        return _month_iv(y, mo)
    if m := p.year.match(s):
        return _with_part(_year_iv(int(m["year"])), m["part"], "year")
    if m := p.decade.match(s):
        start = int(m["decade"])
        first, last = {"early": (0, 3), "mid": (3, 6), "late": (6, 9)}.get(v.parts.get(m["part"] or ""), (0, 9))
        return _iv(dt.date(start + first, 1, 1), dt.date(start + last, 12, 31))
    if m := p.holiday.match(s):
        month, day = v.holidays[m["name"]]
        y = _calendar_year(m["year"], month, day, pub, tense)
        return None if y is None else _iv(dt.date(y, month, day), dt.date(y, month, day))

    # Relative to publication from here on, except months and seasons written with a year.
    if m := p.month_day.match(s) or p.day_month.match(s):
        month = v.months[m["month"]]
        day = int(re.sub(r"\D", "", m["day"]))
        y = _calendar_year(m["year"], month, day, pub, tense)
        return None if y is None else _iv(dt.date(y, month, day), dt.date(y, month, day))
    if m := p.month_only.match(s):
        month = v.months[m["month"]]
        y = _calendar_year(m["year"], month, None, pub, tense)
        return None if y is None else _with_part(_month_iv(y, month), m["part"], "month")
    if m := p.season.match(s):
        return _with_part(_resolve_season(m, pub, tense), m["part"], "year")

    if pub is None:
        return None

    if m := p.ago.match(s):
        n = _count(m["n"])
        if n is None:
            return None
        sign = -1 if m["dir"] in ("ago", "before now") else 1
        return _ago(n, _unit_name(m["unit"]), pub, sign)
    if m := p.recent.match(s):
        unit, amount = v.recent[m["unit"]]
        return _iv(_shift(pub, -amount, unit), pub)
    if m := p.earlier_this.match(s):
        unit = m["unit"]
        whole = {"week": _week_iv(pub), "month": _month_iv(pub.year, pub.month), "year": _year_iv(pub.year)}
        whole_unit = whole[unit]
        if m["el"] == "earlier":
            return _iv(whole_unit.start or pub, pub, unit)
        return _iv(pub, whole_unit.end or pub, unit)
    if m := p.window.match(s):
        # "the past two weeks", "the last 24 hours": a window that ends (or starts) at publication.
        # "last week" without a count or "the" is a calendar week: handled below.
        bare = m["n"] is None and not s.startswith(("the ", "this ")) and m["w"] not in ("past", "recent")
        unit = _unit_name(m["unit"])
        if not bare and unit in v.units:
            sign = 1 if m["w"] in ("coming", "next") else -1
            plural = m["unit"].endswith("s") and m["unit"] in v.recent
            if plural and (m["n"] is None or m["n"] in v.approximate):
                # "the coming days", "the past few weeks": as vague as "recent weeks".
                recent_unit, amount = v.recent[m["unit"]]
                return _iv(_shift(pub, sign * amount, recent_unit), pub)
            n = _count(m["n"]) if m["n"] else (1.0, 1.0)
            if n is None:
                return None
            other = _shift(pub, sign * n[1], unit)
            if unit == "hour":
                other = pub + dt.timedelta(days=sign * max(1, -(-int(n[1]) // 24)))
                return _iv(other, pub, "day")
            if unit in ("day",):
                other = pub + dt.timedelta(days=sign * (int(n[1]) - 1)) if n[1] >= 1 else pub
            return _iv(other, pub)
    if m := p.deictic_unit.match(s):
        deic = v.deictic[m["deic"]] if m["deic"] else 0
        unit = m["unit"]
        iv: _Interval | None
        if unit == "week":
            iv = _week_iv(pub + dt.timedelta(weeks=deic))
        elif unit == "month":
            first = _add_months(pub.replace(day=1), deic)
            iv = _month_iv(first.year, first.month)
        elif unit == "year":
            iv = _year_iv(pub.year + deic)
        elif unit == "decade":
            start = (pub.year // 10 + deic) * 10
            return _iv(dt.date(start, 1, 1), dt.date(start + 9, 12, 31))
        else:  # weekend
            saturday = _weekday_date(5, pub, tense, None if m["deic"] in (None, "this") else deic)
            if pub.weekday() == 6 and not m["deic"]:
                saturday = pub - _DAY
            return _iv(saturday, saturday + _DAY, "week")
        return _with_part(iv, m["part"], unit)
    if m := p.deictic_month.match(s):
        month = v.months[m["month"]]
        deic = v.deictic[m["deic"]]
        if deic == 0:
            y = _year_of(month, None, pub, tense)
        elif deic < 0:
            y = pub.year if month < pub.month else pub.year - 1
        else:
            y = pub.year if month > pub.month else pub.year + 1
        return _month_iv(y, month)
    if m := p.weekday.match(s):
        if m["rest"]:
            week = p.deictic_unit.match(m["rest"])
            if week and week["unit"] == "week" and not week["part"]:
                # "Monday last week": that weekday in that calendar week.
                monday = _week_iv(pub + dt.timedelta(weeks=v.deictic[week["deic"]] if week["deic"] else 0)).start
                day = (monday or pub) + dt.timedelta(days=v.weekdays[m["wd"]])
                return _iv(day, day)
            # "Sunday, September 27": the date says more than the weekday.
            return _resolve_point(m["rest"], pub, tense)
        deic = v.deictic[m["deic"]] if m["deic"] else None
        day = _weekday_date(v.weekdays[m["wd"]], pub, tense, deic)
        return _iv(day, day)
    return None


_NUMERIC_DATE = re.compile(r"\b\d{1,4}[/.-]\d{1,2}[/.-]\d{2,4}\b")


def _dateparser_absolute(s: str) -> _Interval | None:
    """Absolute dates in forms the rules do not cover ("29/09/2020"), never relative guesses."""
    if not _NUMERIC_DATE.search(s):
        return None
    try:
        import dateparser
    except ImportError:  # pragma: no cover - a declared dependency
        return None
    parsed = dateparser.parse(s, languages=["en"], settings={"STRICT_PARSING": True})
    if parsed is None:
        return None
    day = parsed.date()
    return _iv(day, day)


_AGO_THIS = re.compile(r"\bago\s+(?:this|last|next)\s+(?:week|month|year)$")
_EARLIER_ANCHORS = frozenset({"on", "in", "at", "that", "this", "last", "next", "during"})


def _resolve_norm(s: str, pub: dt.date | None, tense: str | None, depth: int = 0) -> _Interval | None:
    v = _vocab()
    p = _patterns()
    if not s or depth > 4:
        return None
    # "five years ago this week": the anniversary names the past moment, not this week.
    s = _AGO_THIS.sub("ago", s)
    if s in v.anaphoric or s in v.durations:
        return None

    # Ranges: "from 2014 to 2017", "between March and May 2019", "2014-17".
    if m := p.year_range.match(s):
        a, b = int(m["a"]), int(m["b"])
        if b < 100:
            b += a - a % 100
        if b < a:
            return None
        return _hull(_year_iv(a), _year_iv(b))
    if m := p.day_range.match(s):
        # "Dec. 6-9", "between December 6-9 2019": both ends in the written month.
        year = f" {m['y']}" if m["y"] else ""
        s = f"from {m['m']} {m['a']}{year} to {m['m']} {m['b']}{year}"
    if m := p.range_words.match(s):
        left, right = m["a"], m["b"]
        year = re.search(r"\b\d{4}$", right)
        if year and not re.search(r"\b\d{4}\b", left):
            left = f"{left} {year.group()}"
        if right.isdigit() and len(right) <= 2:
            month = re.match(rf"^(?:{_alternation(v.months)})", left)
            if month:
                right = f"{month.group()} {right}"
        a = _resolve_norm(left, pub, tense, depth + 1)
        b = _resolve_norm(right, pub, tense, depth + 1)
        if a is None or b is None or a.start is None or b.end is None or b.end < a.start:
            return None
        return _hull(a, b)

    first, _, rest = s.partition(" ")
    if first in ("from", "between") and (p.year_range.match(rest) or p.day_range.match(rest)):
        return _resolve_norm(rest, pub, tense, depth + 1)  # "from 1948-1982" is the range itself
    if first in ("since", "from") and rest:
        # The event goes on from the anchor to publication (or to an unknown end).
        anchor = _resolve_norm(rest, pub, tense, depth + 1)
        if anchor is None or anchor.start is None:
            return None
        end = pub if pub is not None and pub >= anchor.start else None
        return _Interval(anchor.start, end, anchor.precision)
    if first in ("before", "after") and rest:
        anchor = _resolve_norm(rest, pub, tense, depth + 1)
        if anchor is None or anchor.start is None or anchor.end is None:
            return None
        if first == "before":
            return _Interval(None, anchor.start - _DAY, "unknown")
        return _Interval(anchor.end + _DAY, None, "unknown")
    if first in ("until", "till", "by") and rest:
        return _resolve_norm(rest, pub, tense, depth + 1)
    if first in ("early", "late") and rest and (p.weekday.match(rest) or rest in v.relative_days):
        # "early Monday", "late yesterday": the time of day, not a part of the week.
        return _resolve_norm(rest, pub, tense, depth + 1)
    if first in ("earlier", "later") and not p.earlier_this.match(s):
        if rest in ("today", "tonight"):
            return _resolve_norm(rest, pub, tense, depth + 1)
        # "earlier on Monday", "later that day": the anchor after it, if there is one.
        if rest.split(" ", 1)[0] in _EARLIER_ANCHORS or rest in v.relative_days or p.weekday.match(rest):
            return _resolve_norm(rest, pub, tense, depth + 1)
        return None

    # "in three days" is a date only when the sentence looks ahead; otherwise it is a duration.
    if first == "in" and (m := re.match(rf"^({p.number})\s+({p.unit})$", rest)):
        if tense != "future" or pub is None:
            return None
        n = _count(m.group(1))
        return None if n is None else _ago(n, _unit_name(m.group(2)), pub, 1)

    stripped = p.anchor_prefix.sub("", s)
    while stripped != s:
        s = stripped
        if s in v.anaphoric or s in v.durations:
            return None
        stripped = p.anchor_prefix.sub("", s)

    if p.bare_duration.match(s) and not p.window.match(s):
        return None
    result = _resolve_point(s, pub, tense)
    if result is not None:
        return result
    without_time = _strip_time_of_day(s)
    if without_time != s:
        if not without_time or without_time in ("this", "the", "on", "early", "late"):
            return None
        return _resolve_norm(without_time, pub, tense, depth + 1)
    return _dateparser_absolute(s)


def _is_vague(s: str) -> bool:
    """A duration or a pointer back into the story: never a date, whatever words it contains."""
    v = _vocab()
    p = _patterns()
    while (stripped := p.anchor_prefix.sub("", s)) != s:
        s = stripped
    if s in v.anaphoric or s in v.durations or re.search(r"\b(?:later|earlier|before|after)$", s):
        return True
    return bool(p.bare_duration.match(s) and not p.window.match(s))


_OPERATORS = frozenset({"since", "from", "before", "after", "until", "till", "by"})


def _resolve_with_suffixes(s: str, pub: dt.date | None, tense: str | None) -> _Interval | None:
    """The whole expression, or else its longest tail that resolves.

    spaCy sometimes takes words that are not part of the time into a DATE entity ("Rubio a year
    ago", "in Taizz on Jan 30"), and some expressions are narrower than any rule ("the first week
    of October" lies in "October"): the tail is then the best honest answer. Durations and
    anaphora are never cut down ("the previous year" is not "previous year").
    """
    result = _resolve_norm(s, pub, tense)
    p = _patterns()
    if result is not None or _is_vague(s) or p.range_words.match(s) or p.year_range.match(s):
        return result
    words = s.split()
    # "since the war in 2003" keeps its "since": the tail is cut after it.
    operator = words[0] if words[0] in _OPERATORS else ""
    body = words[1:] if operator else words
    for i in range(1, len(body)):
        tail = " ".join(body[i:])
        if _is_vague(tail):
            continue
        result = _resolve_norm(f"{operator} {tail}".strip(), pub, tense)
        if result is not None:
            return result
    return None


@lru_cache(maxsize=8192)
def _resolve_cached(text: str, pub: dt.date | None, tense: str | None) -> tuple[str | None, str | None, str]:
    result = _resolve_with_suffixes(_normalize(text), pub, tense)
    if result is None:
        return None, None, "unknown"
    start = result.start.isoformat() if result.start else None
    end = result.end.isoformat() if result.end else None
    return start, end, result.precision


def resolve_time(text: str, published: dt.date | None, tense: str | None = None) -> DateValue:
    """Resolve one time expression against the publication date.

    `tense` is the tense of the verb the expression attaches to ("past", "future" or None); it
    decides which Monday "on Monday" is and which November "in November" is. Absolute dates
    resolve without a publication date; relative ones then come back unresolved. Never raises:
    odd input gives precision "unknown" with no dates.
    """
    if not isinstance(text, str):
        return DateValue(None, None, "unknown", None if text is None else str(text))
    pub: dt.date | None = published
    if isinstance(pub, dt.datetime):
        pub = pub.date()
    elif not isinstance(pub, dt.date):
        pub = None
    try:
        start, end, precision = _resolve_cached(text[:200], pub, _tense(tense))
    except Exception:  # the contract is "never raise": a bad date must not lose the event
        return DateValue(None, None, "unknown", text)
    return DateValue(start, end, precision, text)


def time_kind(text: str) -> str:
    """What sort of time expression this is, so a caller can tell a date from a duration.

    "date": it names a moment or interval (resolve_time can place it, given a publication date);
    "duration": a length of time ("for 20 years", "the long term"); "anaphoric": it points back
    into the story ("then", "the next day"); "time": only a time of day ("3 p.m."); "unknown".
    """
    v = _vocab()
    p = _patterns()
    s = _normalize(text) if isinstance(text, str) else ""
    s = re.sub(r"^(?:since|from|until|till|before|after|earlier|later)\s+", "", s)
    while (stripped := p.anchor_prefix.sub("", s)) != s:
        s = stripped
    if not s:
        return "unknown"
    if s in v.anaphoric or re.search(r"\b(?:later|earlier|before|after)$", s):
        return "anaphoric"
    if s in v.durations or (p.bare_duration.match(s) and not p.window.match(s)):
        return "duration"
    if resolve_time(text, dt.date(2000, 6, 15), None).start is not None:
        return "date"
    if not _strip_time_of_day(s):
        return "time"
    return "unknown"


# --------------------------------------------------------------------------------------------------
# Publication dates


_RFC822 = re.compile(r"^(?:[A-Za-z]{3},?\s+)?\d{1,2}\s+[A-Za-z]{3}\s+\d{4}\s+\d")
_PUBLISHED_FORMATS = ("%Y/%m/%d", "%Y%m%d", "%d.%m.%Y", "%Y.%m.%d")


def resolve_published(value: str | dt.date | None) -> dt.date | None:
    """The publication date from the forms feeds and pages use, or None.

    The date is the one written in the string, in the publisher's own time zone: a story stamped
    2020-09-29T01:00+03:00 was published on the 29th for its readers, and its "yesterday" is the
    28th, so no conversion to UTC.
    """
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str):
        return None
    s = value.strip()
    if not s or len(s) > 100:
        return None
    if re.match(r"^\d{4}-\d{2}-\d{2}", s):
        try:
            return dt.datetime.fromisoformat(s.replace(" ", "T", 1) if len(s) > 10 else s).date()
        except ValueError:
            try:
                return dt.date.fromisoformat(s[:10])
            except ValueError:
                return None
    if _RFC822.match(s):
        try:
            return email.utils.parsedate_to_datetime(s).date()
        except (TypeError, ValueError, IndexError):
            pass
    for fmt in _PUBLISHED_FORMATS:
        try:
            return dt.datetime.strptime(s, fmt).date()
        except ValueError:
            continue
    own = resolve_time(_strip_time_of_day(_normalize(s)), None)
    if own.precision == "day" and own.start:
        return dt.date.fromisoformat(own.start)
    try:
        import dateparser

        parsed = dateparser.parse(s, languages=["en"], settings={"STRICT_PARSING": True})
    except Exception:  # dateparser raises assorted errors on junk; publication dates are optional
        return None
    return parsed.date() if parsed else None


# --------------------------------------------------------------------------------------------------
# Finding expressions in a parsed sentence


@dataclass(frozen=True)
class _Finder:
    patterns: tuple[re.Pattern[str], ...]
    age: re.Pattern[str]
    compound_adjective: re.Pattern[str]


@lru_cache(maxsize=1)
def _finder() -> _Finder:
    """Patterns for what spaCy's small model misses, case-sensitive for names, as news writes them."""
    v = _vocab()
    months_cap = "|".join(
        f"{re.escape(m.capitalize())}\\.?" if len(m) <= 4 else re.escape(m.capitalize())
        for m in sorted(v.months, key=len, reverse=True)
    )
    safe_months = "|".join(
        m.capitalize() for m in sorted(v.months, key=len, reverse=True) if len(m) > 4 and m != "march"
    )
    weekdays_cap = "|".join(re.escape(w.capitalize()) for w in sorted(v.weekdays, key=len, reverse=True) if len(w) > 4)
    numbers = _alternation(list(v.numbers) + list(v.approximate))
    deic = _alternation(v.deictic)
    seasons = _alternation(v.seasons)
    year = r"(?:1[5-9]\d\d|20\d\d)"
    month_date = (
        rf"(?:(?:{months_cap})\s+\d{{1,2}}(?:st|nd|rd|th)?\b(?:,?\s+{year})?"
        rf"|\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?(?:{months_cap})(?:,?\s+{year})?"
        rf"|(?:{months_cap}),?\s+(?:of\s+)?{year})"
    )
    atom = rf"(?:{month_date}|(?:{months_cap})|{year}|(?:{weekdays_cap}))"
    i = "(?i:"
    sources = [
        # Ranges first: "from 2014 to 2017", "between March and May".
        rf"\b{i}from|between)\s+{atom}\s+{i}to|and|until|till|through)\s+{atom}(?![\w])",
        rf"\b{year}\s*[-–]\s*(?:{year}|\d\d)\b",
        # Months and days.
        rf"\b{month_date}",
        rf"\b(?:{months_cap})\s+{i}(?:of\s+)?(?:{deic})\s+year)\b",
        rf"\b{i}(?:early|late|mid|in|since|until|till|by|during|from|before|after|last|next|this|of)[\s-]+)(?:{months_cap})(?![\w])",
        rf"\b(?:{safe_months})\b",
        # Weekdays, with a time of day.
        rf"\b(?:{weekdays_cap})\b(?:\s+{i}morning|afternoon|evening|night))?",
        # Days relative to publication.
        rf"\b{i}(?:the\s+day\s+(?:before|after)\s+)?(?:yesterday|today|tomorrow|tonight)(?:\s+(?:morning|afternoon|evening|night))?)\b",
        rf"\b{i}(?:this|last)\s+(?:morning|afternoon|evening|night))\b",
        # Calendar units: "earlier this month", "late last year", "the end of the year", "last week".
        rf"\b{i}(?:(?:earlier|later)\s+(?:this|in\s+the)\s+(?:week|month|year)))\b",
        rf"\b{i}(?:(?:early|late|mid)[\s-]+|(?:the\s+)?(?:end|beginning|start|middle)\s+of\s+)?(?:the\s+)?(?:{deic})\s+(?:week|month|year|weekend|decade|{seasons}))\b",
        rf"\b{i}(?:the\s+)?(?:end|beginning|start|middle)\s+of\s+the\s+(?:week|month|year))\b",
        rf"\b{i}(?:over|during|on|at)\s+the\s+weekend)\b",
        # Windows and counts back: "in recent weeks", "the past two weeks", "a week ago".
        rf"\b{i}(?:(?:in|over|during|within|for)\s+)?(?:the\s+)?(?:recent|past|last|coming|next)\s+(?:(?:few|several|{numbers}|\d+)\s+)?(?:hours|days|weeks|months|years|decades))\b",
        rf"\b{i}(?:{numbers}|\d+)\s+(?:hour|day|week|fortnight|month|year|decade)s?\s+(?:ago|from\s+now))\b",
        # Years after a preposition, seasons, numeric dates.
        rf"\b{i}(?:in|since|by|until|till|during|from|before|after|early|late|mid|of|the\s+year)[\s-]+){year}\b",
        rf"\b{i}(?:in\s+the\s+|{deic}\s+)(?:{seasons}))\b(?:\s+{i}of\s+)?{year})?",
        rf"\b{i}(?:{seasons}))\s+(?:of\s+)?{year}\b",
        r"\b\d{4}-\d{2}-\d{2}\b",
        r"\b\d{1,2}/\d{1,2}/\d{2,4}\b",
        # Times that are not anchors, returned so that the caller sees them as durations.
        rf"\b{i}(?:for|in|over)\s+the\s+(?:long|short|medium)\s+(?:term|run))\b",
    ]
    return _Finder(
        patterns=tuple(re.compile(source) for source in sources),
        age=re.compile(r"(?i)(?:years?|months?|weeks?|days?)[\s-]*olds?\b|\baged?\b|\bages\b"),
        compound_adjective=re.compile(r"(?i)^[\w]+-(?:year|month|week|day|hour|minute|second|term)s?$"),
    )


def _is_not_a_time(span: Span) -> bool:
    """Ages, frequencies, big numbers and compound adjectives that spaCy tags DATE."""
    v = _vocab()
    f = _finder()
    text = span.text
    if f.age.search(text) or f.compound_adjective.match(text.strip()):
        return True
    doc = span.doc
    if span.end < len(doc) and doc[span.end].lower_ in ("old", "-old"):
        return True
    if span.end + 1 < len(doc) and doc[span.end].text == "-" and doc[span.end + 1].lower_ == "old":
        return True
    norm = _normalize(text)
    if norm in v.frequencies:
        return True
    words = norm.split()
    while len(words) > 1 and (words[0] in v.keep_prepositions or words[0] in _DETERMINERS):
        words = words[1:]
    norm = " ".join(words)
    if norm in v.frequencies or norm in v.big_numbers or (words and words[0] in _FREQUENCY_ADJECTIVES):
        # "daily", "weekly hours", "the annual parade": how often, not when.
        return True
    if all(re.fullmatch(r"\d{1,3}s?", w) or w in v.numbers for w in words):
        # Ages ("Smith, 45,"), counts ("six") that spaCy tags DATE; a year has four digits.
        return True
    return not re.search(r"[a-z0-9]", norm)


_DETERMINERS = frozenset({"the", "this", "that", "these", "those", "a", "an", "every", "each", "per"})
_FREQUENCY_ADJECTIVES = frozenset(
    {"hourly", "daily", "weekly", "monthly", "yearly", "annual", "annually", "quarterly", "nightly", "biannual"}
)


@lru_cache(maxsize=1)
def _time_words() -> frozenset[str]:
    """Every word the vocabulary knows, lower case: a capitalized word outside it is a name."""
    v = _vocab()
    words: set[str] = set()
    tables: list[Any] = [
        v.weekdays,
        v.months,
        v.seasons,
        v.numbers,
        v.approximate,
        v.units,
        v.relative_days,
        v.deictic,
        v.parts,
        v.recent,
        v.holidays,
        v.time_words,
        v.zones,
        v.keep_prepositions,
        v.anchor_prepositions,
        v.anaphoric,
        v.durations,
        v.frequencies,
    ]
    for table in tables:
        for key in table:
            words.update(key.split())
    words.update(w + "s" for w in list(words))
    words.update(v.named_periods)
    words.update({"ago", "the", "and", "to", "a", "an", "recent", "new", "year", "eve", "day", "this"})
    return frozenset(words)


def _trim_names(span: Span) -> Span | None:
    """Cut a DATE entity after the last name spaCy swept into it ("Taizz on Jan 30" -> "on Jan 30").

    A capitalized word that the time vocabulary does not know ("HTS", "Taizz", "Dimas") is not part
    of a time; what follows it may be. None when nothing is left.
    """
    known = _time_words()
    cut = span.start
    for token in span:
        text = token.text
        if text[:1].isupper() and token.is_alpha and text.lower().rstrip(".") not in known:
            cut = token.i + 1
    if cut == span.start:
        return span
    if cut >= span.end:
        return None
    return span.doc[cut : span.end]


def _extend_left(span: Span, sentence_start: int) -> Span:
    """Take in the words before an expression that change its meaning ("since", "earlier", "on")."""
    keep = _vocab().keep_prepositions
    doc = span.doc
    start = span.start
    for _ in range(2):
        if start - 1 < sentence_start:
            break
        prev = doc[start - 1]
        if prev.lower_ not in keep:
            break
        if prev.lower_ == "as" and not (start < len(doc) and doc[start].lower_ == "of"):
            break
        start -= 1
    return doc[start : span.end]


_NAME_LABELS = frozenset({"PERSON", "ORG", "GPE", "LOC", "FAC", "NORP", "PRODUCT", "WORK_OF_ART", "LAW"})


def _entity_ranges(sentence: Span) -> list[tuple[int, int]]:
    """DATE and TIME entities of the sentence, read from its tokens.

    Walking the sentence's own tokens keeps the cost per sentence; `doc.ents` would walk the whole
    article for every sentence.
    """
    ranges: list[tuple[int, int]] = []
    start: int | None = None
    for token in sentence:
        inside = token.ent_type_ in ("DATE", "TIME")
        if start is not None and (not inside or token.ent_iob_ == "B"):
            ranges.append((start, token.i))
            start = None
        if inside and start is None:
            start = token.i
    if start is not None:
        ranges.append((start, sentence.end))
    return ranges


def find_time_expressions(sentence: Span) -> list[Span]:
    """The time expressions in one parsed sentence, in order, as spans of its document.

    spaCy's DATE and TIME entities, widened to the preposition or modifier before them when it
    changes the meaning, plus what the small model misses (weekdays, "in recent weeks", "earlier
    this month", ranges), minus what is not a time (ages, frequencies, "millions").
    """
    doc = sentence.doc
    lo, hi = sentence.start, sentence.end
    candidates = _entity_ranges(sentence)
    text = sentence.text
    offset = sentence.start_char
    for pattern in _finder().patterns:
        for m in pattern.finditer(text):
            span = doc.char_span(offset + m.start(), offset + m.end(), alignment_mode="expand")
            if span is None or span.start < lo or span.end > hi or not len(span):
                continue
            if any(token.ent_type_ in _NAME_LABELS for token in span):
                continue  # "April Ryan", "the August Group": spaCy saw a name, trust it
            candidates.append((span.start, span.end))
    merged = _merge(candidates)
    spans = []
    for start, end in merged:
        span = doc[start:end]
        # Trim punctuation and spaces spaCy or a pattern took at the edges.
        while len(span) and (span[-1].is_punct or span[-1].is_space) and span[-1].text not in (".",):
            span = doc[span.start : span.end - 1]
        while len(span) and (span[0].is_punct or span[0].is_space):
            span = doc[span.start + 1 : span.end]
        if len(span) and span[-1].text == "." and len(span) > 1 and not span[-2].text.endswith("."):
            span = doc[span.start : span.end - 1]
        trimmed = _trim_names(span) if len(span) else None
        if trimmed is None or _is_not_a_time(trimmed):
            continue
        span = trimmed
        spans.append(_extend_left(span, lo))
    joined: list[Span] = []
    for span in spans:
        # "in the early hours" + "of Thursday" is one expression.
        if joined and joined[-1].end == span.start and (span[0].lower_ == "of" or joined[-1][-1].lower_ == "of"):
            joined[-1] = doc[joined[-1].start : span.end]
        else:
            joined.append(span)
    return [doc[s:e] for s, e in _merge([(s.start, s.end) for s in joined])]


def _merge(ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Overlapping token ranges become one: a pattern and an entity for the same words agree."""
    out: list[tuple[int, int]] = []
    for start, end in sorted(set(ranges)):
        if out and start < out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], end))
        else:
            out.append((start, end))
    return out


# --------------------------------------------------------------------------------------------------
# Attaching expressions to the parse


def head_token(span: Span) -> Token:
    """The token through which the expression hangs in the dependency tree ("on" in "on Monday")."""
    return span.root


def attached_verb(span: Span) -> Token:
    """The verb (or the sentence root) that the expression modifies, for attaching it to a trigger."""
    token = span.root.head
    for _ in range(50):
        if token.pos_ in ("VERB", "AUX") or token.head.i == token.i:
            return token
        token = token.head
    return token


_FUTURE_AUX = frozenset({"will", "'ll", "shall", "wo", "gonna"})
_PLANNING_VERBS = frozenset({"go", "plan", "intend", "expect", "schedule", "set", "prepare"})


def verb_tense(token: Token) -> str | None:
    """The tense of the verb an expression attaches to: "past", "future" or None (present, or no telling).

    Future: "will"/"shall" among its auxiliaries, "going to", or an infinitive under a verb of
    planning ("plans to withdraw"). Past: a past-tense form, or a participle with "has"/"had"/"was".
    """
    aux = [child for child in token.children if child.dep_ in ("aux", "auxpass")]
    lowered = {child.lower_ for child in aux}
    if lowered & _FUTURE_AUX:
        return "future"
    if "to" in lowered and token.head.lemma_ in _PLANNING_VERBS:
        return "future"
    if token.tag_ == "VBD":
        return "past"
    if token.tag_ == "VBN" and token.dep_ in ("acomp", "oprd") and token.head.i != token.i:
        # "are concerned": an adjectival participle takes the tense of its copula.
        return verb_tense(token.head)
    if token.tag_ == "VBN":
        # "were killed", "has fled", "killed in the attack" (no auxiliary) report the past;
        # "are concerned" is a present state.
        if not aux or any(child.tag_ == "VBD" or child.lemma_ == "have" for child in aux):
            return "past"
        return None
    if any(child.tag_ == "VBD" for child in aux):
        return "past"
    return None
