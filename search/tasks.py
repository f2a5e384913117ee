"""Background work of the search app, run by the worker (``run_worker``)."""

from django_tasks import task

from search.documents import rebuild


@task()
def rebuild_search_documents(article_ids: list[int] | None = None, batch_size: int = 2000) -> int:
    """Rebuild the search documents of these articles (every article when None); returns how many."""
    return sum(rebuild(batch_size, article_ids))
