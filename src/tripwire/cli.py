"""The `tripwire` command: parses arguments and hands over to a command module.

Each subcommand lives in `tripwire/commands/<name>.py` with `add_parser(subparsers)` and
`run(args) -> int`; the work itself lives in the library, callable from Python by the same names.
"""

from __future__ import annotations

import argparse
import importlib
import sys

COMMANDS = (
    "extract", "eval", "bench", "ingest", "events", "export", "stats", "rejects", "geoparse", "classify", "train",
)  # fmt: skip


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="tripwire",
        description="News articles to evidence-grounded political and conflict events (PLOVER).",
    )
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name in COMMANDS:
        module = importlib.import_module(f"tripwire.commands.{name}")
        module.add_parser(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.run(args) or 0)
    except KeyboardInterrupt:
        print("tripwire: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
