"""Writes sent to PostgreSQL together with the read after them (psycopg's
pipeline mode), as story detection files articles: what is read sees them,
and a write the database refuses is reported, as Django reports it, where it
can be rolled back."""

import pytest
from django.db import IntegrityError, connection, transaction

from content.models import Author
from newsroom.pipelining import pipelined
from tests.builders import make_author

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: set DATABASE_URL (elsewhere pipelined() changes nothing)")


def insert_author(cursor, name: str, slug: str) -> None:
    table = Author._meta.db_table
    cursor.execute(f"INSERT INTO {table} (name, slug, kind, bio) VALUES (%s, %s, 'source', '')", [name, slug])


def test_a_read_sees_the_writes_queued_before_it_including_a_raw_querysets_columns():
    with pipelined(), connection.cursor() as cursor:
        insert_author(cursor, "甲", "jia")
        insert_author(cursor, "乙", "yi")
        names = [author.name for author in Author.objects.raw(f"SELECT * FROM {Author._meta.db_table} ORDER BY id")]
    assert names[-2:] == ["甲", "乙"]


def test_a_refused_write_is_reported_at_the_next_read_and_its_savepoint_rolls_it_back():
    make_author("丙", slug="bing")
    queued = False
    with pytest.raises(IntegrityError), transaction.atomic(), pipelined(), connection.cursor() as cursor:
        insert_author(cursor, "丁", "ding")
        insert_author(cursor, "丙二", "bing")  # the slug is taken, but nothing is sent yet
        queued = True
        Author.objects.count()  # the read sends them
    assert queued
    assert not Author.objects.filter(slug="ding").exists()


def test_writes_left_at_the_end_of_the_block_are_sent_then():
    with pipelined(), connection.cursor() as cursor:
        insert_author(cursor, "戊", "wu")
    assert Author.objects.filter(slug="wu").exists()
