"""Purges that failed at the time of the change, tried again by the worker."""

import datetime as dt
import logging

from django.conf import settings
from django.utils import timezone
from django_tasks import task

from edge import backends

logger = logging.getLogger(__name__)


@task()
def purge_keys(keys: list[str], attempt: int) -> str:
    """Purge ``keys``; after a failure, queue itself again with twice the wait, up to
    ``EDGE_PURGE_MAX_ATTEMPTS`` attempts (pages then leave the edge when they expire)."""
    edge = backends.current()
    if edge is None:
        return "no edge configured"
    try:
        edge.purge(keys)
    except backends.PurgeFailed as exc:
        if attempt >= settings.EDGE_PURGE_MAX_ATTEMPTS:
            logger.error("edge purge given up after %d attempts: %s", attempt, exc)
            return f"given up: {exc}"
        wait = dt.timedelta(seconds=settings.EDGE_PURGE_RETRY_SECONDS * 2 ** (attempt - 1))
        purge_keys.using(run_after=timezone.now() + wait).enqueue(keys, attempt=attempt + 1)
        logger.warning("edge purge attempt %d failed, again in %s: %s", attempt, wait, exc)
        return f"attempt {attempt} failed: {exc}"
    return f"purged {len(keys)} keys"
