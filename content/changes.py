"""Announce article changes: one ``articles_changed`` signal per write, after it commits.

Every writer goes through ``Article.save()`` (or the importer's bulk path),
which calls :func:`changed`; so do categories and tags being added or removed
and an article being deleted (connected in ``ContentConfig.ready()``).
Outside a :func:`batch` a change is announced for each call; inside one, every
article changed in it is announced once, together, when the batch ends —
after its categories and tags are in place, which a plain ``save()`` cannot know.

Announcing has two halves. The listing rows (``content.listings``) are this
app's own derived data: ``CategoryListing.objects.refresh`` rewrites them at
once, inside the writer's transaction, so they commit or roll back with the
articles. Everything else
that follows a change (the reader's page cache, search documents, webhooks)
hears ``articles_changed``, sent by ``transaction.on_commit``: a reader who
arrives while the write is uncommitted cannot re-cache the old page under new
keys, and a rolled-back write announces nothing. Outside any transaction
(autocommit) the signal is sent at once. A receiver that fails is logged and
does not stop the others; the write itself has committed.
"""

import logging
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from functools import partial

from django.db import transaction

from content.models import CategoryListing
from content.signals import articles_changed, names_changed

logger = logging.getLogger(__name__)
_pending = threading.local()


@contextmanager
def batch() -> Iterator[None]:
    """Collect the changes made inside; announce them once at the end (nestable)."""
    if getattr(_pending, "articles", None) is not None:
        yield  # the outermost batch announces
        return
    _pending.articles = {}
    try:
        yield
        articles = list(_pending.articles.values())
    finally:
        _pending.articles = None
    announce(articles)


def changed(*articles) -> None:
    """These saved articles changed: announce now, or at the end of the current batch."""
    pending = getattr(_pending, "articles", None)
    if pending is None:
        announce(articles)
    else:
        pending.update((article.pk, article) for article in articles)


def announce(articles: Iterable, *, deleted: bool = False) -> None:
    """Refresh the articles' listing rows now; tell the other apps once the transaction commits."""
    articles = list(articles)
    if not articles:
        return
    if not deleted:  # a deleted article's rows went with it
        CategoryListing.objects.refresh(article.pk for article in articles)
    send = partial(_send, articles_changed, sender=type(articles[0]), articles=articles, deleted=deleted)
    transaction.on_commit(send)


def _send(signal, **arguments) -> None:
    for receiver, outcome in signal.send_robust(**arguments):
        if isinstance(outcome, Exception):
            logger.error("%s failed after a commit", receiver.__qualname__, exc_info=outcome)


def article_saved(sender, instance, raw=False, **kwargs) -> None:
    if not raw:
        changed(instance)


def article_deleted(sender, instance, **kwargs) -> None:
    announce([instance], deleted=True)


def article_filed(sender, instance, action, reverse, model, pk_set, **kwargs) -> None:
    """Categories or tags added or removed. Forward (``article.tags.add()``) the
    instance is the article; reverse (``category.articles.add()``) ``pk_set`` holds them."""
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if not reverse:
        changed(instance)
    elif pk_set:
        changed(*model.objects.filter(pk__in=pk_set))


def name_saved(sender, instance, created=False, **kwargs) -> None:
    """An author, category or tag saved: its pages and every page naming it are told after commit."""
    transaction.on_commit(partial(_send, names_changed, sender=sender, instance=instance, created=created))


def name_deleted(sender, instance, **kwargs) -> None:
    name_saved(sender, instance, created=False)
