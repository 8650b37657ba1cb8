"""`tripwire ingest`: read inputs, extract their events, and store them (idempotent, crash-safe)."""

from __future__ import annotations

import argparse
import sys

from tripwire.commands.home_option import add_home_argument
from tripwire.store.cliargs import add_db_argument


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    from tripwire.ingest.fetch import DEFAULT_USER_AGENT, FetchOptions

    defaults = FetchOptions()
    parser = subparsers.add_parser(
        "ingest",
        help="extract events from inputs into the database",
        description="PATH is a text or HTML file, a folder, a .jsonl file, - for standard input, a web "
        "archive (.warc/.warc.gz), an RSS/Atom file, a URL, or a text file of URLs (pages or feeds). "
        "Articles already stored (same text, from any URL) are skipped, so rerunning after an interruption "
        "finishes the job.",
    )
    parser.add_argument("paths", nargs="+", metavar="PATH")
    add_db_argument(parser)
    parser.add_argument("--published", metavar="YYYY-MM-DD", help="publication date for inputs that carry none")
    parser.add_argument(
        "--jobs",
        "-j",
        type=int,
        default=None,
        help="extraction processes (default: one per core; 1 runs in this process)",
    )
    parser.add_argument(
        "--batch-size",
        type=int,
        default=None,
        help="articles per transaction (default: the pipeline's batch size)",
    )
    add_home_argument(parser)
    parser.add_argument("--no-progress", action="store_true", help="no progress bar (default: bar on a terminal)")
    web = parser.add_argument_group("fetching URLs")
    web.add_argument(
        "--allow-private",
        action="store_true",
        help="allow fetching from private, loopback and link-local addresses (refused by default)",
    )
    web.add_argument("--timeout", type=float, default=defaults.timeout, help="seconds to connect and per read")
    web.add_argument("--max-bytes", type=int, default=defaults.max_bytes, help="cut each page at this size")
    web.add_argument("--retries", type=int, default=defaults.retries, help="retries on timeouts, 429 and 5xx")
    web.add_argument("--user-agent", default=DEFAULT_USER_AGENT)
    web.add_argument("--fetch-workers", type=int, default=8, help="concurrent downloads (across hosts)")
    web.add_argument(
        "--host-delay",
        type=float,
        default=defaults.host_delay,
        metavar="SECONDS",
        help=f"pause between two requests to one host (default {defaults.host_delay:g}; a site's Crawl-delay may "
        "raise it)",
    )
    web.add_argument(
        "--ignore-robots",
        action="store_true",
        help="fetch pages that a site's robots.txt asks crawlers to leave alone (only with the site's permission)",
    )
    web.add_argument("--refetch", action="store_true", help="fetch URLs again even if already stored")
    parser.add_argument(
        "--reextract",
        action="store_true",
        help="extract articles already in the store again and replace their events (after upgrading tripwire)",
    )
    parser.add_argument("--processor", default=None, help=argparse.SUPPRESS)  # module:callable, for plug-ins
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from tripwire.store.db import skip_dataframe_imports

    with skip_dataframe_imports():
        return _run(args)


def _run(args: argparse.Namespace) -> int:
    from tripwire.ingest import FetchOptions, IngestOptions, ingest
    from tripwire.ingest.run import DEFAULT_PROCESSOR
    from tripwire.store.db import StoreError

    options = IngestOptions(
        jobs=args.jobs,
        batch_size=args.batch_size,
        published=args.published,
        home=args.home,
        fetch=FetchOptions(
            timeout=args.timeout,
            max_bytes=args.max_bytes,
            retries=args.retries,
            user_agent=args.user_agent,
            allow_private=args.allow_private,
            respect_robots=not args.ignore_robots,
            host_delay=args.host_delay,
        ),
        fetch_workers=args.fetch_workers,
        refetch=args.refetch,
        reextract=args.reextract,
        progress=False if args.no_progress else None,
        processor=args.processor or DEFAULT_PROCESSOR,
    )
    progress: list = []
    try:
        summary = ingest(
            args.paths, db=args.db, options=options, on_commit=lambda s: progress[:1] or progress.append(s)
        )
    except StoreError as error:
        print(f"tripwire ingest: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        stored = progress[0].stored if progress else None
        done = f" ({stored.articles} new articles, {stored.events} events)" if stored else ""
        print(
            f"tripwire ingest: interrupted; every batch committed so far is kept{done}. Rerun the same "
            "command to continue where it stopped.",
            file=sys.stderr,
        )
        return 130
    for line in summary.lines():
        print(line, file=sys.stderr)
    if summary.inputs == 0:
        print("tripwire ingest: nothing was read", file=sys.stderr)
        return 1
    return 0
