"""Search documents follow their articles: rebuilt once a change has committed
(``content.signals``); a deleted article's document goes with it (cascade).
A few articles (an editor's save, a feed item, a small import) are indexed at
once, so they are found as soon as the save returns; a bigger change (an
import's batch) is queued for the worker (``search.tasks.index_articles``),
which keeps the import fast. Failing to queue is logged: the save has
committed and stays."""

from django.conf import settings

from content.signals import articles_changed
from newsroom.work import now_or_queued
from search.documents import index
from search.tasks import index_articles


def index_changed(sender, articles, deleted=False, **kwargs) -> None:
    if not deleted:
        ids = [article.pk for article in articles]
        now_or_queued(ids, limit=settings.SEARCH_INLINE_LIMIT, run=index, task=index_articles, what="search documents")


def connect() -> None:
    articles_changed.connect(index_changed, dispatch_uid="search-documents")
