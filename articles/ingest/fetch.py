"""HTTP for feeds: conditional GET with a time limit, a size cap and few redirects.

Feed URLs are typed in by editors or come from a config file, so the fetcher
only speaks http(s) and refuses hosts that resolve to private, loopback,
link-local or otherwise non-public addresses (server-side request forgery),
unless ``FEEDS_ALLOW_PRIVATE_HOSTS`` is true. The check is made on the address
actually connected to, for every hop of a redirect, so a DNS answer cannot
change between the check and the connection. Limits are settings:

- ``FEEDS_TIMEOUT``: seconds per feed, connecting and downloading (10)
- ``FEEDS_MAX_BYTES``: largest response accepted (5 MB)
- ``FEEDS_MAX_REDIRECTS``: redirects followed (3)
"""

import http.client
import ipaddress
import socket
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings

from articles.images import human_size
from articles.importing.downloads import ascii_url

DEFAULT_TIMEOUT = 10
DEFAULT_MAX_BYTES = 5 * 1024 * 1024
DEFAULT_MAX_REDIRECTS = 3
CHUNK_SIZE = 64 * 1024
USER_AGENT = "Mozilla/5.0 (compatible; NewsroomFeeds/1.0)"
ACCEPT = "application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.1"
SCHEMES = ("http", "https")


class FeedError(Exception):
    """Why a feed could not be fetched or read (shown as ``FEED URL: reason``)."""


@dataclass(frozen=True)
class Response:
    """A fetched feed; ``not_modified`` (HTTP 304) means nothing changed since the last fetch."""

    body: bytes = b""
    content_type: str = ""
    etag: str = ""
    last_modified: str = ""
    not_modified: bool = False


def fetch(url: str, *, etag: str = "", last_modified: str = "") -> Response:
    """GET ``url``, sending the validators of the last fetch so an unchanged feed costs a 304."""
    check_url(url)
    timeout = getattr(settings, "FEEDS_TIMEOUT", DEFAULT_TIMEOUT)
    headers = {"User-Agent": USER_AGENT, "Accept": ACCEPT}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    request = urllib.request.Request(ascii_url(url), headers=headers)
    try:
        with _opener().open(request, timeout=timeout) as response:
            body = _read(response, time.monotonic() + timeout)
            return Response(
                body=body,
                content_type=response.headers.get("Content-Type", ""),
                etag=response.headers.get("ETag", ""),
                last_modified=response.headers.get("Last-Modified", ""),
            )
    except urllib.error.HTTPError as exc:
        exc.close()
        if exc.code == 304:
            return Response(etag=etag, last_modified=last_modified, not_modified=True)
        if str(exc.reason).startswith(_LimitedRedirects.inf_msg):
            limit = getattr(settings, "FEEDS_MAX_REDIRECTS", DEFAULT_MAX_REDIRECTS)
            raise FeedError(f"more than {limit} redirects") from exc
        raise FeedError(f"HTTP {exc.code} {exc.reason}") from exc
    except (TimeoutError, urllib.error.URLError) as exc:
        if isinstance(exc, TimeoutError) or isinstance(getattr(exc, "reason", None), TimeoutError):
            raise FeedError(f"timed out after {timeout:g} s") from exc
        raise FeedError(f"cannot fetch it ({exc.reason})") from exc
    except (OSError, http.client.HTTPException, ValueError) as exc:
        raise FeedError(f"cannot fetch it ({type(exc).__name__}: {exc})") from exc


def check_url(url: str) -> None:
    parts = urlsplit(url)
    if parts.scheme.lower() not in SCHEMES or not parts.hostname:
        raise FeedError("only http(s) URLs with a host can be fetched")


def _read(response, deadline: float) -> bytes:
    """The body, refused past ``FEEDS_MAX_BYTES`` (reading at most one byte more) or the deadline."""
    limit = getattr(settings, "FEEDS_MAX_BYTES", DEFAULT_MAX_BYTES)
    length = response.headers.get("Content-Length", "")
    if length.isdigit() and int(length) > limit:
        raise FeedError(f"is {human_size(int(length))}, over the {human_size(limit)} limit")
    chunks, size = [], 0
    while chunk := response.read1(min(CHUNK_SIZE, limit + 1 - size)):
        size += len(chunk)
        if size > limit:
            raise FeedError(f"is over the {human_size(limit)} limit")
        if time.monotonic() > deadline:
            raise TimeoutError
        chunks.append(chunk)
    return b"".join(chunks)


def public_address(host: str, port: int) -> list[tuple]:
    """``getaddrinfo`` results for ``host``, refused if any address is not public
    (unless ``FEEDS_ALLOW_PRIVATE_HOSTS``)."""
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise FeedError(f"cannot resolve {host} ({exc.strerror})") from exc
    if not getattr(settings, "FEEDS_ALLOW_PRIVATE_HOSTS", False):
        for *_, sockaddr in found:
            address = ipaddress.ip_address(sockaddr[0].split("%")[0])
            if not address.is_global:
                raise FeedError(f"{host} resolves to a non-public address ({address}); refused")
    return found


def _guarded_connection(address, timeout=socket._GLOBAL_DEFAULT_TIMEOUT, source_address=None, **kwargs):
    """``socket.create_connection`` to an address vetted by :func:`public_address`."""
    host, port = address
    error: OSError | None = None
    for family, kind, proto, _, sockaddr in public_address(host, port):
        sock = socket.socket(family, kind, proto)
        try:
            if timeout is not socket._GLOBAL_DEFAULT_TIMEOUT:
                sock.settimeout(timeout)
            if source_address:
                sock.bind(source_address)
            sock.connect(sockaddr)
            return sock
        except OSError as exc:
            sock.close()
            error = exc
    raise error or OSError(f"no address for {host}")


class _GuardedHTTPConnection(http.client.HTTPConnection):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._create_connection = _guarded_connection


class _GuardedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._create_connection = _guarded_connection


class _GuardedHTTPHandler(urllib.request.HTTPHandler):
    def http_open(self, req):
        return self.do_open(_GuardedHTTPConnection, req)


class _GuardedHTTPSHandler(urllib.request.HTTPSHandler):
    def https_open(self, req):
        return self.do_open(_GuardedHTTPSConnection, req, context=self._context)


class _LimitedRedirects(urllib.request.HTTPRedirectHandler):
    """Follows ``FEEDS_MAX_REDIRECTS`` redirects, and only to http(s) URLs."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        if urlsplit(newurl).scheme.lower() not in SCHEMES:
            fp.close()
            raise FeedError(f"redirected to a non-HTTP URL ({newurl})")
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def _opener() -> urllib.request.OpenerDirector:
    redirects = _LimitedRedirects()
    redirects.max_redirections = getattr(settings, "FEEDS_MAX_REDIRECTS", DEFAULT_MAX_REDIRECTS)
    # No proxies from the environment: the address check must see the feed's own host.
    return urllib.request.build_opener(
        urllib.request.ProxyHandler({}), _GuardedHTTPHandler(), _GuardedHTTPSHandler(), redirects
    )
