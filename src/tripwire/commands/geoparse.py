"""`tripwire geoparse IN.jsonl --format jsonl`: every place mention of each text, with coordinates.

Each input line is `{"id", "text"}`, optionally with `"home"` (the outlet's home: an ISO 3166 code such
as "US", "US-GA" or "GB-ENG", or "lat,lon") and `"url"` (the article's address; a known outlet or a
country-code domain gives the home when `"home"` is absent); `--home` sets it for every line. A local
paper's bare "Athens" then resolves to its own Athens. Each output line is one place mention `{"id", "start", "end",
"text", "name", "lat", "lon", "geonameid", "country", "admin1", "feature", "kind", "score",
"precision", "resolved"}` (offsets are characters into that text). A line that cannot be used is
reported on stderr with its file and line number and skipped; the exit status is non-zero only
when nothing could be read.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from typing import IO

from tripwire.commands.home_option import add_home_argument
from tripwire.commands.jsonl_input import read_lines, run_on_input

OUTPUT_FIELDS = (
    "start",
    "end",
    "text",
    "name",
    "lat",
    "lon",
    "geonameid",
    "country",
    "admin1",
    "feature",
    "kind",
    "score",
    "precision",
    "resolved",
)


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("geoparse", help="place mentions of texts, resolved to coordinates")
    parser.add_argument("input", help='a .jsonl file of {"id", "text"} lines, or - for standard input')
    parser.add_argument("--format", choices=("jsonl", "table"), default="jsonl")
    parser.add_argument("--batch-size", type=int, default=32, help="texts handed to spaCy at once")
    add_home_argument(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    return run_on_input(
        args.input, "geoparse", lambda handle, label, problems: _geoparse(args, handle, label, problems)
    )


def _geoparse(args: argparse.Namespace, handle: IO[str], label: str, problems: list[str]) -> int:
    from tripwire.config import load_settings
    from tripwire.geo import geoparse, load_gazetteer
    from tripwire.geo.home import context_from_home
    from tripwire.stages.parse import load_spacy

    nlp = load_spacy(load_settings().spacy_model)
    gazetteer = load_gazetteer()
    count = 0
    out = sys.stdout
    try:
        items = (
            (line.id, line.text, line.optional_str("home") or args.home, line.optional_str("url"))
            for line in read_lines(handle, label, problems)
        )

        def texts() -> Iterator[tuple[str, tuple[str, str | None, str | None]]]:
            for identifier, text, home, url in items:
                # Report problems as they are found, in input order with the output.
                while problems:
                    print(f"tripwire geoparse: {problems.pop(0)}", file=sys.stderr)
                yield text, (identifier, home, url)

        for doc, (identifier, home, url) in nlp.pipe(texts(), as_tuples=True, batch_size=args.batch_size):
            count += 1
            context = context_from_home(home, url)
            for mention in geoparse(doc, gazetteer=gazetteer, context=context):
                record = {"id": identifier, **{k: getattr(mention, k) for k in OUTPUT_FIELDS}}
                if args.format == "jsonl":
                    out.write(json.dumps(record, ensure_ascii=False) + "\n")
                else:
                    out.write(
                        f"{identifier}\t{mention.start}-{mention.end}\t{mention.text}\t{mention.name}\t"
                        f"{mention.lat},{mention.lon}\t{mention.country}\t{mention.kind}\t{mention.score}\n"
                    )
    finally:
        sys.stdout.flush()
    for problem in problems:
        print(f"tripwire geoparse: {problem}", file=sys.stderr)
    if count == 0:
        print(f"tripwire geoparse: nothing could be read from {label}", file=sys.stderr)
        return 1
    return 0
