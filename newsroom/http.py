"""Guarded HTTP GET for URLs that come from outside: feeds and the images of imported posts.

Those URLs are typed in by editors, read from config files or found in crawled
pages, so the opener only speaks http(s) (no file:, ftp: or data: handlers),
follows a few redirects, ignores proxies from the environment and refuses hosts
that resolve to an address that is not globally routable (server-side request
forgery) unless the caller allows them: private, loopback, link-local,
multicast, and IPv6 forms that carry such an IPv4 address inside (IPv4-mapped
and -compatible, NAT64, 6to4) or tunnel to one (Teredo). The check is made on
the address actually connected to, for every hop of a redirect, so a DNS answer
cannot change between the check and the connection.

The ``timeout`` given to ``open`` bounds each hop as a whole, not each read: a
server trickling its headers a byte at a time is cut off when it runs out.

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
import io
import ipaddress
import socket
import time
import urllib.error
import urllib.request
from urllib.parse import quote, urlsplit, urlunsplit

SCHEMES = ("http", "https")
CHUNK_SIZE = 64 * 1024
PRINTABLE_ASCII = "".join(map(chr, range(33, 127)))


class FetchError(Exception):
    """A refused or failed fetch, with a message meant for a person."""


# Everything a fetch can raise: ascii_url raises ValueError (UnicodeError) for some hosts.
ERRORS = (FetchError, OSError, http.client.HTTPException, ValueError)


def human_size(n: int, bytes_unit: str = "bytes") -> str:
    """``n`` bytes as ``1.5 MB``, ``12 KB`` or ``300 bytes`` (``bytes_unit`` names the last)."""
    for unit, scale in (("MB", 1 << 20), ("KB", 1 << 10)):
        if n >= scale:
            return f"{n / scale:.3g} {unit}"
    return f"{n} {bytes_unit}"


def ascii_url(url: str) -> str:
    """``url`` as http.client accepts it: IDNA host, percent-encoded path and query."""
    parts = urlsplit(url.strip())
    netloc = parts.netloc if parts.netloc.isascii() else parts.netloc.encode("idna").decode("ascii")
    path, query = (quote(part, safe=PRINTABLE_ASCII) for part in (parts.path, parts.query))
    return urlunsplit((parts.scheme, netloc, path, query, ""))


def opener(*, allow_private: bool, max_redirects: int) -> urllib.request.OpenerDirector:
    """An http(s)-only opener that connects only to public addresses (unless ``allow_private``).

    Built by hand: ``build_opener`` would add file:, ftp: and data: handlers and
    proxies from the environment (the address check must see the URL's own host)."""
    redirects = _LimitedRedirects()
    redirects.max_redirections = max_redirects
    director = urllib.request.OpenerDirector()
    for handler in (
        _GuardedHTTPHandler(allow_private),
        _GuardedHTTPSHandler(allow_private),
        redirects,
        urllib.request.HTTPDefaultErrorHandler(),
        urllib.request.HTTPErrorProcessor(),
        urllib.request.UnknownHandler(),
    ):
        director.add_handler(handler)
    return director


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
            if not is_public(address):
                raise FetchError(f"{host} resolves to a non-public address ({address}); refused")
    return found


# IPv6 ranges whose last 32 bits are an IPv4 address: IPv4-compatible (deprecated) and NAT64.
IPV4_IN_LOW_BITS = (ipaddress.ip_network("::/96"), ipaddress.ip_network("64:ff9b::/96"))
# Local-use NAT64 (RFC 8215) translates to whatever the operator chose: never public.
LOCAL_NAT64 = ipaddress.ip_network("64:ff9b:1::/48")


def is_public(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    """Whether ``address`` is globally routable unicast, judging an IPv6 address
    that carries an IPv4 one by the IPv4 address inside."""
    if not address.is_global or address.is_multicast:
        return False
    if address.version == 4:
        return True
    if address.teredo or address in LOCAL_NAT64:
        return False
    if embedded := address.ipv4_mapped or address.sixtofour:
        return is_public(embedded)
    if any(address in network for network in IPV4_IN_LOW_BITS):
        return is_public(ipaddress.IPv4Address(int(address) & 0xFFFFFFFF))
    return True


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


class _DeadlineReader(io.RawIOBase):
    """A socket's reader whose every read waits only for the time left before ``deadline``."""

    def __init__(self, sock: socket.socket, deadline: float | None):
        super().__init__()
        self.sock, self.raw, self.deadline = sock, sock.makefile("rb", buffering=0), deadline

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        if self.deadline is not None:
            left = self.deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError("timed out")
            self.sock.settimeout(left)
        return self.raw.readinto(buffer)

    def close(self) -> None:
        self.raw.close()
        super().close()


class _DeadlineResponse(http.client.HTTPResponse):
    """Status line, headers and body read against the connection's deadline."""

    def __init__(self, sock, *args, deadline: float | None, **kwargs):
        super().__init__(sock, *args, **kwargs)
        unbounded, self.fp = self.fp, io.BufferedReader(_DeadlineReader(sock, deadline))
        unbounded.close()


class _GuardedConnection:
    """Connects through :func:`_guarded_connection`; the timeout bounds the whole exchange."""

    def __init__(self, *args, allow_private: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self._create_connection = functools.partial(_guarded_connection, allow_private=allow_private)
        timeout = kwargs.get("timeout")
        deadline = time.monotonic() + timeout if isinstance(timeout, (int, float)) else None
        self.response_class = functools.partial(_DeadlineResponse, deadline=deadline)


class _GuardedHTTPConnection(_GuardedConnection, http.client.HTTPConnection):
    pass


class _GuardedHTTPSConnection(_GuardedConnection, http.client.HTTPSConnection):
    pass


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
