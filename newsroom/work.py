"""Work that follows a committed change: done at once when the change is small,
queued for the worker when it is big."""

import logging
from collections.abc import Callable

logger = logging.getLogger(__name__)


def now_or_queued(ids: list[int], *, limit: int, run: Callable, task, what: str) -> None:
    """``run(ids)`` at once for at most ``limit`` ids (an editor's save, a feed
    item: its result is there when the editor looks); else ``task`` is queued
    with them for the worker (an import's batch, which stays fast). Failing to
    queue is logged: the change has committed and stays."""
    if len(ids) <= limit:
        run(ids)
        return
    try:
        task.enqueue(ids)
    except Exception:
        logger.exception("could not queue the %s of %d articles", what, len(ids))
