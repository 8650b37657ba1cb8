"""Ingest: sources (files, URL lists, feeds, WARC), idempotence, rejects, the CLI, and a real kill/rerun."""

from __future__ import annotations

import gzip
import http.server
import io
import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import pytest

from tripwire.cli import main
from tripwire.ingest import FetchError, FetchOptions, IngestOptions, fetch, ingest
from tripwire.ingest.fetch import resolve_checked
from tripwire.store import Store

DUMMY = "tripwire.ingest.dummy:KeywordProcessor"
PLACES = ["Baghdad", "Basra", "Mosul", "Erbil", "Najaf", "Kirkuk"]


def story(i: int) -> str:
    place = PLACES[i % len(PLACES)]
    return (
        f"Militia fires rockets near {place} base, number {i}\n\n"
        f"Unidentified militants fired {i + 2} rockets at a military base near {place} on Monday, "
        "officials said. "
        f"Police said they would arrest {i % 7 + 1} suspects after the attack. "
        "Residents of the city described the threat as serious and asked the government for more "
        "protection. "
        f"The statement added that the investigation into attack number {i} was continuing."
    )


def opts(**kw) -> IngestOptions:
    base = dict(jobs=1, processor=DUMMY, progress=False, published="2020-09-29")
    base.update(kw)
    return IngestOptions(**base)


def counts(db: Path) -> dict[str, int]:
    with Store(db) as store:
        return store.counts()


@pytest.fixture
def inputs(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(4):
        (folder / f"story{i}.txt").write_text(story(i))
    (folder / "empty.txt").write_text("   \n")
    (folder / "page.html").write_text(
        "<html><head><title>Protest in Basra</title></head><body><article><h1>Protest in Basra</h1>"
        + "".join(f"<p>{s}.</p>" for s in story(40).split(". "))
        + "</article></body></html>"
    )
    lines = [{"id": f"j{i}", "text": story(100 + i)} for i in range(3)]
    lines.append({"id": "dup", "text": story(0)})  # the same text as story0.txt
    lines.append({"id": "boom", "text": story(200) + " FAIL-EXTRACTION"})
    (tmp_path / "more.jsonl").write_text("\n".join(json.dumps(line) for line in lines) + "\n{broken\n")
    return tmp_path


def test_files_folder_and_jsonl_are_stored_once(inputs: Path) -> None:
    db = inputs / "e.duckdb"
    paths = [str(inputs / "in"), str(inputs / "more.jsonl")]
    first = ingest(paths, db, opts(batch_size=3))
    assert first.stored.articles == 4 + 1 + 3  # stories, page, json lines (dup skipped)
    assert first.skipped_known == 1
    assert first.extraction_errors == 1
    c = counts(db)
    assert c["articles"] == 8 and c["events"] > 8
    assert c["rejects"] == 3  # empty file, broken JSON line, failed extraction
    again = ingest(paths, db, opts(batch_size=3))
    assert again.stored.articles == 0 and again.stored.events == 0
    assert again.skipped_known == 9
    assert counts(db) == c  # nothing doubled, rejects replaced not repeated
    with Store(db) as store:
        reasons = [r[0] for r in store.conn.execute("SELECT reason FROM rejects ORDER BY reason").fetchall()]
        sources = store.conn.execute("SELECT count(*) FROM article_sources").fetchone()[0]
    assert any("extraction failed" in r for r in reasons) and any("empty" in r for r in reasons)
    assert sources == 9  # the duplicate's second input is remembered


def test_parallel_workers_give_the_same_store(inputs: Path) -> None:
    paths = [str(inputs / "in"), str(inputs / "more.jsonl")]
    ingest(paths, inputs / "one.duckdb", opts(batch_size=2))
    ingest(paths, inputs / "two.duckdb", opts(batch_size=2, jobs=2))
    assert counts(inputs / "one.duckdb") == counts(inputs / "two.duckdb")


# -- the web, on a local server ------------------------------------------------------------------


class _Handler(http.server.BaseHTTPRequestHandler):
    hits: ClassVar[dict[str, int]] = {}
    robots: ClassVar[str | None] = None  # the body of /robots.txt; None answers 404

    def log_message(self, *args: object) -> None:
        pass

    def _send(self, status: int, body: bytes, ctype: str = "text/html; charset=utf-8", **headers: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for key, value in headers.items():
            self.send_header(key.replace("_", "-"), value)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        path = self.path
        _Handler.hits[path] = _Handler.hits.get(path, 0) + 1
        self.server.user_agents.append(self.headers.get("User-Agent", ""))  # type: ignore[attr-defined]
        port = self.server.server_address[1]
        if path.startswith("/page/"):
            i = int(path.rsplit("/", 1)[1])
            html = (
                f"<html><head><title>Story {i}</title></head><body><article>"
                + "".join(f"<p>{s}.</p>" for s in story(i).split(". "))
                + "</article></body></html>"
            )
            self._send(200, html.encode())
        elif path == "/robots.txt":
            if _Handler.robots is None:
                self._send(404, b"not found")
            else:
                self._send(200, _Handler.robots.encode(), "text/plain")
        elif path == "/flaky":
            if _Handler.hits[path] == 1:
                self._send(503, b"busy", Retry_After="0")
            else:
                self._send(200, f"<html><body><article><p>{story(77)}</p></article></body></html>".encode())
        elif path == "/gzip":
            body = gzip.compress(f"<html><body><article><p>{story(78)}</p></article></body></html>".encode())
            self._send(200, body, Content_Encoding="gzip")
        elif path == "/huge":
            self._send(200, b"<html><body><article><p>" + story(79).encode() + b" " + b"word " * 400_000 + b"</p>")
        elif path == "/redirect":
            self._send(302, b"", Location="/page/5")
        elif path == "/pdf":
            self._send(200, b"%PDF-1.4", "application/pdf")
        elif path == "/slow":
            time.sleep(2)
            self._send(200, b"late")
        elif path == "/feed.xml":
            items = "".join(
                f"<item><title>Story {i}</title><link>http://127.0.0.1:{port}/page/{i}</link>"
                f"<pubDate>Mon, 28 Sep 2020 10:00:00 GMT</pubDate></item>"
                for i in (11, 12)
            )
            feed = f'<?xml version="1.0"?><rss version="2.0"><channel><title>F</title>{items}</channel></rss>'
            self._send(200, feed.encode(), "application/rss+xml")
        else:
            self._send(404, b"not found")


@pytest.fixture
def server() -> Iterator[str]:
    _Handler.hits = {}
    _Handler.robots = None
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    httpd.user_agents = []  # type: ignore[attr-defined]
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


LOCAL = FetchOptions(allow_private=True, timeout=1.0, backoff=0.01, max_bytes=200_000, host_delay=0.0)


def test_fetcher_refuses_private_addresses_unless_allowed(server: str) -> None:
    for host in (
        "127.0.0.1",
        "10.1.2.3",
        "192.168.0.1",
        "169.254.169.254",
        "::1",
        "::ffff:127.0.0.1",
        "localhost",
        "100.64.0.1",
        "0.0.0.0",
    ):
        with pytest.raises(FetchError, match=r"non-public|resolve"):
            resolve_checked(host, 80, allow_private=False)
    assert resolve_checked("8.8.8.8", 80, allow_private=False) == "8.8.8.8"  # an IP literal: no DNS query
    with pytest.raises(FetchError, match="allow-private"):
        fetch(server + "/page/1", FetchOptions())
    assert _Handler.hits == {}  # refused before connecting


def test_fetcher_retries_caps_and_follows(server: str) -> None:
    flaky = fetch(server + "/flaky", LOCAL)
    assert flaky.status == 200 and _Handler.hits["/flaky"] == 2
    huge = fetch(server + "/huge", LOCAL)
    assert huge.truncated and len(huge.body) == LOCAL.max_bytes
    assert b"rockets" in fetch(server + "/gzip", LOCAL).body
    assert fetch(server + "/redirect", LOCAL).url.endswith("/page/5")
    with pytest.raises(FetchError, match="404"):
        fetch(server + "/missing", LOCAL)
    with pytest.raises(FetchError, match="content type"):
        fetch(server + "/pdf", LOCAL)
    with pytest.raises(FetchError, match="timed out"):
        fetch(server + "/slow", FetchOptions(allow_private=True, timeout=0.3, retries=0))
    with pytest.raises(FetchError, match="scheme"):
        fetch("file:///etc/passwd", LOCAL)


def test_url_list_and_feed(server: str, tmp_path: Path) -> None:
    urls = tmp_path / "feeds.txt"
    urls.write_text(
        "# my sources\n"
        + "\n".join(
            f"{server}{p}" for p in ("/page/1", "/page/2", "/flaky", "/missing", "/feed.xml", "/huge", "/page/1")
        )
        + "\n"
    )
    db = tmp_path / "e.duckdb"
    first = ingest([str(urls)], db, opts(fetch=LOCAL))
    assert first.stored.articles == 6  # pages 1, 2, flaky, huge, and the feed's two entries
    with Store(db) as store:
        rows = dict(store.conn.execute("SELECT input, reason FROM rejects").fetchall())
        urls_stored = {r[0] for r in store.conn.execute("SELECT url FROM articles").fetchall()}
        warnings = store.conn.execute("SELECT warnings FROM articles WHERE input LIKE '%/huge'").fetchone()[0]
    assert list(rows) == [f"{server}/missing"] and "404" in rows[f"{server}/missing"]
    assert f"{server}/page/11" in urls_stored and f"{server}/page/12" in urls_stored
    assert any("truncated" in w for w in warnings)
    hits_before = dict(_Handler.hits)
    second = ingest([str(urls)], db, opts(fetch=LOCAL))
    assert second.stored.articles == 0
    assert second.skipped_urls == 6  # four listed pages and the two feed entries are not fetched again
    assert _Handler.hits["/page/1"] == hits_before["/page/1"]
    assert _Handler.hits["/feed.xml"] == hits_before["/feed.xml"] + 1  # a feed is always read again


def test_url_list_without_allow_private_is_refused(server: str, tmp_path: Path) -> None:
    urls = tmp_path / "urls.txt"
    urls.write_text(f"{server}/page/1\n")
    db = tmp_path / "e.duckdb"
    summary = ingest([str(urls)], db, opts())
    assert summary.stored.articles == 0 and summary.stored.rejects == 1
    with Store(db) as store:
        reason = store.conn.execute("SELECT reason FROM rejects").fetchone()[0]
    assert "non-public" in reason and "--allow-private" in reason
    assert _Handler.hits == {}


def test_robots_txt_is_obeyed_unless_ignored(server: str, tmp_path: Path) -> None:
    _Handler.robots = "User-agent: *\nAllow: /\n\nUser-agent: tripwire\nDisallow: /page/2\n"
    urls = tmp_path / "urls.txt"
    urls.write_text(f"{server}/page/1\n{server}/page/2\n")
    summary = ingest([str(urls)], tmp_path / "e.duckdb", opts(fetch=LOCAL))
    assert (summary.stored.articles, summary.stored.rejects) == (1, 1)
    with Store(tmp_path / "e.duckdb") as store:
        [(input_, reason)] = store.conn.execute("SELECT input, reason FROM rejects").fetchall()
    assert input_ == f"{server}/page/2" and f"refused by {server}/robots.txt" in reason and "--ignore-robots" in reason
    assert "/page/2" not in _Handler.hits and _Handler.hits["/robots.txt"] == 1  # read once per host and run
    ignoring = FetchOptions(**{**LOCAL.__dict__, "respect_robots": False})
    summary = ingest([str(urls)], tmp_path / "f.duckdb", opts(fetch=ignoring))
    assert summary.stored.articles == 2 and _Handler.hits["/robots.txt"] == 1


def test_requests_to_one_host_are_spaced_by_its_crawl_delay(server: str) -> None:
    from tripwire.ingest.polite import Politeness

    _Handler.robots = "User-agent: *\nCrawl-delay: 1\n"  # whole seconds: Python's parser reads no fractions
    polite = Politeness(LOCAL)
    started = time.monotonic()
    for i in range(2):
        polite.check(f"{server}/page/{i}")
    # one wait of a second at least: a lower bound, which a slow machine cannot break
    assert time.monotonic() - started >= 1.0


def test_user_agent_is_clear(server: str) -> None:
    fetch(server + "/page/3", LOCAL)
    assert LOCAL.user_agent.startswith("tripwire/")


def test_warc(tmp_path: Path) -> None:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    path = tmp_path / "crawl.warc.gz"
    with path.open("wb") as handle:
        writer = WARCWriter(handle, gzip=True)
        for i, status in ((1, "200 OK"), (2, "200 OK"), (3, "404 Not Found")):
            html = (
                f"<html><head><title>Story {i}</title></head><body><article><p>{story(300 + i)}</p>"
                "</article></body></html>"
            )
            headers = StatusAndHeaders(status, [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
            writer.write_record(
                writer.create_warc_record(
                    f"http://news.example/{i}",
                    "response",
                    payload=io.BytesIO(html.encode()),
                    http_headers=headers,
                )
            )
            writer.write_record(
                writer.create_warc_record(
                    f"http://news.example/{i}", "request", payload=io.BytesIO(b"GET / HTTP/1.1\r\n\r\n")
                )
            )
    (tmp_path / "broken.warc").write_bytes(b"this is not a web archive")
    db = tmp_path / "e.duckdb"
    summary = ingest([str(path), str(tmp_path / "broken.warc")], db, opts())
    assert summary.stored.articles == 2 and summary.stored.rejects == 1
    with Store(db) as store:
        urls = sorted(r[0] for r in store.conn.execute("SELECT url FROM articles").fetchall())
    assert urls == ["http://news.example/1", "http://news.example/2"]


def test_local_feed_file_with_content_entries(tmp_path: Path) -> None:
    entries = "".join(
        f"<entry><title>Story {i}</title><id>urn:{i}</id><updated>2020-09-28T10:00:00Z</updated>"
        f"<content type='html'>&lt;p&gt;{story(500 + i)}&lt;/p&gt;</content></entry>"
        for i in range(2)
    )
    feed = tmp_path / "news.atom"
    feed.write_text(f"<?xml version='1.0'?><feed xmlns='http://www.w3.org/2005/Atom'><title>F</title>{entries}</feed>")
    summary = ingest([str(feed)], tmp_path / "e.duckdb", opts())
    assert summary.stored.articles == 2


# -- the commands ------------------------------------------------------------------------------------


def test_cli_ingest_then_query_export_stats_rejects(inputs: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = str(inputs / "cli.duckdb")
    code = main(
        [
            "ingest",
            str(inputs / "in"),
            str(inputs / "more.jsonl"),
            "--db",
            db,
            "--jobs",
            "1",
            "--no-progress",
            "--processor",
            DUMMY,
            "--published",
            "2020-09-29",
        ]
    )
    assert code == 0
    assert "articles stored 8 new" in capsys.readouterr().err
    assert main(["events", "--db", db, "--type", "ASSAULT", "--format", "jsonl"]) == 0
    events = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert events and all(e["type"] == "ASSAULT" for e in events)
    assert events[0]["source"][0]["country"] == "IRQ"
    assert main(["events", "--db", db, "--near", "Baghdad", "--within-km", "10", "--format", "csv"]) == 0
    out = capsys.readouterr()
    assert "Baghdad" in out.err and out.out.splitlines()[0].startswith("event_id,")
    assert len(out.out.splitlines()) > 1
    assert main(["events", "--db", db, "--text", "rockets", "--since", "2020-09-01", "--limit", "3"]) == 0
    table = capsys.readouterr()
    assert "ASSAULT" in table.out and "newest 3 matching events shown" in table.err
    assert main(["events", "--db", db, "--count", "--status", "occurred"]) == 0
    assert int(capsys.readouterr().out) > 0
    assert main(["stats", "--db", db]) == 0
    assert "by type" in capsys.readouterr().out
    assert main(["rejects", "--db", db, "--format", "jsonl"]) == 0
    assert len(capsys.readouterr().out.splitlines()) == 3
    assert main(["export", "--db", db, "--format", "parquet", "--out", str(inputs / "x")]) == 0
    assert (inputs / "x" / "events.parquet").exists()
    capsys.readouterr()
    assert main(["events", "--db", str(inputs / "none.duckdb")]) == 1
    assert "tripwire ingest" in capsys.readouterr().err


# -- crash safety, for real ----------------------------------------------------------------------------


def test_killed_ingest_reruns_to_the_same_result(tmp_path: Path) -> None:
    n = 40
    data = tmp_path / "many.jsonl"
    data.write_text("".join(json.dumps({"id": f"s{i}", "text": story(1000 + i)}) + "\n" for i in range(n)))
    db = tmp_path / "killed.duckdb"
    script = (
        "import sys\n"
        "from tripwire.ingest import ingest, IngestOptions\n"
        f"ingest([{str(data)!r}], {str(db)!r}, IngestOptions(jobs=1, batch_size=2, processor={DUMMY!r},"
        " progress=False, published='2020-09-29'),"
        " on_commit=lambda s: print('commit', s.batches, flush=True))\n"
    )
    env = {**os.environ, "TRIPWIRE_DUMMY_DELAY": "0.05"}
    proc = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True, env=env)
    try:
        for line in proc.stdout:  # wait for a few committed batches, then kill mid-batch
            if line.startswith("commit") and int(line.split()[1]) >= 4:
                break
        time.sleep(0.07)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == -signal.SIGKILL
    partial = counts(db)
    assert 0 < partial["articles"] < n
    rerun = subprocess.run(
        [
            sys.executable,
            "-m",
            "tripwire.cli",
            "ingest",
            str(data),
            "--db",
            str(db),
            "--jobs",
            "1",
            "--batch-size",
            "2",
            "--no-progress",
            "--processor",
            DUMMY,
            "--published",
            "2020-09-29",
        ],
        capture_output=True,
        text=True,
        env={**os.environ, "TRIPWIRE_DUMMY_DELAY": "0"},
        timeout=60,
    )
    assert rerun.returncode == 0, rerun.stderr
    reference = tmp_path / "clean.duckdb"
    ingest([str(data)], reference, opts(batch_size=2))
    assert counts(db) == counts(reference)
    assert counts(db)["articles"] == n
    with Store(db) as store:
        doubled = store.conn.execute(
            "SELECT count(*) FROM (SELECT event_id FROM events GROUP BY ALL HAVING count(*) > 1)"
        ).fetchone()[0]
        orphans = store.conn.execute(
            "SELECT count(*) FROM events WHERE article_id NOT IN (SELECT article_id FROM articles)"
        ).fetchone()[0]
    assert doubled == 0 and orphans == 0


def test_home_is_stored_with_each_article_that_has_none(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text("Protesters marched in Athens on Monday against the new sheriff.\n")
    (tmp_path / "in" / "b.jsonl").write_text(
        json.dumps({"id": "b", "text": "Police arrested ten people in Athens on Tuesday.", "home": "GR"}) + "\n"
    )
    db = tmp_path / "e.duckdb"
    ingest([str(tmp_path / "in")], db, opts(home="US-GA"))
    with Store(db) as store:
        homes = sorted(store.conn.execute("SELECT home FROM articles").fetchall())
    assert homes == [("GR",), ("US-GA",)]


def test_reextract_replaces_instead_of_skipping(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text(story(1) + "\n")
    db = tmp_path / "e.duckdb"
    first = ingest([str(tmp_path / "in")], db, opts())
    again = ingest([str(tmp_path / "in")], db, opts())
    redone = ingest([str(tmp_path / "in")], db, opts(reextract=True))
    assert first.stored.events > 0
    assert (again.skipped_known, again.stored.articles) == (1, 0)
    assert (redone.skipped_known, redone.stored.articles, redone.stored.events) == (0, 1, first.stored.events)
    assert counts(db)["events"] == first.stored.events  # replaced, not doubled
