"""Source health: which feeds editors should look at, and telling them once.

An active feed is flagged when it has failed ``FEEDS_ALERT_FAILURES`` times in
a row (it is backing off meanwhile, see ``runner``), or when nothing has come
from it for ``FEEDS_SILENT_DAYS`` (since its last item, or since it was added
if it never gave one): a route that answers but has gone empty is as dead as
one that fails. Paused (inactive) feeds are never flagged.

Nothing here needs cron: each ``fetch_feeds`` round ends with
:func:`alert_editors`, which e-mails ``FEEDS_ALERT_EMAILS`` (when set) about
feeds newly flagged, once per episode.
"""

import datetime as dt

from django.conf import settings
from django.core.mail import send_mail
from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone

from content.models import Feed
from ingest.models import FeedHealth

DAYS_COUNTED = 30  # items per day are averaged over this many days


def with_last_item(feeds: QuerySet) -> QuerySet:
    """``feeds`` with ``last_item_at``, when the fetcher last loaded a new or changed item (a stored
    time, so the check each round costs no scan of the feeds' articles)."""
    return feeds.annotate(last_item_at=F("health__last_item_at"))


def with_health(feeds: QuerySet, now: dt.datetime | None = None) -> QuerySet:
    """:func:`with_last_item`, and ``items_30_days``: articles first seen in the last 30 days (the desk's list)."""
    since = (now or timezone.now()) - dt.timedelta(days=DAYS_COUNTED)
    return with_last_item(feeds).annotate(
        items_30_days=Count("sources", filter=Q(sources__article__created_at__gte=since))
    )


def flagged_filter(now: dt.datetime | None = None) -> Q:
    """Active feeds failing past the threshold or silent past it (on :func:`with_last_item` feeds)."""
    cutoff = (now or timezone.now()) - dt.timedelta(days=settings.FEEDS_SILENT_DAYS)
    failing = Q(consecutive_failures__gte=settings.FEEDS_ALERT_FAILURES)
    silent = Q(last_item_at__lt=cutoff) | Q(last_item_at__isnull=True, created_at__lt=cutoff)
    return Q(is_active=True) & (failing | silent)


def trouble(feed: Feed, now: dt.datetime | None = None) -> str:
    """What is wrong with a :func:`with_last_item` feed, for the desk ("" when nothing)."""
    now = now or timezone.now()
    if not feed.is_active:
        return ""
    if feed.consecutive_failures >= settings.FEEDS_ALERT_FAILURES:
        return f"连续失败 {feed.consecutive_failures} 次"
    silent_days = (now - (feed.last_item_at or feed.created_at)).days
    if silent_days >= settings.FEEDS_SILENT_DAYS:
        return f"{silent_days} 天无新内容"
    return ""


def alert_editors(now: dt.datetime | None = None) -> int:
    """E-mail ``FEEDS_ALERT_EMAILS`` about feeds flagged since the last alert; returns how many."""
    now = now or timezone.now()
    flagged = with_last_item(Feed.objects.select_related("category__parent__parent")).filter(flagged_filter(now))
    flagged_ids = set(flagged.values_list("pk", flat=True))
    # A feed that is well again may be mailed about next time it is in trouble.
    FeedHealth.objects.exclude(feed__in=flagged_ids).filter(alerted_at__isnull=False).update(alerted_at=None)
    if not settings.FEEDS_ALERT_EMAILS:
        return 0
    new = list(flagged.exclude(health__alerted_at__isnull=False))
    if not new:
        return 0
    lines = [f"- {feed.category} · {feed.url}：{trouble(feed, now)}" for feed in new]
    send_mail(
        f"[{settings.SITE_NAME}] {len(new)} 个订阅源需要关注",
        "以下订阅源连续失败或长时间没有新内容，可在后台“订阅源”列表中查看、暂停（停用）：\n\n" + "\n".join(lines),
        None,
        settings.FEEDS_ALERT_EMAILS,
    )
    for feed in new:
        FeedHealth.objects.update_or_create(feed=feed, defaults={"alerted_at": now})
    return len(new)


def record_success(feed: Feed, now: dt.datetime, *, new_items: bool) -> None:
    """The feed answered; ``new_items``: it brought new or changed items (it is not silent)."""
    fields = {"last_success_at": now} | ({"last_item_at": now} if new_items else {})
    FeedHealth.objects.update_or_create(feed=feed, defaults=fields)
