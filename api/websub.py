"""WebSub (https://www.w3.org/TR/websub/): the site's feeds name a hub, and
publishing tells the hub that they changed, so subscribers hear at once
instead of polling. Only with ``WEBSUB_HUB_URL`` set; the ping needs
``SITE_URL`` too, since the hub fetches the feeds by their public address."""

import logging
import time
import urllib.parse
import urllib.request

from django.conf import settings
from django.urls import reverse

from newsroom.http import ERRORS, failure, opener, read

log = logging.getLogger(__name__)
FEEDS = ("articles:feed", "articles:feed-atom")


def feed_urls() -> list[str]:
    return [settings.SITE_URL + reverse(name) for name in FEEDS]


def ping() -> str:
    """Tell the hub the site's feeds changed; returns what went wrong, or ""."""
    if not settings.SITE_URL:
        log.warning("WEBSUB_HUB_URL is set but SITE_URL is not: the hub cannot be told which feeds changed")
        return "SITE_URL is not set"
    data = urllib.parse.urlencode([("hub.mode", "publish"), *(("hub.url", url) for url in feed_urls())])
    request = urllib.request.Request(settings.WEBSUB_HUB_URL, data=data.encode(), method="POST")
    deadline = time.monotonic() + settings.WEBHOOK_TIMEOUT
    try:
        with _opener().open(request, timeout=settings.WEBHOOK_TIMEOUT) as response:
            read(response, deadline, 64 * 1024)
    except ERRORS as exc:
        problem = failure(exc, timeout=settings.WEBHOOK_TIMEOUT)
        log.warning("WebSub hub %s: %s", settings.WEBSUB_HUB_URL, problem)
        return problem
    return ""


def _opener():
    return opener(allow_private=settings.WEBHOOK_ALLOW_PRIVATE_HOSTS, max_redirects=3)
