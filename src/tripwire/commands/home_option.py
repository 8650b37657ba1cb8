"""`--home`, the outlet's home, shared by the commands that read articles (extract, ingest, geoparse).

Checked when the command line is read, so that a mistake (`--home Georgia`, where US-GA is meant)
stops the run with a message instead of silently resolving every "Athens" of a Georgia paper to
Greece. A bad `"home"` in one JSON line only costs that article a warning.
"""

from __future__ import annotations

import argparse

HOME_HELP = (
    'the outlet\'s home for inputs that carry none ("home" in a JSON line wins): an ISO 3166 country or '
    'division ("US", "US-GA", "IQ-BG") or a point "lat,lon"; local place names resolve near it'
)


def home_code(value: str) -> str:
    from tripwire.geo.home import read_home

    if read_home(value) is None:
        raise argparse.ArgumentTypeError(
            f"{value!r} is not a country, a division or a point: write US, US-GA or 33.3,44.4"
        )
    return value


def add_home_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--home", type=home_code, metavar="CODE", default=None, help=HOME_HELP)
