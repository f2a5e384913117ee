"""Telling search engines that articles were published or changed, so they are
crawled at once instead of at the next visit: IndexNow (Bing, Yandex, Naver,
Seznam… share submissions, https://www.indexnow.org/documentation) and Baidu's
push API (百度搜索资源平台 › 普通收录 › API提交). Like the WebSub ping, each is
on only when configured, needs ``SITE_URL`` (the engines fetch public
addresses), and runs in the worker (``api.tasks.ping_search_engines``).

- IndexNow: ``INDEXNOW_KEY`` (8 to 128 of ``a-zA-Z0-9-``); the site proves it
  owns the key by serving it at ``/<key>.txt`` (:func:`key_file`), and posts
  ``{"host", "key", "keyLocation", "urlList"}`` as JSON to ``INDEXNOW_ENDPOINT``.
- Baidu: ``BAIDU_PUSH_TOKEN`` from the site's page there; the URLs are posted
  as plain text, one a line, to ``BAIDU_PUSH_ENDPOINT?site=SITE_URL&token=…``,
  which answers ``{"success": n, "remain": m}`` or ``{"error": …, "message": …}``.
"""

import json
import logging
import re
import time
import urllib.parse
import urllib.request
from urllib.parse import urlsplit

from django.conf import settings
from django.http import Http404, HttpResponse

from newsroom.http import ERRORS, failure, opener, read

log = logging.getLogger(__name__)
KEY = re.compile(r"^[a-zA-Z0-9-]{8,128}$")
INDEXNOW_MAX_URLS = 10_000  # per request, by the protocol


def enabled() -> bool:
    return bool(settings.INDEXNOW_KEY or settings.BAIDU_PUSH_TOKEN)


def key_file(request, key: str) -> HttpResponse:
    """``/<key>.txt``: the IndexNow key, which proves the submissions are the site's own."""
    if not settings.INDEXNOW_KEY or key != settings.INDEXNOW_KEY:
        raise Http404
    return HttpResponse(key, content_type="text/plain; charset=utf-8")


def ping(urls: list[str]) -> list[str]:
    """Submit ``urls`` to every configured engine; returns what went wrong (empty: nothing)."""
    if not settings.SITE_URL:
        log.warning("INDEXNOW_KEY or BAIDU_PUSH_TOKEN is set but SITE_URL is not: no engine can be told")
        return ["SITE_URL is not set"]
    problems = []
    if settings.INDEXNOW_KEY:
        problems += _indexnow(urls)
    if settings.BAIDU_PUSH_TOKEN:
        problems += _baidu(urls)
    return problems


def _indexnow(urls: list[str]) -> list[str]:
    if not KEY.match(settings.INDEXNOW_KEY):
        return ["IndexNow: INDEXNOW_KEY must be 8 to 128 letters, digits or dashes"]
    problems = []
    for start in range(0, len(urls), INDEXNOW_MAX_URLS):
        body = {
            "host": urlsplit(settings.SITE_URL).hostname,
            "key": settings.INDEXNOW_KEY,
            "keyLocation": f"{settings.SITE_URL}/{settings.INDEXNOW_KEY}.txt",
            "urlList": urls[start : start + INDEXNOW_MAX_URLS],
        }
        answer = _post(settings.INDEXNOW_ENDPOINT, json.dumps(body).encode(), "application/json; charset=utf-8")
        if answer.problem:
            problems.append(f"IndexNow: {answer.problem}")
    return problems


def _baidu(urls: list[str]) -> list[str]:
    query = urllib.parse.urlencode({"site": settings.SITE_URL, "token": settings.BAIDU_PUSH_TOKEN})
    answer = _post(f"{settings.BAIDU_PUSH_ENDPOINT}?{query}", "\n".join(urls).encode(), "text/plain")
    if answer.problem:
        return [f"Baidu: {answer.problem}"]
    try:
        result = json.loads(answer.body or b"{}")
    except ValueError:
        return ["Baidu: the answer is not JSON"]
    if "error" in result:
        return [f"Baidu: {result.get('error')} {result.get('message', '')}".rstrip()]
    return []


class _Answer:
    def __init__(self, body: bytes = b"", problem: str = ""):
        self.body, self.problem = body, problem


def _post(url: str, data: bytes, content_type: str) -> _Answer:
    request = urllib.request.Request(url, data=data, method="POST", headers={"Content-Type": content_type})
    timeout = settings.WEBHOOK_TIMEOUT
    try:
        guarded = opener(allow_private=settings.WEBHOOK_ALLOW_PRIVATE_HOSTS, max_redirects=3)
        with guarded.open(request, timeout=timeout) as response:
            return _Answer(read(response, time.monotonic() + timeout, 64 * 1024))
    except ERRORS as exc:
        problem = failure(exc, timeout=timeout)
        log.warning("search engine ping %s: %s", url.split("?")[0], problem)
        return _Answer(problem=problem)
