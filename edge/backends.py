"""One class per edge cache: how to purge keys there, and what a page must say for it.

Each follows its own documentation:
- Varnish with varnish-modules' xkey (``deploy/varnish/newsroom.vcl``): ``PURGE``
  to ``EDGE_PURGE_URL`` with the keys in ``xkey-purge``; the page's keys reach
  xkey from ``Surrogate-Key``, its edge lifetime from ``Surrogate-Control``.
- Fastly: ``POST {FASTLY_API_URL}/service/{id}/purge`` with ``Surrogate-Key``
  (at most 256 keys a request) and ``Fastly-Key``; Fastly reads the page's
  ``Surrogate-Key`` and ``Surrogate-Control`` itself.
- Cloudflare: ``POST {CLOUDFLARE_API_URL}/zones/{id}/purge_cache`` with
  ``{"tags": [...]}`` (at most 30 a request) and a bearer token; pages carry
  ``Cache-Tag`` and ``Cloudflare-CDN-Cache-Control``.
"""

import json
import time
import urllib.request
from collections.abc import Iterable

from django.conf import settings

from newsroom.http import ERRORS, failure, opener, read

ANSWER_MAX_BYTES = 64 * 1024


class PurgeFailed(Exception):
    pass


class EdgeBackend:
    batch = 256  # keys per purge request

    def purge(self, keys: Iterable[str]) -> None:
        keys = sorted(set(keys))
        for start in range(0, len(keys), self.batch):
            self._send(self.request(keys[start : start + self.batch]))

    def request(self, keys: list[str]) -> urllib.request.Request:
        raise NotImplementedError

    def page_headers(self, keys: list[str]) -> dict[str, str]:
        return {"Surrogate-Control": f"max-age={settings.EDGE_CACHE_SECONDS}"}

    def _send(self, request: urllib.request.Request) -> None:
        """Purge endpoints are the operator's own configuration, not input, so private addresses are allowed."""
        timeout = settings.EDGE_PURGE_TIMEOUT
        started = time.monotonic()
        try:
            with opener(allow_private=True, max_redirects=0).open(request, timeout=timeout) as response:
                answer = read(response, started + timeout, ANSWER_MAX_BYTES)
        except ERRORS as exc:
            raise PurgeFailed(f"{request.get_method()} {request.full_url}: {failure(exc, timeout=timeout)}") from exc
        self.check(answer)

    def check(self, answer: bytes) -> None:
        """Raise PurgeFailed if a 2xx answer still says the purge did not happen."""


class Varnish(EdgeBackend):
    def request(self, keys):
        return urllib.request.Request(settings.EDGE_PURGE_URL, method="PURGE", headers={"xkey-purge": " ".join(keys)})


class Fastly(EdgeBackend):
    def request(self, keys):
        url = f"{settings.FASTLY_API_URL}/service/{settings.FASTLY_SERVICE_ID}/purge"
        headers = {
            "Fastly-Key": settings.FASTLY_API_TOKEN,
            "Surrogate-Key": " ".join(keys),
            "Accept": "application/json",
        }
        return urllib.request.Request(url, method="POST", headers=headers)


class Cloudflare(EdgeBackend):
    batch = 30

    def request(self, keys):
        url = f"{settings.CLOUDFLARE_API_URL}/zones/{settings.CLOUDFLARE_ZONE_ID}/purge_cache"
        headers = {"Authorization": f"Bearer {settings.CLOUDFLARE_API_TOKEN}", "Content-Type": "application/json"}
        return urllib.request.Request(url, data=json.dumps({"tags": keys}).encode(), method="POST", headers=headers)

    def page_headers(self, keys):
        return {"Cache-Tag": ",".join(keys), "Cloudflare-CDN-Cache-Control": f"max-age={settings.EDGE_CACHE_SECONDS}"}

    def check(self, answer):
        try:
            succeeded = json.loads(answer).get("success") is True
        except ValueError:
            succeeded = False
        if not succeeded:
            raise PurgeFailed(f"Cloudflare answered {answer[:500]!r}")


BACKENDS = {"varnish": Varnish, "fastly": Fastly, "cloudflare": Cloudflare}


def current() -> EdgeBackend | None:
    """The edge ``EDGE_BACKEND`` names, or None when the site has none."""
    name = settings.EDGE_BACKEND
    return BACKENDS[name]() if name else None
