"""`tripwire extract` as a user runs it: formats, many inputs, bad input that never stops a batch."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.conftest import EXAMPLE


def run_cli(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "tripwire.cli", *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.fixture(scope="module")
def example_json() -> dict:
    result = run_cli("extract", str(EXAMPLE), "--published", "2024-03-12", "--format", "json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_example_article_events(example_json):
    events = example_json["events"]
    by_trigger = {e["evidence"]["trigger"]: e for e in events}
    attack = by_trigger["attacked"]
    assert (attack["type"], attack["status"]) == ("ASSAULT", "occurred")
    assert attack["casualties"] == {"killed": 4, "injured": 7}
    assert attack["date"]["start"] == "2024-03-09"  # "on Saturday" before Tuesday 12 March
    assert attack["reported_by"]["anonymous"] is True
    threat = by_trigger["threatened"]
    assert (threat["type"], threat["mode"]) == ("THREATEN", "relations")
    assert [a["country"] for a in threat["source"]] == ["SOM"]
    assert [a["country"] for a in threat["target"]] == ["KEN"]
    assert threat["reported_by"]["text"] == "the foreign ministry"
    withdraw = by_trigger["withdraw"]
    assert (withdraw["type"], withdraw["status"]) == ("RETREAT", "hypothetical")
    feared = by_trigger["attack"]
    assert feared["status"] == "hypothetical"  # "Residents fear that the militants will attack"
    protest = by_trigger["protested"]
    assert [a["sector"] for a in protest["source"]] == ["EDU"]
    assert protest["date"]["start"] == "2024-03-11"  # "yesterday"
    assert not [e for e in events if "comment" in e["evidence"]["sentence"]]


def test_json_record_has_every_field(example_json):
    fields = {
        "event_id", "article_id", "type", "mode", "contexts", "status", "source", "target", "date",
        "location", "casualties", "reported_by", "evidence", "confidence", "intensity", "acled",
    }
    for event in example_json["events"]:
        assert fields <= set(event)
        text = example_json["article"]["text"]
        assert text[event["evidence"]["start"] : event["evidence"]["end"]] == event["evidence"]["sentence"]
        assert -10 <= event["intensity"] <= 10 and 0 <= event["confidence"] <= 1


def test_jsonl_batch_goes_on_after_bad_lines(tmp_path):
    good = EXAMPLE.read_text(encoding="utf-8")
    feed = tmp_path / "feed.jsonl"
    feed.write_text(
        json.dumps({"id": "a1", "text": good, "published": "2024-03-12"}) + "\n"
        "{not json\n"
        + json.dumps({"id": "a2"}) + "\n"
        + json.dumps({"id": "a3", "text": "Police arrested twelve protesters in Lagos on Friday."}) + "\n",
        encoding="utf-8",
    )
    empty = tmp_path / "empty.txt"
    empty.write_text("", encoding="utf-8")
    result = run_cli("extract", str(feed), str(empty), "--format", "jsonl")
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["article"]["id"] for line in lines] == ["a1", "a3"]
    assert "feed.jsonl:2" in result.stderr and "feed.jsonl:3" in result.stderr
    assert "empty.txt" in result.stderr
    arrest = lines[1]["events"][0]
    assert (arrest["type"], arrest["mode"]) == ("COERCE", "arrest")


def test_nothing_readable_exits_nonzero(tmp_path):
    binary = tmp_path / "photo.txt"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    result = run_cli("extract", str(binary), str(tmp_path / "missing.txt"))
    assert result.returncode == 1
    assert "photo.txt" in result.stderr and "missing.txt" in result.stderr


def test_stdin_and_table(tmp_path):
    text = "Rebels attacked an army base near Goma on Sunday, killing three soldiers, officials said."
    result = run_cli("extract", "-", "--published", "2024-03-12", stdin=text)
    assert result.returncode == 0, result.stderr
    assert "ASSAULT" in result.stdout and "killed 3" in result.stdout


def test_bad_published_date_is_refused():
    result = run_cli("extract", str(EXAMPLE), "--published", "next tuesday-ish")
    assert result.returncode == 2
    assert "YYYY-MM-DD" in result.stderr


def test_outlet_home_from_the_line_or_the_command_line(tmp_path):
    text = "Protesters marched in Athens on Monday against the new sheriff."
    lines = [
        {"id": "georgia-paper", "text": text, "home": "US-GA"},
        {"id": "no-home", "text": text},
        {"id": "bad-home", "text": text, "home": "Georgia please"},
    ]
    path = tmp_path / "homes.jsonl"
    path.write_text("".join(json.dumps(line) + "\n" for line in lines))
    result = run_cli("extract", str(path), "--format", "jsonl", "--published", "2020-09-28")
    assert result.returncode == 0, result.stderr
    out = [json.loads(line) for line in result.stdout.splitlines()]
    places = {o["article"]["id"]: [(e["location"]["name"], e["location"]["country"]) for e in o["events"]] for o in out}
    assert places == {
        "georgia-paper": [("Athens", "USA")],
        "no-home": [("Athens", "GRC")],
        "bad-home": [("Athens", "GRC")],
    }
    assert "home 'Georgia please' is not a country" in out[2]["article"]["warnings"][0]
    # --home gives the lines without one their home; a code it cannot read stops the run at once.
    result = run_cli("extract", str(path), "--format", "jsonl", "--home", "US-GA")
    assert [json.loads(line)["events"][0]["location"]["country"] for line in result.stdout.splitlines()] == [
        "USA",
        "USA",
        "GRC",
    ]
    refused = run_cli("extract", str(path), "--home", "Georgia")
    assert refused.returncode == 2 and "'Georgia' is not a country, a division or a point" in refused.stderr
