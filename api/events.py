"""Publish events: an article published, updated, unpublished, or a scheduled
article's time arriving, told to webhooks, the WebSub hub and search engines
(IndexNow, Baidu: ``api.indexing``, for publications and updates).

``articles_changed`` (see ``content.changes``) says *that* articles changed,
once their transaction has committed, so a rolled-back write (a dry-run
import) announces nothing. Whether a change is a publication is found by
comparing with what was last announced (:class:`~api.models.AnnouncedArticle`);
that record and the queued deliveries are written in one transaction.

A scheduled article goes live without any write: the worker (``run_worker``)
calls :func:`announce_due` every ``DUE_CHECK_SECONDS``, which announces the
articles whose time has come through the same signal, so the reader cache is
forgotten and webhooks are told exactly as for an editor's publish.
"""

import datetime as dt

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from api import indexing, tasks
from api.models import AnnouncedArticle, Event, Webhook
from content import changes
from content.models import Article
from content.signals import articles_changed

DUE_CHECK_SECONDS = 30
# How far back announce_due looks for articles that went live unannounced
# (a worker stopped for longer misses those older ones).
DUE_LOOKBACK = dt.timedelta(days=7)


def connect() -> None:
    articles_changed.connect(articles_changed_receiver, dispatch_uid="api-publish-events")


def articles_changed_receiver(sender, articles, deleted=False, **kwargs) -> None:
    with transaction.atomic():
        events = publish_events(articles, deleted=deleted)
        if events:
            enqueue(events)


def publish_events(articles: list[Article], *, deleted: bool = False) -> list[dict]:
    """The events these changes make, recorded as announced (one query per kind of change)."""
    live = {article.pk: article for article in articles if not deleted and article.is_live}
    gone = {article.pk: article for article in articles if article.pk not in live}
    newly_live = _mark_announced(list(live))
    newly_gone = _unmark_announced(list(gone))
    events = [event(Event.PUBLISHED if pk in newly_live else Event.UPDATED, article) for pk, article in live.items()]
    return events + [event(Event.UNPUBLISHED, gone[pk]) for pk in newly_gone]


def _mark_announced(ids: list[int]) -> set[int]:
    """Record ``ids`` as announced; returns those that were not already."""
    rows = ", ".join(["(%s)"] * len(ids))
    return _returned(f"INSERT INTO {_table()} (article_id) VALUES {rows} ON CONFLICT DO NOTHING", ids)


def _unmark_announced(ids: list[int]) -> set[int]:
    """Forget ``ids`` as announced; returns those that were."""
    return _returned(f"DELETE FROM {_table()} WHERE article_id IN ({', '.join(['%s'] * len(ids))})", ids)


def _returned(statement: str, ids: list[int]) -> set[int]:
    """The ids ``statement`` really inserted or deleted. ``RETURNING`` keeps this
    exact when two processes announce the same article at once: one of them wins."""
    if not ids:
        return set()
    with connection.cursor() as cursor:
        cursor.execute(f"{statement} RETURNING article_id", ids)
        return {row[0] for row in cursor.fetchall()}


def _table() -> str:
    return connection.ops.quote_name(AnnouncedArticle._meta.db_table)


def event(kind: Event, article: Article) -> dict:
    """What webhooks receive about ``article`` (taken now: a deleted article is gone later)."""
    return {
        "event": kind.value,
        "occurred_at": timezone.now().isoformat(),
        "article": {
            "id": article.pk,
            "slug": article.slug,
            "title": article.title,
            "url": settings.SITE_URL + article.get_absolute_url(),
            "published_at": article.published_at.isoformat() if article.published_at else None,
        },
    }


def enqueue(events: list[dict]) -> None:
    """Hand the events to the worker, if anyone listens."""
    if Webhook.objects.filter(is_active=True).exists():
        tasks.send_to_webhooks.enqueue(events)
    if settings.WEBSUB_HUB_URL:
        tasks.ping_hub.enqueue()
    if indexing.enabled() and (urls := _live_urls(events)):
        tasks.ping_search_engines.enqueue(urls)


def _live_urls(events: list[dict]) -> list[str]:
    """The addresses of the published and updated articles, for search engines to crawl again."""
    live = {Event.PUBLISHED.value, Event.UPDATED.value}
    return list(dict.fromkeys(e["article"]["url"] for e in events if e["event"] in live))


def announce_due(now: dt.datetime | None = None) -> int:
    """Announce the articles whose scheduled time has come unannounced; returns how many."""
    now = now or timezone.now()
    announced = AnnouncedArticle.objects.filter(article_id=OuterRef("pk"))
    recent = Article.objects.published().filter(published_at__gte=now - DUE_LOOKBACK)
    # Loaded as lists load them: other receivers of the signal may read categories and tags.
    due = list(recent.exclude(Exists(announced)).for_listing())
    changes.announce(due)
    return len(due)
