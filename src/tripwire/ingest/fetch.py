"""A careful HTTP fetcher for URL lists and feeds: timeouts, size caps, retries, and no private addresses.

A URL list is input from elsewhere; fetching it must not become a way to reach the machine's own
services (server-side request forgery). So each host is resolved first and every address it resolves
to must be public (not private, loopback, link-local, shared, multicast or reserved), and the
connection then goes to the address that was checked, so a second DNS answer cannot swap in a private
one. Each redirect hop is checked the same way. `allow_private=True` (`--allow-private`) lifts this,
for an intranet source or a test server.

The body is read in chunks and cut at `max_bytes` (after decompression, so a small gzip bomb cannot
grow past it); a cut page is kept and marked, as the file reader does. Retries cover what a retry can
fix (timeouts, refused connections, 429 and 5xx), with exponential backoff and a capped Retry-After.
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import ssl
import time
import zlib
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

try:
    from importlib.metadata import version as _version

    _VERSION = _version("tripwire")
except Exception:  # running from a source tree that is not installed
    _VERSION = "0"

DEFAULT_USER_AGENT = f"tripwire/{_VERSION} (news event extraction; fetches each listed URL once)"

ACCEPTED_TYPES = ("text/html", "application/xhtml+xml", "text/plain", "xml", "rss", "atom")


@dataclass(frozen=True)
class FetchOptions:
    timeout: float = 15.0  # seconds for connecting and for each read
    total_timeout: float = 60.0  # seconds for one URL, redirects and body included (per attempt)
    max_bytes: int = 2_000_000  # the body is cut here (after decompression)
    retries: int = 2  # extra attempts after a failure a retry can fix
    backoff: float = 0.5  # seconds before the first retry, doubled each time
    max_retry_after: float = 30.0  # a server's Retry-After is honoured up to this
    max_redirects: int = 5
    user_agent: str = DEFAULT_USER_AGENT
    allow_private: bool = False
    respect_robots: bool = True  # obey each site's robots.txt (see ingest.polite)
    host_delay: float = 1.0  # seconds between two requests to one host (a site's Crawl-delay may raise it)


@dataclass
class Response:
    url: str  # after redirects
    status: int
    content_type: str
    charset: str | None
    body: bytes
    truncated: bool = False

    @property
    def is_feed(self) -> bool:
        kind = self.content_type
        if "rss" in kind or "atom" in kind:
            return True
        if "xml" in kind or kind in ("", "text/plain", "application/octet-stream"):
            head = self.body[:2048].lstrip().lower()
            return b"<rss" in head or b"<feed" in head or b"<rdf:rdf" in head
        return False

    def text(self) -> str:
        try:
            return self.body.decode(self.charset or "utf-8", errors="replace")
        except LookupError:
            return self.body.decode("utf-8", errors="replace")


class FetchError(Exception):
    """Why a URL gave no page; `retriable` when trying again later might work."""

    def __init__(self, reason: str, retriable: bool = False, retry_after: float | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.retriable = retriable
        self.retry_after = retry_after


def _is_public(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def resolve_checked(host: str, port: int, allow_private: bool) -> str:
    """The address to connect to, after checking every address the host resolves to."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as error:
        raise FetchError(f"cannot resolve host {host!r}: {error.strerror}", retriable=True) from error
    addresses = list(dict.fromkeys(info[4][0] for info in infos))
    if not addresses:
        raise FetchError(f"host {host!r} has no address")
    if not allow_private:
        for address in addresses:
            ip = ipaddress.ip_address(address.split("%", 1)[0])
            if not _is_public(ip):
                raise FetchError(
                    f"refused: {host} resolves to the non-public address {address} (private, loopback or "
                    f"link-local); use --allow-private to fetch from such addresses"
                )
    return addresses[0]


class _PinnedHTTPConnection(http.client.HTTPConnection):
    """Connects to the address that was checked, whatever DNS says now."""

    def __init__(self, host: str, port: int, address: str, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout)
        self._address = address

    def connect(self) -> None:
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, host: str, port: int, address: str, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self._address = address

    def connect(self) -> None:
        sock = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)  # type: ignore[attr-defined]


def fetch(url: str, options: FetchOptions | None = None) -> Response:
    """GET `url` with retries; raises FetchError with a reason a user can read."""
    options = options or FetchOptions()
    attempt = 0
    while True:
        try:
            return _fetch_once(url, options)
        except FetchError as error:
            if not error.retriable or attempt >= options.retries:
                raise
            delay = options.backoff * (2**attempt)
            if error.retry_after is not None:
                delay = max(delay, min(error.retry_after, options.max_retry_after))
            time.sleep(delay)
            attempt += 1


def _fetch_once(url: str, options: FetchOptions) -> Response:
    deadline = time.monotonic() + options.total_timeout
    current = url
    for _ in range(options.max_redirects + 1):
        parts = urlsplit(current)
        scheme = parts.scheme.lower()
        if scheme not in ("http", "https"):
            raise FetchError(f"unsupported URL scheme {scheme or '(none)'!r}: only http and https are fetched")
        if not parts.hostname:
            raise FetchError(f"no host in URL {current!r}")
        port = parts.port or (443 if scheme == "https" else 80)
        address = resolve_checked(parts.hostname, port, options.allow_private)
        cls = _PinnedHTTPSConnection if scheme == "https" else _PinnedHTTPConnection
        conn = cls(parts.hostname, port, address, options.timeout)
        path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        try:
            conn.request(
                "GET",
                path,
                headers={
                    "User-Agent": options.user_agent,
                    "Accept": "text/html,application/xhtml+xml,application/rss+xml,application/atom+xml,"
                    "application/xml;q=0.9,text/plain;q=0.8,*/*;q=0.1",
                    "Accept-Encoding": "gzip, deflate",
                },
            )
            response = conn.getresponse()
            status = response.status
            if status in (301, 302, 303, 307, 308):
                location = response.getheader("Location")
                if not location:
                    raise FetchError(f"HTTP {status} redirect without a Location header")
                current = urljoin(current, location)
                continue
            if status == 429 or status >= 500:
                raise FetchError(
                    f"HTTP {status} {response.reason}",
                    retriable=True,
                    retry_after=_retry_after(response.getheader("Retry-After")),
                )
            if status >= 400:
                raise FetchError(f"HTTP {status} {response.reason}")
            if status != 200:
                raise FetchError(f"HTTP {status} {response.reason}: no page to read")
            content_type, charset = _content_type(response.getheader("Content-Type") or "")
            if content_type and not any(kind in content_type for kind in ACCEPTED_TYPES):
                raise FetchError(f"unsupported content type {content_type!r} (not a web page, text or feed)")
            body, truncated = _read_body(response, response.getheader("Content-Encoding") or "", options, deadline)
            return Response(current, status, content_type, charset, body, truncated)
        except TimeoutError as error:
            raise FetchError(f"timed out after {options.timeout:g} s", retriable=True) from error
        except (ConnectionError, http.client.HTTPException, ssl.SSLError, OSError) as error:
            if isinstance(error, FetchError):
                raise
            raise FetchError(f"connection failed: {error}", retriable=not isinstance(error, ssl.SSLError)) from error
        finally:
            conn.close()
    raise FetchError(f"more than {options.max_redirects} redirects")


def _read_body(
    response: http.client.HTTPResponse, encoding: str, options: FetchOptions, deadline: float
) -> tuple[bytes, bool]:
    encoding = encoding.strip().lower()
    decoder = None
    if encoding == "gzip":
        decoder = zlib.decompressobj(16 + zlib.MAX_WBITS)
    elif encoding == "deflate":
        decoder = zlib.decompressobj()
    elif encoding not in ("", "identity"):
        raise FetchError(f"unsupported content encoding {encoding!r}")
    chunks: list[bytes] = []
    size = 0
    while size < options.max_bytes:
        if time.monotonic() > deadline:
            raise FetchError(f"took longer than {options.total_timeout:g} s", retriable=True)
        raw = response.read(65536)
        if not raw:
            return b"".join(chunks), False
        if decoder is not None:
            try:
                raw = decoder.decompress(raw, options.max_bytes - size + 1)
            except zlib.error as error:
                raise FetchError(f"broken {encoding} body: {error}") from error
        chunks.append(raw)
        size += len(raw)
    return b"".join(chunks)[: options.max_bytes], True


def _content_type(header: str) -> tuple[str, str | None]:
    parts = [p.strip() for p in header.split(";")]
    charset = None
    for part in parts[1:]:
        if part.lower().startswith("charset="):
            charset = part.split("=", 1)[1].strip("\"' ") or None
    return parts[0].lower(), charset


def _retry_after(value: str | None) -> float | None:
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        return None
