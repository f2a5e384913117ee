"""Statements sent to PostgreSQL without waiting for each other's answers
(psycopg's pipeline mode), for writers whose round trips cost more than their work."""

import re
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial

from django.db import DEFAULT_DB_ALIAS, connections

# A statement whose result is read: sent at once, with everything queued before it.
READS = re.compile(r"^\s*(?:SELECT|WITH|VALUES|SHOW|EXPLAIN)\b|\bRETURNING\b", re.IGNORECASE)


@contextmanager
def pipelined(using: str = DEFAULT_DB_ALIAS) -> Iterator[None]:
    """Inside, on PostgreSQL, a statement whose result is read (a SELECT, or
    one RETURNING rows) goes out with every statement queued before it, in
    one round trip; the others (INSERT, UPDATE, DELETE, SET, savepoints)
    wait for the next read, a commit or the end of the block. So a writer's
    statements cost a round trip per read, not one each.

    Code inside must not rely on an UPDATE's or DELETE's row count (Django's
    ``save()`` of an existing row does): it is not known yet. An error in a
    queued statement is raised where it is sent: wrap the block in the
    transaction or savepoint it should roll back. Elsewhere, nothing changes."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        yield
        return
    connection.ensure_connection()
    with (
        connection.wrap_database_errors,
        connection.connection.pipeline() as pipeline,
        connection.execute_wrapper(partial(send_reads, pipeline)),
    ):
        yield


def send_reads(pipeline, execute, sql, params, many, context):
    result = execute(sql, params, many, context)
    if READS.search(sql):
        with context["connection"].wrap_database_errors:
            pipeline.sync()  # its columns and rows are read next (a raw queryset reads the columns at once)
    return result
