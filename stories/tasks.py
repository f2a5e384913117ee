"""Background work of the stories app, run by the worker (``run_worker``)."""

from django_tasks import task

from stories.detection import detect


@task()
def detect_stories(article_ids: list[int]) -> int:
    """File these articles into stories (a big change, such as an import); returns how many."""
    return detect(article_ids)
