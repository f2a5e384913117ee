"""Feed fetching as background work: the admin's "fetch now" enqueues it, so
a slow feed never holds a web request (the worker runs it; see README)."""

from django_tasks import task

from articles.ingest.runner import fetch_due, summary


@task()
def fetch_feeds(feed_ids: list[int]) -> str:
    """Fetch these feeds, due or not; their status and errors are recorded on each feed."""
    return summary(list(fetch_due(feed_ids)))
