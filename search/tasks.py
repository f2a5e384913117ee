"""Background work of the search app, run by the worker (``run_worker``)."""

import logging

from django_tasks import task
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from search import backends
from search.documents import index, rebuild
from search.signals import documents_indexed

logger = logging.getLogger(__name__)


@task()
def rebuild_search_documents(article_ids: list[int] | None = None, batch_size: int = 2000) -> int:
    """Rebuild the search documents of these articles (every article when None); returns how many."""
    return sum(rebuild(batch_size, article_ids))


@task()
def index_articles(article_ids: list[int]) -> int:
    """Index these changed articles (a change too big to index at once, such as
    an import's batch; ``search.receivers``); returns how many. Running it again
    rewrites the same documents; an article deleted meanwhile is skipped. The
    last of these tasks in the queue settles the index, as an inline import's
    ``ANALYZE`` would have. Search pages cached meanwhile are told (``documents_indexed``)."""
    indexed = index(article_ids)
    if not queued_articles():
        backends.current().settle()
    for receiver, outcome in documents_indexed.send_robust(sender=index_articles, article_ids=article_ids):
        if isinstance(outcome, Exception):
            logger.error("%s failed after indexing", receiver.__qualname__, exc_info=outcome)
    return indexed


def queued_articles() -> int:
    """How many articles' documents are waiting for the worker (``index_articles`` not yet run)."""
    waiting = DBTaskResult.objects.filter(status=TaskResultStatus.READY, task_path=index_articles.module_path)
    return sum(len(arguments["args"][0]) for arguments in waiting.values_list("args_kwargs", flat=True))
