"""Purging the edge when the reader's page cache forgets keys (after a commit)."""

import logging

from edge import backends, tasks
from reader.signals import pages_forgotten

logger = logging.getLogger(__name__)


def purge(keys) -> None:
    """Purge ``keys`` at the edge now; if that fails, log it and leave it to the worker."""
    edge = backends.current()
    if edge is None or not keys:
        return
    try:
        edge.purge(keys)
    except backends.PurgeFailed as exc:
        logger.warning("edge purge failed, queued for the worker: %s", exc)
        tasks.purge_keys.enqueue(sorted(keys), attempt=1)


def pages_forgotten_receiver(sender, keys, **kwargs) -> None:
    purge(keys)


def connect() -> None:
    pages_forgotten.connect(pages_forgotten_receiver, dispatch_uid="edge-purge")
