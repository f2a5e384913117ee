"""Worker processes that use the database: the importer's parsers and the
search rebuild's indexers share this one way of starting them."""

import multiprocessing
from collections.abc import Iterator
from concurrent.futures import Executor, ProcessPoolExecutor
from contextlib import contextmanager

from django.db import connection, connections


@contextmanager
def worker_pool(workers: int) -> Iterator[Executor | None]:
    """``workers`` forked processes, or None (work here) for fewer than two.

    Every database connection is closed before forking, so each worker opens its
    own (a connection shared across a fork is corrupted by whichever side uses it
    first), and every worker is forked at once, before this process reconnects.
    Inside a transaction (a dry run, a test) closing it would lose the
    transaction's view, and an in-memory SQLite database (tests) exists in this
    process alone: the work stays here then."""
    in_memory = connection.vendor == "sqlite" and connection.is_in_memory_db()
    if workers <= 1 or connection.in_atomic_block or in_memory:
        yield None
        return
    connections.close_all()
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
        pool.submit(int).result()  # with "fork", the first task starts every worker
        yield pool
