"""`tripwire extract`: articles in, events out (JSON, JSON lines or a readable table)."""

from __future__ import annotations

import argparse
import json
import sys

from tripwire.commands.home_option import add_home_argument
from tripwire.display import format_table, safe
from tripwire.record import Reject


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "extract",
        help="extract events from articles",
        description="Read articles (text, HTML, folders, .jsonl, - for stdin) and print their events.",
    )
    parser.add_argument("paths", nargs="+", metavar="PATH", help="file, folder, .jsonl file, or - for standard input")
    parser.add_argument("--published", metavar="YYYY-MM-DD", help="publication date for inputs that carry none")
    add_home_argument(parser)
    parser.add_argument("--format", choices=("table", "json", "jsonl"), default="table")
    parser.add_argument("--min-confidence", type=float, default=0.0, help="drop events below this confidence")
    parser.add_argument(
        "--status",
        action="append",
        choices=("occurred", "planned", "hypothetical", "negated"),
        help="keep only events with this status (repeatable)",
    )
    parser.set_defaults(run=run)


def _report_reject(reject: Reject) -> None:
    print(f"tripwire extract: skipped {safe(reject.input)}: {safe(reject.reason)}", file=sys.stderr)


def run(args: argparse.Namespace) -> int:
    from tripwire.pipeline import Pipeline
    from tripwire.read import read_inputs
    from tripwire.record import Article
    from tripwire.timex import resolve_published

    if args.published and resolve_published(args.published) is None:
        print(f"tripwire extract: --published {args.published!r} is not a date; use YYYY-MM-DD", file=sys.stderr)
        return 2
    pipeline = Pipeline()
    read = 0
    rejected = 0
    documents = []

    def articles():
        nonlocal rejected
        for item in read_inputs(args.paths, published=args.published, home=args.home):
            if isinstance(item, Article):
                yield item
            else:
                rejected += 1
                _report_reject(item)

    def keep(event) -> bool:
        return event.confidence >= args.min_confidence and (not args.status or event.status in args.status)

    for document in pipeline.process_many(articles()):
        read += 1
        document.events = [event for event in document.events if keep(event)]
        if args.format == "jsonl":
            print(json.dumps(document.to_dict(), ensure_ascii=False), flush=True)
        elif args.format == "table":
            title = document.article.title or document.article.input or document.article.article_id
            sys.stdout.write(format_table(title, document.events, document.article.warnings))
        else:
            documents.append(document)
    if args.format == "json":
        if len(documents) == 1:
            print(json.dumps(documents[0].to_dict(), ensure_ascii=False, indent=2))
        elif documents:
            print(json.dumps([d.to_dict() for d in documents], ensure_ascii=False, indent=2))
    if read == 0:
        print(
            "tripwire extract: no article could be read" + (f" ({rejected} input(s) rejected)" if rejected else ""),
            file=sys.stderr,
        )
        return 1
    return 0
