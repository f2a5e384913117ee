"""热门: the most-read articles of the last 24 hours and 7 days.

Pages are served from a cache, so a read is counted by a small beacon the page
sends (``views.count_read``), never by rendering. A read counts once per client
and article in ``READ_REPEAT_SECONDS``; bots don't count. Counts go per hour to
Redis (a sorted set per hour) when ``REDIS_URL`` is set, else to ``ReadCount``
rows; if Redis fails, to the rows.

The lists are not queried per page view: :func:`most_read` reads them from the
cache, and the beacon that finds them older than ``MOST_READ_REFRESH_SECONDS``,
or stale because an article changed (``articles_changed``), computes them again
(:func:`refresh`), once for all processes.
"""

import datetime as dt
import hashlib
import logging
import re
from dataclasses import dataclass
from functools import cache

import redis
from django.conf import settings
from django.core.cache import caches
from django.db import IntegrityError, transaction
from django.db.models import F, Sum
from django.utils import timezone

from content.models import Article, ReadCount
from newsroom.clients import client_address
from reader.queries import LINK_FIELDS

log = logging.getLogger("newsroom.most_read")

LIST_LENGTH = 8
PERIODS = {"day": dt.timedelta(hours=24), "week": dt.timedelta(days=7)}
# Crawlers, link previews, scripts and headless browsers.
BOT_AGENT = re.compile(r"bot|crawl|spider|slurp|preview|fetch|monitor|curl|wget|python|java/|go-http|headless", re.I)
LISTS_KEY = "most-read:lists"
FRESH_KEY = "most-read:fresh"
REDIS_HOUR_KEY = "newsroom:reads:{:%Y%m%d%H}"
REDIS_KEEP_SECONDS = 8 * 24 * 3600


@dataclass(frozen=True)
class ReadItem:
    """One line of a 热门 list (what the template shows, no model instance in the cache)."""

    title: str
    url: str
    published_at: dt.datetime
    reads: int


def is_bot(user_agent: str) -> bool:
    return not user_agent or bool(BOT_AGENT.search(user_agent))


def client_id(request) -> str:
    """Address and browser, hashed: enough to tell repeat reads apart, nothing kept about the reader."""
    agent = request.headers.get("User-Agent", "")
    return hashlib.sha256(f"{client_address(request)}|{agent}".encode()).hexdigest()[:32]


def count_read(request, article_id: int) -> bool:
    """Count a read of ``article_id`` by this request's client; False if it does not count."""
    if is_bot(request.headers.get("User-Agent", "")):
        return False
    first = caches["default"].add(f"read:{client_id(request)}:{article_id}", 1, settings.READ_REPEAT_SECONDS)
    if not first:
        return False
    hour = timezone.now().replace(minute=0, second=0, microsecond=0)
    if not _count_in_redis(article_id, hour):
        _count_in_database(article_id, hour)
    return True


def most_read() -> dict[str, list[ReadItem]]:
    """The lists as last computed: ``{"day": [...], "week": [...]}`` (empty before the first read)."""
    return caches["default"].get(LISTS_KEY) or {period: [] for period in PERIODS}


def refresh_if_stale() -> None:
    if caches["default"].add(FRESH_KEY, 1, settings.MOST_READ_REFRESH_SECONDS):
        refresh()


def mark_stale() -> None:
    """The next read computes the lists again (an article in them may have changed)."""
    caches["default"].delete(FRESH_KEY)


def refresh() -> dict[str, list[ReadItem]]:
    """Compute both lists (published articles only) and keep them for the pages."""
    this_hour = timezone.now().replace(minute=0, second=0, microsecond=0)
    counts = {period: _top_counts(_hours(this_hour, length)) for period, length in PERIODS.items()}
    wanted = {pk for ranking in counts.values() for pk, _ in ranking}
    articles = Article.objects.published().filter(pk__in=wanted).only(*LINK_FIELDS).in_bulk()
    lists = {
        period: [
            ReadItem(articles[pk].title, articles[pk].get_absolute_url(), articles[pk].published_at, reads)
            for pk, reads in ranking
            if pk in articles
        ][:LIST_LENGTH]
        for period, ranking in counts.items()
    }
    caches["default"].set(LISTS_KEY, lists, timeout=None)
    ReadCount.objects.filter(hour__lt=this_hour - max(PERIODS.values())).delete()
    return lists


def _hours(this_hour: dt.datetime, length: dt.timedelta) -> list[dt.datetime]:
    """The hourly buckets of the last ``length``, this (unfinished) hour first."""
    return [this_hour - dt.timedelta(hours=h) for h in range(int(length / dt.timedelta(hours=1)))]


def _top_counts(hours: list[dt.datetime]) -> list[tuple[int, int]]:
    """``(article id, reads)`` most read first, with room for articles no longer published."""
    fetch = LIST_LENGTH * 3
    client = _redis()
    if client is not None:
        try:
            ranked = client.zunion([REDIS_HOUR_KEY.format(hour) for hour in hours], withscores=True)
            return [(int(pk), int(score)) for pk, score in sorted(ranked, key=lambda pair: -pair[1])[:fetch]]
        except redis.RedisError as exc:
            log.warning("most read: Redis unavailable, counting from the database: %s", exc)
    rows = ReadCount.objects.filter(hour__gte=hours[-1]).values("article_id")
    ranked = rows.annotate(total=Sum("reads")).order_by("-total", "-article_id")[:fetch]
    return [(row["article_id"], row["total"]) for row in ranked]


@cache
def _redis() -> redis.Redis | None:
    if not settings.REDIS_URL:
        return None
    return redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=0.25, socket_timeout=0.5)


def _count_in_redis(article_id: int, hour: dt.datetime) -> bool:
    client = _redis()
    if client is None:
        return False
    key = REDIS_HOUR_KEY.format(hour)
    try:
        client.pipeline().zincrby(key, 1, article_id).expire(key, REDIS_KEEP_SECONDS).execute()
    except redis.RedisError as exc:
        log.warning("most read: Redis unavailable, counting in the database: %s", exc)
        return False
    return True


def _count_in_database(article_id: int, hour: dt.datetime) -> None:
    counted = ReadCount.objects.filter(article_id=article_id, hour=hour)
    if counted.update(reads=F("reads") + 1):
        return
    try:
        with transaction.atomic():
            ReadCount.objects.create(article_id=article_id, hour=hour, reads=1)
    except IntegrityError:  # another process created the row first
        counted.update(reads=F("reads") + 1)
