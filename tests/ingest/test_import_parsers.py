"""Posts parsed in worker processes (``import_posts --parsers N``) import as
posts parsed in the importing process do: every one written through the one
write path, and one that fails fails alone, named with its file and reason.

Worker processes open their own database connections, so these tests commit
(a test transaction would be invisible to them); on SQLite the test database is
in memory, where workers cannot reach it, and posts are parsed in the test's
process."""

import os
import re

import pytest
from django.db import connection

from content.models import Article, CategoryListing
from content.search_documents import SearchDocument
from ingest.run import BATCH_SIZE
from search.query import Search
from search.results import ranked
from tests.conftest import import_posts, run_queued_tasks

pytestmark = pytest.mark.django_db(transaction=True)
BODY = f"<p>{'一篇在工作进程里解析的文章，正文足够长。' * 5}</p>"


def test_posts_parsed_by_workers_are_all_written_listed_and_searchable(write_post):
    count = BATCH_SIZE + 30  # more than one batch: the next is parsed while one loads
    for n in range(count):
        write_post(f"post-{n:03}.md", title=f"并行解析的文章{n}", body=BODY)
    result = import_posts(write_post("last.md", title="并行解析的文章末", body=BODY).parent, parsers=2)
    assert not result.failed, result.stderr
    assert f"created {count + 1}," in result.stdout
    # The full first batch is indexed by the worker, the rest at once.
    assert f"search: {BATCH_SIZE} articles queued for the worker" in result.stdout
    run_queued_tasks()
    assert SearchDocument.objects.count() == Article.objects.count() == count + 1
    assert CategoryListing.objects.filter(article__title="并行解析的文章末").exists()
    _, found = ranked(Article.objects.published(), Search.parse("并行解析"))
    assert found == count + 1


def test_a_post_that_fails_in_a_worker_fails_alone_and_named(write_post):
    write_post("no-title.md", raw="---\ndate: 2022-08-29 12:00:00\n---\n\n正文在这里。\n")
    write_post("fine.md", title="正常的文章")
    result = import_posts(write_post("other.md", title="另一篇").parent, parsers=2)
    assert result.failed
    assert "no-title.md: title: missing or blank" in result.stderr
    assert "created 2," in result.stdout and "failed 1" in result.stdout
    assert sorted(Article.objects.values_list("title", flat=True)) == ["另一篇", "正常的文章"]


@pytest.mark.postgres
def test_an_unexpected_error_in_a_worker_is_reported_with_its_kind(write_post, monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: set DATABASE_URL")
    import ingest.run as run

    real_parse = run.parse_post

    def parse_or_explode(data, name, **kwargs):
        if name == "bad.md":
            raise RuntimeError(f"renderer exploded in process {os.getpid()}")
        return real_parse(data, name, **kwargs)

    monkeypatch.setattr(run, "parse_post", parse_or_explode)
    write_post("bad.md", title="坏文章")
    result = import_posts(write_post("good.md", title="好文章").parent, parsers=2)
    reported = re.search(
        r"bad\.md: cannot be imported \(RuntimeError: renderer exploded in process (\d+)\)", result.stderr
    )
    assert reported and int(reported[1]) != os.getpid()  # it was parsed by a worker
    assert list(Article.objects.values_list("title", flat=True)) == ["好文章"]
