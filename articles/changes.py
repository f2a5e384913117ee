"""Announce article changes: one ``articles_changed`` signal per write.

Every writer goes through ``Article.save()`` (or the importer's bulk path),
which calls :func:`changed`; so do categories and tags being added or removed
and an article being deleted (the receivers below). Outside a :func:`batch` a
change is announced at once; inside one, every article changed in it is
announced once, together, when the batch ends — after its categories and tags
are in place, which a plain ``save()`` cannot know. A batch that ends with an
exception announces nothing: its transaction was rolled back.

What follows a change (the reader cache, search documents, …) subscribes to
the signal in ``articles.signals``.
"""

import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from django.db.models.signals import m2m_changed, post_delete

from articles.signals import articles_changed

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
    articles = list(articles)
    if articles:
        articles_changed.send(sender=type(articles[0]), articles=articles, deleted=deleted)


def _article_deleted(sender, instance, **kwargs):
    announce([instance], deleted=True)


def _article_filed(sender, instance, action, reverse, model, pk_set, **kwargs):
    """Categories or tags added or removed. Forward (``article.tags.add()``) the
    instance is the article; reverse (``category.articles.add()``) ``pk_set`` holds them."""
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if not reverse:
        changed(instance)
    elif pk_set:
        changed(*model.objects.filter(pk__in=pk_set))


def connect(article_model) -> None:
    post_delete.connect(_article_deleted, sender=article_model, dispatch_uid="articles-changed-delete")
    for field in ("categories", "tags"):
        through = getattr(article_model, field).through
        m2m_changed.connect(_article_filed, sender=through, dispatch_uid=f"articles-changed-{field}")
