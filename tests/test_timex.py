"""Time expressions: exact intervals for what news writes, against a known publication date.

The publication date of the sample article (2020-09-29) is a Tuesday; every expected value below is
the interval a careful human coder would give.
"""

from __future__ import annotations

import datetime as dt
import time

import pytest

from tripwire.record import DateValue
from tripwire.timex import (
    attached_verb,
    find_time_expressions,
    head_token,
    resolve_published,
    resolve_time,
    time_kind,
    verb_tense,
)

PUB = dt.date(2020, 9, 29)  # a Tuesday


def found(nlp, text: str) -> list[str]:
    doc = nlp(text)
    return [span.text for sentence in doc.sents for span in find_time_expressions(sentence)]


# --------------------------------------------------------------------------------------------------
# resolve_time: the cases the pipeline relies on

RESOLVE_CASES = [
    # text, tense, start, end, precision
    ("a week ago", None, "2020-09-19", "2020-09-25", "week"),
    ("on Monday", "past", "2020-09-28", "2020-09-28", "day"),
    ("Sunday", "past", "2020-09-27", "2020-09-27", "day"),
    ("on Sunday", None, "2020-09-27", "2020-09-27", "day"),
    ("on Monday", "future", "2020-10-05", "2020-10-05", "day"),
    ("last week", None, "2020-09-21", "2020-09-27", "week"),
    ("earlier this month", None, "2020-09-01", "2020-09-29", "month"),
    ("Earlier this month", "past", "2020-09-01", "2020-09-29", "month"),
    ("this month", None, "2020-09-01", "2020-09-30", "month"),
    ("last month", None, "2020-08-01", "2020-08-31", "month"),
    ("in January this year", None, "2020-01-01", "2020-01-31", "month"),
    ("in January this year", "past", "2020-01-01", "2020-01-31", "month"),
    ("in January", "past", "2020-01-01", "2020-01-31", "month"),
    ("in November", "past", "2019-11-01", "2019-11-30", "month"),
    ("in November", "future", "2020-11-01", "2020-11-30", "month"),
    ("in November", None, "2020-11-01", "2020-11-30", "month"),
    ("last year", None, "2019-01-01", "2019-12-31", "year"),
    ("this year", None, "2020-01-01", "2020-12-31", "year"),
    ("since last year", None, "2019-01-01", "2020-09-29", "year"),
    ("Since last year", "past", "2019-01-01", "2020-09-29", "year"),
    ("December 2019", None, "2019-12-01", "2019-12-31", "month"),
    ("in December 2019", "past", "2019-12-01", "2019-12-31", "month"),
    ("2003", None, "2003-01-01", "2003-12-31", "year"),
    ("September 27", "past", "2020-09-27", "2020-09-27", "day"),
    ("27 September 2020", None, "2020-09-27", "2020-09-27", "day"),
    ("Sept. 27", "past", "2020-09-27", "2020-09-27", "day"),
    ("Sept. 27, 2020", None, "2020-09-27", "2020-09-27", "day"),
    ("yesterday", None, "2020-09-28", "2020-09-28", "day"),
    ("today", None, "2020-09-29", "2020-09-29", "day"),
    ("Tuesday", None, "2020-09-29", "2020-09-29", "day"),
    ("on Tuesday", "past", "2020-09-29", "2020-09-29", "day"),
    ("three days ago", None, "2020-09-26", "2020-09-26", "day"),
    ("two weeks ago", None, "2020-09-12", "2020-09-18", "week"),
    ("in recent weeks", None, "2020-09-01", "2020-09-29", "month"),
    ("In recent weeks", "past", "2020-09-01", "2020-09-29", "month"),
    ("from 2014 to 2017", None, "2014-01-01", "2017-12-31", "year"),
    # beyond the required list
    ("2014-17", None, "2014-01-01", "2017-12-31", "year"),
    ("from 1948-1982", None, "1948-01-01", "1982-12-31", "year"),
    ("on Monday last week", None, "2020-09-21", "2020-09-21", "day"),
    ("between March and May", "past", "2020-03-01", "2020-05-31", "year"),
    ("between March and May 2019", None, "2019-03-01", "2019-05-31", "year"),
    ("between Dec. 6-9", "past", "2019-12-06", "2019-12-09", "week"),
    ("Sept. 20-25, 2019", None, "2019-09-20", "2019-09-25", "week"),
    ("since the war in 2003", None, "2003-01-01", "2020-09-29", "year"),
    ("in Taizz on Jan 30", "past", "2020-01-30", "2020-01-30", "day"),
    ("the first week of October", None, "2020-10-01", "2020-10-31", "month"),
    ("in the early hours of Monday", "past", "2020-09-28", "2020-09-28", "day"),
    ("in the late 1990s", None, "1996-01-01", "1999-12-31", "unknown"),
    ("on Christmas Eve", "past", "2019-12-24", "2019-12-24", "day"),
    ("earlier Tuesday", None, "2020-09-29", "2020-09-29", "day"),
    ("since 2014", None, "2014-01-01", "2020-09-29", "year"),
    ("since January 2018", None, "2018-01-01", "2020-09-29", "month"),
    ("next Tuesday", None, "2020-10-06", "2020-10-06", "day"),
    ("last Sunday", None, "2020-09-27", "2020-09-27", "day"),
    ("Saturday night", "past", "2020-09-26", "2020-09-26", "day"),
    ("early Monday", "past", "2020-09-28", "2020-09-28", "day"),
    ("Earlier on Monday", "past", "2020-09-28", "2020-09-28", "day"),
    ("at 3 p.m. local time on Friday", "past", "2020-09-25", "2020-09-25", "day"),
    ("Sunday, September 27, 2020", None, "2020-09-27", "2020-09-27", "day"),
    ("late last month", None, "2020-08-21", "2020-08-31", "month"),
    ("in mid-March", "past", "2020-03-11", "2020-03-20", "month"),
    ("early 2019", None, "2019-01-01", "2019-04-30", "year"),
    ("the past two weeks", None, "2020-09-15", "2020-09-29", "month"),
    ("the past week", None, "2020-09-22", "2020-09-29", "week"),
    ("in recent days", None, "2020-09-22", "2020-09-29", "week"),
    ("the past 24 hours", None, "2020-09-28", "2020-09-29", "day"),
    ("in the coming days", "future", "2020-09-29", "2020-10-06", "week"),
    ("next week", "future", "2020-10-05", "2020-10-11", "week"),
    ("next month", "future", "2020-10-01", "2020-10-31", "month"),
    ("earlier this year", None, "2020-01-01", "2020-09-29", "year"),
    ("later this week", "future", "2020-09-29", "2020-10-04", "week"),
    ("earlier this week", None, "2020-09-28", "2020-09-29", "week"),
    ("over the weekend", "past", "2020-09-26", "2020-09-27", "week"),
    ("this weekend", "future", "2020-10-03", "2020-10-04", "week"),
    ("last night", None, "2020-09-28", "2020-09-28", "day"),
    ("this morning", None, "2020-09-29", "2020-09-29", "day"),
    ("the day before yesterday", None, "2020-09-27", "2020-09-27", "day"),
    ("tomorrow", "future", "2020-09-30", "2020-09-30", "day"),
    ("a month ago", None, "2020-08-14", "2020-09-13", "month"),
    ("a few days ago", None, "2020-09-24", "2020-09-27", "week"),
    ("January of last year", None, "2019-01-01", "2019-01-31", "month"),
    ("last January", None, "2020-01-01", "2020-01-31", "month"),
    ("this summer", None, "2020-06-01", "2020-08-31", "year"),
    ("last winter", None, "2019-12-01", "2020-02-29", "year"),
    ("in the summer of 2019", None, "2019-06-01", "2019-08-31", "year"),
    ("2020-09-27", None, "2020-09-27", "2020-09-27", "day"),
    ("29/09/2020", None, "2020-09-29", "2020-09-29", "day"),
    ("in three days", "future", "2020-10-02", "2020-10-02", "day"),
    ("for next week", "future", "2020-10-05", "2020-10-11", "week"),
]


@pytest.mark.parametrize(("text", "tense", "start", "end", "precision"), RESOLVE_CASES)
def test_resolve_time(text, tense, start, end, precision):
    assert resolve_time(text, PUB, tense) == DateValue(start, end, precision, text)


@pytest.mark.parametrize(
    "text",
    [
        "for the long term",
        "for 20 years",
        "just weeks",
        "in years",
        "years",
        "then",
        "Since then",
        "the next day",
        "3 p.m.",
        "in three days",  # not a date unless the sentence looks ahead
        "46-year-old",
        "millions",
        "the 27th",
        "February 30",
        "from 2017 to 2014",
        "the previous year",
        "four years later",
        "in the years ahead",
        "",
        "   ",
        "-",
        "x" * 5000,
        "13/13/2020",
    ],
)
def test_unresolvable_is_unknown_and_never_raises(text):
    assert resolve_time(text, PUB, "past") == DateValue(None, None, "unknown", text)


def test_before_and_decade_keep_bounds_with_unknown_precision():
    assert resolve_time("before 2003", PUB) == DateValue(None, "2002-12-31", "unknown", "before 2003")
    assert resolve_time("the 1990s", PUB) == DateValue("1990-01-01", "1999-12-31", "unknown", "the 1990s")


def test_absolute_dates_resolve_without_publication_date():
    assert resolve_time("December 2019", None) == DateValue("2019-12-01", "2019-12-31", "month", "December 2019")
    assert resolve_time("2003", None) == DateValue("2003-01-01", "2003-12-31", "year", "2003")
    assert resolve_time("27 September 2020", None).start == "2020-09-27"
    assert resolve_time("from 2014 to 2017", None).end == "2017-12-31"
    # "since" an absolute date: the start is known, the end (publication) is not.
    assert resolve_time("since 2014", None) == DateValue("2014-01-01", None, "year", "since 2014")


@pytest.mark.parametrize(
    "text",
    ["a week ago", "on Monday", "last week", "earlier this month", "in January", "September 27", "today"],
)
def test_relative_dates_without_publication_date_are_unknown(text):
    assert resolve_time(text, None, "past") == DateValue(None, None, "unknown", text)


def test_odd_arguments_never_raise():
    assert resolve_time(None, PUB).precision == "unknown"  # type: ignore[arg-type]
    assert resolve_time("a week ago", "2020-09-29").precision == "unknown"  # type: ignore[arg-type]
    assert resolve_time("yesterday", dt.datetime(2020, 9, 29, 23, 0)).start == "2020-09-28"
    assert resolve_time("on Monday", PUB, "present") == resolve_time("on Monday", PUB, None)
    assert resolve_time("Sunday", dt.date(1, 1, 1), "past").precision == "unknown"
    assert resolve_time("next year", dt.date(9999, 12, 31)).precision == "unknown"


def test_weekday_on_publication_day_is_that_day_in_any_tense():
    for tense in ("past", "future", None):
        assert resolve_time("Tuesday", PUB, tense).start == "2020-09-29"


def test_time_kind():
    assert time_kind("a week ago") == "date"
    assert time_kind("for 20 years") == "duration"
    assert time_kind("for the long term") == "duration"
    assert time_kind("then") == "anaphoric"
    assert time_kind("3 p.m.") == "time"


def test_resolve_is_fast():
    """The common cases run on rules (and a cache), not on dateparser: well under 1 ms a call."""
    texts = [text for text, *_ in RESOLVE_CASES if "/" not in text]
    start = time.perf_counter()
    calls = 0
    for offset in range(20):  # different publication dates: every call misses the cache
        pub = PUB - dt.timedelta(days=offset)
        for text in texts:
            resolve_time(text, pub, "past")
            calls += 1
    assert (time.perf_counter() - start) / calls < 0.001


# --------------------------------------------------------------------------------------------------
# resolve_published


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2020-09-29", PUB),
        ("2020-09-29T23:10:00+03:00", PUB),  # the publisher's date, not UTC
        ("2020-09-29T01:00:00Z", PUB),
        ("2020-09-29 14:03:00", PUB),
        ("Sep 29, 2020", PUB),
        ("September 29, 2020 10:30 AM", PUB),
        ("29 September 2020", PUB),
        ("Tue, 29 Sep 2020 14:00:00 GMT", PUB),
        ("Tue, 29 Sep 2020 14:00:00 +0000", PUB),
        ("2020/09/29", PUB),
        ("", None),
        ("not a date", None),
        ("2020-13-45", None),
        (None, None),
    ],
)
def test_resolve_published(value, expected):
    assert resolve_published(value) == expected


# --------------------------------------------------------------------------------------------------
# find_time_expressions on news sentences

FIND_CASES = [
    (
        "Secretary of State Mike Pompeo threatened to close the embassy during a phone call a week ago "
        "to President Barham Salih, two Iraqi government sources said.",
        ["a week ago"],
    ),
    (
        "Washington had started to prepare for the withdrawal of diplomatic personnel if such a move was "
        "made on Sunday, the sources and the two Western diplomats said.",
        ["on Sunday"],
    ),
    (
        "Iraqi populist leader Muqtada al-Sadr, who commands a following of millions of Iraqis, issued a "
        "statement last week calling for the groups to avoid an escalation.",
        ["last week"],
    ),
    (
        "Earlier this month, the US military said it would reduce its presence in Iraq to 3,000 troops from 5,200.",
        ["Earlier this month"],
    ),
    (
        "The Pentagon said on Monday it was determined to support Iraq's security for the long term.",
        ["on Monday", "for the long term"],
    ),
    (
        "That risk was hammered home in January this year, when Washington killed Qassem Soleimani.",
        ["in January this year"],
    ),
    ("In recent weeks, rocket attacks near the embassy have escalated.", ["In recent weeks"]),
    (
        "Protesters burn property outside the US Embassy compound in Baghdad, Iraq in December 2019.",
        ["in December 2019"],
    ),
    (
        "The United States is reducing its forces sent to help defeat ISIS fighters in Iraq from 2014 to 2017.",
        ["from 2014 to 2017"],
    ),
    (
        "Since last year, Iraqi public opinion has been fiercely opposed to political groups.",
        ["Since last year"],
    ),
    ("The 46-year-old man was arrested on Saturday night.", ["on Saturday night"]),
    ("The annual parade was cancelled, officials said Wednesday.", ["Wednesday"]),
    ("Millions of people fled in the 1990s.", ["in the 1990s"]),
    ("Rebels seized the town late last month.", ["late last month"]),
    (
        "Fighting has continued since 2014 and intensified between March and May.",
        ["since 2014", "between March and May"],
    ),
    ("The daily curfew, imposed in mid-March, will end on May 5.", ["in mid-March", "on May 5"]),
    ("Over the past two weeks, at least 30 people died.", ["Over the past two weeks"]),
    ("He was killed Sept. 27, 2020 in Kabul.", ["Sept. 27, 2020"]),
    ("The ministry said three days ago that talks had failed.", ["three days ago"]),
    ("Talks are scheduled for next week in Geneva.", ["for next week"]),
    ("Police said 12 people were killed, and a five-year plan was announced.", []),
    ("The governor, 58, signed the weekly rule with six aides.", []),
    (
        "A pro-Hadi vehicle was hit by a rocket fired by Houthi forces in Taizz on Jan 30, sources said.",
        ["on Jan 30"],
    ),
    ("Rockets struck the base in the early hours of Thursday.", ["in the early hours of Thursday"]),
    ("April Ryan asked the president about the strike on Sunday.", ["on Sunday"]),
    ("Fighting eased during Ramadan, but 70+ HTS fighters attacked Dimas.", ["during Ramadan"]),
    ("The August Group said in April that it would leave.", ["in April"]),
    ("Rockets hit Camp Taji on 12 March, Monday last week.", ["on 12 March", "Monday last week"]),
]


@pytest.mark.parametrize(("sentence", "expected"), FIND_CASES)
def test_find_time_expressions(nlp, sentence, expected):
    assert found(nlp, sentence) == expected


def test_found_spans_are_sorted_doc_spans_that_resolve(nlp):
    doc = nlp("On Monday, three children were killed. Rockets hit the base a week ago and again on Sunday.")
    spans = [span for sentence in doc.sents for span in find_time_expressions(sentence)]
    assert [s.text for s in spans] == ["On Monday", "a week ago", "on Sunday"]
    assert [s.start for s in spans] == sorted(s.start for s in spans)
    assert all(span.doc is doc for span in spans)
    dates = [resolve_time(span.text, PUB, verb_tense(attached_verb(span))) for span in spans]
    assert [(d.start, d.precision) for d in dates] == [
        ("2020-09-28", "day"),
        ("2020-09-19", "week"),
        ("2020-09-27", "day"),
    ]


def test_attachment_and_tense(nlp):
    doc = nlp("Troops will arrive next Tuesday, and the Pentagon said on Monday that rockets were fired.")
    spans = [span for sentence in doc.sents for span in find_time_expressions(sentence)]
    assert [s.text for s in spans] == ["next Tuesday", "on Monday"]
    assert head_token(spans[1]).text == "on"
    assert [attached_verb(s).lemma_ for s in spans] == ["arrive", "say"]
    assert [verb_tense(attached_verb(s)) for s in spans] == ["future", "past"]
    present = nlp("Iraqis are concerned about the election in November.")
    concerned = next(token for token in present if token.text == "concerned")
    assert verb_tense(concerned) is None


def test_sample_article_expressions(nlp):
    """Every time expression of the sample article, with its resolution, in order."""
    from pathlib import Path

    sample = Path(__file__).resolve().parents[2] / "shared" / "samples" / "000_7c7713c280c6d38f.txt"
    if not sample.is_file():
        sample = Path("/work/shared/samples/000_7c7713c280c6d38f.txt")
    if not sample.is_file():
        pytest.skip("sample article not available")
    doc = nlp(sample.read_text(encoding="utf-8"))
    got = []
    for sentence in doc.sents:
        for span in find_time_expressions(sentence):
            value = resolve_time(span.text, PUB, verb_tense(attached_verb(span)))
            got.append((span.text, value.start, value.end, value.precision))
    expected_subset = [
        ("a week ago", "2020-09-19", "2020-09-25", "week"),
        ("on Sunday", "2020-09-27", "2020-09-27", "day"),
        ("last week", "2020-09-21", "2020-09-27", "week"),
        ("Earlier this month", "2020-09-01", "2020-09-29", "month"),
        ("on Monday", "2020-09-28", "2020-09-28", "day"),
        ("for the long term", None, None, "unknown"),
        ("in January this year", "2020-01-01", "2020-01-31", "month"),
        ("In recent weeks", "2020-09-01", "2020-09-29", "month"),
        ("On Monday", "2020-09-28", "2020-09-28", "day"),
        ("in December 2019", "2019-12-01", "2019-12-31", "month"),
        ("from 2014 to 2017", "2014-01-01", "2017-12-31", "year"),
        ("Since last year", "2019-01-01", "2020-09-29", "year"),
    ]
    assert [g for g in got if g in expected_subset] == expected_subset
    assert not any("millions" in text for text, *_ in got)
