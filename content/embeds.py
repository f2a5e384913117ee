"""Embedded players: which hosts may play inside an article, and at what address.

An ``<iframe>`` (or ``<embed>``/``<object>``) whose source is on one of
``settings.EMBED_HOSTS`` becomes a click-to-load facade: a link carrying
``data-embed`` that ``static/js/embeds.js`` swaps for a sandboxed frame when the
reader clicks it, so nothing loads from the player's host before then. The same
hosts make the ``frame-src`` of the Content-Security-Policy, so no other host
can ever be framed. Any other embed, and every ``<video>``/``<audio>``, becomes a
plain link to its source.
"""

from urllib.parse import urlsplit, urlunsplit

from django.conf import settings

# YouTube's own host sets cookies before anyone presses play; its no-cookie twin does not.
PRIVACY_FRIENDLY_HOSTS = {
    "youtube.com": "www.youtube-nocookie.com",
    "www.youtube.com": "www.youtube-nocookie.com",
    "m.youtube.com": "www.youtube-nocookie.com",
}


def player_url(source: str) -> str | None:
    """The https address to frame for ``source``, or None when its host may not be framed."""
    parts = urlsplit(source.strip())
    if parts.scheme.lower() not in ("http", "https", "") or not parts.hostname:
        return None
    host = PRIVACY_FRIENDLY_HOSTS.get(parts.hostname, parts.hostname)
    if host not in settings.EMBED_HOSTS:
        return None
    return urlunsplit(("https", host, parts.path, parts.query, ""))
