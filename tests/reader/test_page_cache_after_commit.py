"""A reader who arrives while a change is uncommitted never leaves the old page cached after the commit.

The reader's page cache is told of a change only once it has committed. Were it
told before, a reader arriving in the gap would render the old article (the
change is not visible yet) and store it under the renewed keys, where it would
stay until it expired. Each test saves inside a transaction, lets a reader in
from another connection in the last instant before the commit, then reads again.
"""

import json
import threading
import uuid

import pytest
from django.contrib.auth.models import User
from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.test import Client

from tests.builders import bearer, make_article, make_token
from tests.conftest import TEST_REDIS_URL, require_redis

pytestmark = [pytest.mark.slow, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(params=["file", "redis"])
def shared_cache(request, settings, tmp_path):
    """The caches production uses: the file cache without Redis, else Redis."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: set DATABASE_URL")
    if request.param == "file":
        settings.CACHES = {
            "default": {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache", "LOCATION": str(tmp_path)}
        }
        return
    require_redis()
    settings.CACHES = {
        "default": {
            "BACKEND": "newsroom.cache.FailSoftRedisCache",
            "LOCATION": TEST_REDIS_URL,
            "KEY_PREFIX": f"test-{uuid.uuid4().hex}",
        }
    }


def read_page(path: str) -> str:
    """An anonymous reader's visit, on its own connection to the database."""
    return Client().get(path).content.decode()


@pytest.fixture
def reader_in_the_gap(monkeypatch):
    """Arms a reader to visit a page on another connection in the last instant
    before the writer's next commit; returns what they were shown (a list)."""
    db = connections[DEFAULT_DB_ALIAS]  # this thread's connection: the writer's
    commit = db._commit

    def arm(path: str) -> list[str]:
        shown = []

        def visit():
            try:
                shown.append(read_page(path))
            finally:
                connections.close_all()

        def commit_after_a_visit():
            if not shown:
                reader = threading.Thread(target=visit)
                reader.start()
                reader.join()
            commit()

        monkeypatch.setattr(db, "_commit", commit_after_a_visit)
        return shown

    return arm


def test_a_save_inside_atomic_is_seen_by_the_next_reader_after_commit(shared_cache, reader_in_the_gap):
    article = make_article("旧标题")
    path = article.get_absolute_url()
    assert "旧标题" in read_page(path)  # cached
    shown = reader_in_the_gap(path)
    with transaction.atomic():
        article.title = "新标题"
        article.save()
    assert "旧标题" in shown[0]  # the uncommitted title was not visible yet
    assert "新标题" in read_page(path)


def test_an_api_write_is_seen_by_the_next_reader_after_commit(shared_cache, reader_in_the_gap):
    article = make_article("旧标题")
    path = article.get_absolute_url()
    assert "旧标题" in read_page(path)
    editor = User.objects.create_superuser("editor")
    shown = reader_in_the_gap(path)
    response = Client().patch(
        f"/api/v1/articles/{article.slug}",
        json.dumps({"title": "新标题"}),
        content_type="application/json",
        **bearer(make_token(editor)),
    )
    assert response.status_code == 200, response.content
    assert "旧标题" in shown[0]
    assert "新标题" in read_page(path)


def test_a_rolled_back_save_leaves_the_cached_page_as_it_was(shared_cache, settings):
    article = make_article("旧标题")
    path = article.get_absolute_url()
    read_page(path)
    with pytest.raises(RuntimeError), transaction.atomic():
        article.title = "不会保存的标题"
        article.save()
        raise RuntimeError("the writer gives up")
    assert Client().get(path).headers["X-Cache"] == "hit"
