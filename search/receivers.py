"""Search documents follow their articles: rebuilt once a change has committed
(``content.signals``); a deleted article's document goes with it (cascade).
A few articles (an editor's save, a feed item, a small import) are indexed at
once, so they are found as soon as the save returns; a bigger change (an
import's batch) is queued for the worker (``search.tasks.index_articles``),
which keeps the import fast. Failing to queue is logged: the save has
committed and stays."""

import logging

from django.conf import settings

from content.signals import articles_changed
from search.documents import index
from search.tasks import index_articles

logger = logging.getLogger(__name__)


def index_changed(sender, articles, deleted=False, **kwargs) -> None:
    if deleted:
        return
    ids = [article.pk for article in articles]
    if len(ids) <= settings.SEARCH_INLINE_LIMIT:
        index(ids)
    else:
        try:
            index_articles.enqueue(ids)
        except Exception:
            logger.exception("could not queue the search documents of %d articles", len(ids))


def connect() -> None:
    articles_changed.connect(index_changed, dispatch_uid="search-documents")
