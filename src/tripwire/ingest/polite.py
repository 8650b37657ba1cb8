"""Fetching as a good guest: a site's robots.txt is obeyed and each host is asked at a measured pace.

An analyst's URL list often holds hundreds of pages of one outlet; fetched on eight threads at
once, that is a burst a news site may answer by blocking the analyst's address. So requests to one
host are spaced by `host_delay` seconds (or the site's own `Crawl-delay`, up to a cap), while
different hosts are still fetched in parallel. robots.txt is read once per host and run, through
the same careful fetcher as the pages (so it cannot reach private addresses either). A missing
robots.txt allows everything, as the robots exclusion standard (RFC 9309) says. An unreachable one
(a timeout, a 5xx) also allows, where RFC 9309 would have a crawler stay away: a user fetches a
list they chose, once, and the page fetch that follows reports the network problem itself.
"""

from __future__ import annotations

import threading
import time
import urllib.robotparser
from dataclasses import replace
from urllib.parse import urlsplit

from tripwire.ingest.fetch import FetchError, FetchOptions, fetch

# A site's Crawl-delay is honoured up to this many seconds; a larger one would stall a whole run.
MAX_CRAWL_DELAY = 30.0


class RobotsRefused(FetchError):
    """The site's robots.txt disallows this URL for our user agent."""


class Politeness:
    """Per-run robots.txt cache and per-host pacing, shared by the fetching threads."""

    def __init__(self, options: FetchOptions) -> None:
        self._options = options
        self._lock = threading.Lock()
        self._robots: dict[str, urllib.robotparser.RobotFileParser | None] = {}
        self._host_locks: dict[str, threading.Lock] = {}
        self._next_slot: dict[str, float] = {}

    def check(self, url: str) -> None:
        """Wait for this host's next free slot; raise `RobotsRefused` if robots.txt forbids the URL."""
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}".lower()
        robots = self._robots_for(origin) if self._options.respect_robots else None
        agent = self._options.user_agent
        if robots is not None and not robots.can_fetch(agent, url):
            raise RobotsRefused(
                f"refused by {origin}/robots.txt for our user agent; the site asks crawlers to leave this "
                "page alone (--ignore-robots fetches it anyway, if you have the site's permission)"
            )
        delay = self._options.host_delay
        if robots is not None:
            crawl_delay = robots.crawl_delay(agent)
            if crawl_delay is not None:
                delay = max(delay, min(float(crawl_delay), MAX_CRAWL_DELAY))
        self._wait_turn(origin, delay)

    def _wait_turn(self, origin: str, delay: float) -> None:
        if delay <= 0:
            return
        with self._lock:
            now = time.monotonic()
            slot = max(now, self._next_slot.get(origin, now))
            self._next_slot[origin] = slot + delay
        if slot > now:
            time.sleep(slot - now)

    def _robots_for(self, origin: str) -> urllib.robotparser.RobotFileParser | None:
        with self._lock:
            host_lock = self._host_locks.setdefault(origin, threading.Lock())
        with host_lock:  # one thread reads a host's robots.txt; the others wait for its answer
            if origin not in self._robots:
                self._robots[origin] = self._read_robots(origin)
            return self._robots[origin]

    def _read_robots(self, origin: str) -> urllib.robotparser.RobotFileParser | None:
        # The run's own options (user agent, private addresses), with one quick try and RFC 9309's
        # 500 KiB limit: robots.txt is small, and a slow one must not hold up the pages.
        options = replace(self._options, total_timeout=self._options.timeout, max_bytes=500_000, retries=0)
        try:
            response = fetch(f"{origin}/robots.txt", options)
        except FetchError:
            return None
        parser = urllib.robotparser.RobotFileParser()
        parser.parse(response.text().splitlines())
        return parser
