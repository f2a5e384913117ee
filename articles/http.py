"""Guarded HTTP GET for URLs that come from outside: feeds and the images of imported posts.

Those URLs are typed in by editors, read from config files or found in crawled
pages, so the opener only speaks http(s), follows a few redirects, ignores
proxies from the environment and refuses hosts that resolve to private,
loopback, link-local or otherwise non-public addresses (server-side request
forgery) unless the caller allows them. The check is made on the address
actually connected to, for every hop of a redirect, so a DNS answer cannot
change between the check and the connection.

Callers turn whatever goes wrong into their own error with :func:`failure`::

    try:
        request = urllib.request.Request(ascii_url(url))
        with opener(allow_private=False, max_redirects=3).open(request, timeout=10) as response:
            body = read(response, time.monotonic() + 10, limit=1024 * 1024)
    except ERRORS as exc:
        raise MyError(failure(exc, timeout=10)) from exc
"""

import functools
import http.client
import ipaddress
import socket
import time
import urllib.error
import urllib.request
from urllib.parse import quote, urlsplit, urlunsplit

from articles.images import human_size

SCHEMES = ("http", "https")
CHUNK_SIZE = 64 * 1024
PRINTABLE_ASCII = "".join(map(chr, range(33, 127)))


class FetchError(Exception):
    """A refused or failed fetch, with a message meant for a person."""


# Everything a fetch can raise: ascii_url raises ValueError (UnicodeError) for some hosts.
ERRORS = (FetchError, OSError, http.client.HTTPException, ValueError)


def ascii_url(url: str) -> str:
    """``url`` as http.client accepts it: IDNA host, percent-encoded path and query."""
    parts = urlsplit(url.strip())
    netloc = parts.netloc if parts.netloc.isascii() else parts.netloc.encode("idna").decode("ascii")
    path, query = (quote(part, safe=PRINTABLE_ASCII) for part in (parts.path, parts.query))
    return urlunsplit((parts.scheme, netloc, path, query, ""))


def opener(*, allow_private: bool, max_redirects: int) -> urllib.request.OpenerDirector:
    """An opener that connects only to public addresses (unless ``allow_private``)."""
    redirects = _LimitedRedirects()
    redirects.max_redirections = max_redirects
    # No proxies from the environment: the address check must see the URL's own host.
    return urllib.request.build_opener(
        urllib.request.ProxyHandler({}),
        _GuardedHTTPHandler(allow_private),
        _GuardedHTTPSHandler(allow_private),
        redirects,
    )


def read(response, deadline: float, limit: int) -> bytes:
    """The body, refused past ``limit`` bytes (reading at most one byte more) or the deadline."""
    length = response.headers.get("Content-Length", "")
    if length.isdigit() and int(length) > limit:
        raise FetchError(f"is {human_size(int(length))}, over the {human_size(limit)} limit")
    chunks, size = [], 0
    while chunk := response.read1(min(CHUNK_SIZE, limit + 1 - size)):
        size += len(chunk)
        if size > limit:
            raise FetchError(f"is over the {human_size(limit)} limit")
        if time.monotonic() > deadline:
            raise TimeoutError
        chunks.append(chunk)
    return b"".join(chunks)


def failure(exc: Exception, timeout: float) -> str:
    """Why a fetch failed, for one of :data:`ERRORS` (an ``HTTPError`` is closed here)."""
    if isinstance(exc, FetchError):
        return str(exc)
    if isinstance(exc, urllib.error.HTTPError):
        exc.close()
        return f"HTTP {exc.code} {exc.reason}"
    if isinstance(exc, TimeoutError) or isinstance(getattr(exc, "reason", None), TimeoutError):
        return f"timed out after {timeout:g} s"
    if isinstance(exc, urllib.error.URLError):
        return f"cannot fetch it ({exc.reason})"
    return f"cannot fetch it ({type(exc).__name__}: {exc})"


def public_addresses(host: str, port: int, allow_private: bool) -> list[tuple]:
    """``getaddrinfo`` results for ``host``, refused if any address is not public (unless allowed)."""
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise FetchError(f"cannot resolve {host} ({exc.strerror})") from exc
    if not allow_private:
        for *_, sockaddr in found:
            address = ipaddress.ip_address(sockaddr[0].split("%")[0])
            if not address.is_global:
                raise FetchError(f"{host} resolves to a non-public address ({address}); refused")
    return found


def _guarded_connection(
    address, timeout=socket._GLOBAL_DEFAULT_TIMEOUT, source_address=None, *, allow_private: bool, **kwargs
):
    """``socket.create_connection`` to an address vetted by :func:`public_addresses`."""
    host, port = address
    error: OSError | None = None
    for family, kind, proto, _, sockaddr in public_addresses(host, port, allow_private):
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
    def __init__(self, *args, allow_private: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self._create_connection = functools.partial(_guarded_connection, allow_private=allow_private)


class _GuardedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, *args, allow_private: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self._create_connection = functools.partial(_guarded_connection, allow_private=allow_private)


class _GuardedHTTPHandler(urllib.request.HTTPHandler):
    def __init__(self, allow_private: bool):
        super().__init__()
        self.allow_private = allow_private

    def http_open(self, req):
        return self.do_open(functools.partial(_GuardedHTTPConnection, allow_private=self.allow_private), req)


class _GuardedHTTPSHandler(urllib.request.HTTPSHandler):
    def __init__(self, allow_private: bool):
        super().__init__()
        self.allow_private = allow_private

    def https_open(self, req):
        connection = functools.partial(_GuardedHTTPSConnection, allow_private=self.allow_private)
        return self.do_open(connection, req, context=self._context)


class _LimitedRedirects(urllib.request.HTTPRedirectHandler):
    """Follows ``max_redirections`` redirects, and only to http(s) URLs (urllib would also follow ftp)."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        if urlsplit(newurl).scheme.lower() not in SCHEMES:
            fp.close()
            raise FetchError(f"redirected to a non-HTTP URL ({newurl})")
        if sum(getattr(req, "redirect_dict", {}).values()) >= self.max_redirections:
            fp.close()
            raise FetchError(f"more than {self.max_redirections} redirects")
        return super().redirect_request(req, fp, code, msg, headers, newurl)
