"""A big import leaves its search documents to the worker and says so; small changes are found at once."""

import signal
from io import StringIO

import pytest
from django.core.management import call_command

from content.models import Article, SearchDocument
from search.tasks import index_articles

pytestmark = pytest.mark.django_db

TERMS = ("量子计算", "固态电池", "卫星互联网")


def search(client, query: str) -> str:
    response = client.get("/search/", {"q": query})
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def three_posts(write_post):
    """A folder of three posts, each the only one to mention its term."""
    for number, term in enumerate(TERMS):
        body = f"<p>本文谈{term}的进展：业内人士认为，这一领域今年的投入与成果都超出了预期。</p>"
        folder = write_post(f"post{number}.md", title=f"报道{number}", body=body).parent
    return folder


@pytest.fixture
def big_change(settings):
    settings.SEARCH_INLINE_LIMIT = 2  # three posts at once are an import-sized change


@pytest.fixture
def run_worker_batch():
    """``manage.py run_worker --batch``; the handlers the worker sets for signals are put back afterwards."""
    handled = (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)
    saved = {number: signal.getsignal(number) for number in handled}
    yield lambda: call_command("run_worker", "--batch", "--no-startup-delay", "--no-reload", stdout=StringIO())
    for number, handler in saved.items():
        signal.signal(number, handler)


def found(client) -> list[bool]:
    return [f"报道{number}" in search(client, term) for number, term in enumerate(TERMS)]


def test_an_import_left_to_the_worker_is_searchable_once_it_has_run(
    client, run_import, run_tasks, three_posts, big_change
):
    result = run_import(three_posts)
    assert "search: 3 articles queued for the worker (run `manage.py run_worker --batch`)" in result.stdout
    assert found(client) == [False, False, False]
    assert run_tasks() >= 1
    assert found(client) == [True, True, True]


@pytest.mark.django_db(transaction=True)  # the worker closes its connections when done
def test_run_worker_batch_indexes_what_an_import_queued(client, run_import, three_posts, big_change, run_worker_batch):
    run_import(three_posts)
    run_worker_batch()
    assert found(client) == [True, True, True]
    assert "queued" not in run_import(three_posts).stdout  # nothing waits any more (and nothing changed)


def test_a_small_import_is_searchable_at_once(client, run_import, three_posts):
    result = run_import(three_posts)
    assert "queued" not in result.stdout
    assert found(client) == [True, True, True]


def test_an_article_deleted_before_the_worker_runs_is_skipped(client, run_import, run_tasks, three_posts, big_change):
    run_import(three_posts)
    Article.objects.get(title="报道1").delete()
    run_tasks()  # fails the test if the task failed
    assert found(client) == [True, False, True]
    assert SearchDocument.objects.count() == 2


def test_indexing_the_same_articles_again_is_harmless(client, run_import, run_tasks, three_posts, big_change):
    run_import(three_posts)
    run_tasks()
    ids = list(Article.objects.values_list("pk", flat=True))
    assert index_articles.call(ids) == 3
    assert SearchDocument.objects.count() == 3
    assert found(client) == [True, True, True]


def test_a_failure_to_queue_never_fails_the_import(run_import, three_posts, big_change, monkeypatch, caplog):
    def unavailable(*args, **kwargs):
        raise ConnectionError("task queue unavailable")

    monkeypatch.setattr("django_tasks_db.backend.DatabaseBackend.enqueue", unavailable)
    result = run_import(three_posts)
    assert not result.failed and "created 3," in result.stdout
    assert Article.objects.count() == 3
    assert "could not queue the search documents of 3 articles" in caplog.text
