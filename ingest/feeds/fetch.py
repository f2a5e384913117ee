"""HTTP for feeds: conditional GET with a time limit, a size cap and few redirects.

Feed URLs are typed in by editors or come from a config file, so the fetcher
uses the guarded opener of ``newsroom.http``: http(s) only, and no private,
loopback, link-local or otherwise non-public address on any hop (server-side
request forgery), unless ``FEEDS_ALLOW_PRIVATE_HOSTS`` is true. Limits are
settings (``newsroom/settings.py``):

- ``FEEDS_TIMEOUT``: seconds per feed, connecting and downloading (10)
- ``FEEDS_MAX_BYTES``: largest response accepted (5 MB)
- ``FEEDS_MAX_REDIRECTS``: redirects followed (3)

The one exception to the address check is the site's own RSSHub instance
(``RSSHUB_BASE_URL``): it usually runs beside Newsroom, at a private or
loopback address, and the operator chose it.
"""

import ipaddress
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings

from newsroom.http import ERRORS, SCHEMES, ascii_url, failure, is_public, opener, read

USER_AGENT = "Mozilla/5.0 (compatible; NewsroomFeeds/1.0)"
ACCEPT = "application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.1"


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
    timeout = settings.FEEDS_TIMEOUT
    limit = settings.FEEDS_MAX_BYTES
    headers = {"User-Agent": USER_AGENT, "Accept": ACCEPT}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    try:  # ascii_url raises for some hosts URLValidator accepts ("http://\xad.com/")
        request = urllib.request.Request(ascii_url(url), headers=headers)
        with _opener(url).open(request, timeout=timeout) as response:
            body = read(response, time.monotonic() + timeout, limit)
            return Response(
                body=body,
                content_type=response.headers.get("Content-Type", ""),
                etag=response.headers.get("ETag", ""),
                last_modified=response.headers.get("Last-Modified", ""),
            )
    except urllib.error.HTTPError as exc:
        if exc.code == 304:
            exc.close()
            return Response(etag=etag, last_modified=last_modified, not_modified=True)
        raise FeedError(failure(exc, timeout)) from exc
    except ERRORS as exc:
        raise FeedError(failure(exc, timeout)) from exc


def check_url(url: str) -> None:
    parts = urlsplit(url)
    if parts.scheme.lower() not in SCHEMES or not parts.hostname:
        raise FeedError("only http(s) URLs with a host can be fetched")


def check_subscribable(url: str) -> None:
    """Before subscribing, refuse what can be told from the URL alone: not
    http(s), no host, or a private address written out (a name is checked on
    each fetch, where it is resolved)."""
    check_url(url)
    host = urlsplit(url).hostname
    if not private_allowed(url) and _private_literal(host):
        raise FeedError(f"{host} is a non-public address; refused")


def private_allowed(url: str) -> bool:
    """Whether ``url`` may be at a private address: in tests, or on the site's own RSSHub instance."""
    return settings.FEEDS_ALLOW_PRIVATE_HOSTS or _on_own_rsshub(url)


def _on_own_rsshub(url: str) -> bool:
    if not settings.RSSHUB_BASE_URL:
        return False
    ours, theirs = urlsplit(settings.RSSHUB_BASE_URL), urlsplit(url)
    return (ours.scheme.lower(), ours.netloc.lower()) == (theirs.scheme.lower(), theirs.netloc.lower())


def _private_literal(host: str) -> bool:
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return not is_public(ipaddress.ip_address(host))
    except ValueError:  # a name, not an address
        return False


def _opener(url: str) -> urllib.request.OpenerDirector:
    return opener(allow_private=private_allowed(url), max_redirects=settings.FEEDS_MAX_REDIRECTS)
