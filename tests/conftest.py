"""Shared fixtures: small builders for content, and a way to run the importer."""

import logging
import os
from dataclasses import dataclass
from io import StringIO
from pathlib import Path

import pytest
import redis
from django.contrib.auth.models import Permission
from django.core.cache import caches
from django.core.management import CommandError, call_command
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, connection, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult
from hypothesis import settings as hypothesis_settings

from tests.builders import crawled_post, yaml_quoted

TESTS_DIR = Path(__file__).parent
POSTS_DIR = TESTS_DIR / "posts"
PROJECT_DIR = TESTS_DIR.parent
CORPUS_DIR = PROJECT_DIR.parent / "shared" / "corpus" / "posts"


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Imported images go to a throw-away media folder."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _commits_at_the_tests_own_transaction(monkeypatch):
    """What happens after a commit happens in tests too, when it would in production.

    A test runs inside a transaction that is rolled back at its end, so
    ``transaction.on_commit`` callbacks would never run, and announcements
    (``content.changes``) with them. Here the test's own transaction stands
    for the database's autocommit: a callback registered outside any block of
    the code under test runs at once, and one registered inside an
    ``atomic()`` block runs when the outermost such block exits without an
    exception, as a real commit would; a rolled-back block drops its callbacks
    (Django's own savepoint handling). Tests that need real commits
    (``transactional_db``) are untouched."""

    def at_test_level(db) -> bool:
        return db.in_atomic_block and all(block._from_testcase for block in db.atomic_blocks)

    def run_callbacks(db) -> None:
        callbacks, db.run_on_commit = db.run_on_commit, []
        for _, callback, robust in callbacks:
            try:
                callback()
            except Exception:
                if not robust:
                    raise
                logging.getLogger("django.db.backends.base").exception("on_commit callback failed")

    on_commit, atomic_exit = BaseDatabaseWrapper.on_commit, transaction.Atomic.__exit__

    def on_commit_at_test_level(db, func, robust=False):
        on_commit(db, func, robust)
        if at_test_level(db):
            run_callbacks(db)

    def exit_then_commit(block, exc_type, exc_value, traceback):
        atomic_exit(block, exc_type, exc_value, traceback)
        db = transaction.get_connection(block.using)
        if exc_type is None and not block._from_testcase and at_test_level(db):
            run_callbacks(db)

    monkeypatch.setattr(BaseDatabaseWrapper, "on_commit", on_commit_at_test_level)
    monkeypatch.setattr(transaction.Atomic, "__exit__", exit_then_commit)


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with no cached reader pages: the database is rolled
    back between tests, but the local-memory cache is not."""
    caches["default"].clear()


@dataclass
class ImportRun:
    stdout: str
    stderr: str
    failed: bool


def import_posts(*paths, **options) -> ImportRun:
    """Run ``import_posts`` and return what it printed."""
    out, err = StringIO(), StringIO()
    try:
        call_command("import_posts", *map(str, paths), stdout=out, stderr=err, **options)
    except CommandError as exc:
        err.write(str(exc))
        return ImportRun(out.getvalue(), err.getvalue(), failed=True)
    return ImportRun(out.getvalue(), err.getvalue(), failed=False)


@pytest.fixture
def run_import(db):
    return import_posts


@pytest.fixture
def write_post(tmp_path):
    """Write a seed post into a fresh folder; returns its path.

    The text is ``tests.builders.crawled_post`` with ``title`` (plain text,
    quoted here) and the other keywords it takes, or ``raw`` (text or bytes) as given."""
    folder = tmp_path / "posts"
    folder.mkdir()

    def write(name: str = "post.md", *, title="测试文章", raw=None, **post) -> Path:
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if raw is None:
            raw = crawled_post(yaml_quoted(title), **post)
        path.write_bytes(raw if isinstance(raw, bytes) else raw.encode())
        return path

    return write


def subprocess_database_url() -> str:
    """The test database as a ``DATABASE_URL``, for ``manage.py`` run in a subprocess (PostgreSQL)."""
    db = connection.settings_dict
    return f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def subprocess_env(settings_module: str, media_root: Path) -> dict[str, str]:
    """The environment for a ``manage.py`` subprocess that works on the test database."""
    return {
        **os.environ,
        "DATABASE_URL": subprocess_database_url(),
        "DJANGO_SETTINGS_MODULE": settings_module,
        "MEDIA_ROOT": str(media_root),
    }


@pytest.fixture
def staff_editor(django_user_model):
    """A staff user who may change articles, and so sees drafts and scheduled articles as previews."""
    user = django_user_model.objects.create_user("editor", password="pw", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="change_article"))
    return user


def run_queued_tasks() -> int:
    """Run every queued task that is due, as ``run_worker`` does (tasks they enqueue too);
    returns how many ran. In-process, so it works inside a test's transaction."""
    worker = Worker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="tests",
        excluded_queue_names=[],
    )
    ran = 0
    while (task := DBTaskResult.objects.ready().first()) is not None:
        task.claim(worker.worker_id)
        worker.run_task(task)
        ran += 1
    failed = DBTaskResult.objects.failed().values_list("task_path", "traceback")
    assert not failed, f"tasks failed: {list(failed)}"
    return ran


@pytest.fixture
def run_tasks(db):
    return run_queued_tasks


# The Redis the tests use for real: the local one (.ci/run starts it), database 9.
TEST_REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/9")


def require_redis(url: str = TEST_REDIS_URL) -> None:
    """Skip the test where no Redis answers at ``url``; in CI, fail: it must test against a real one."""
    try:
        redis.Redis.from_url(url, socket_connect_timeout=0.25).ping()
    except redis.RedisError:
        if os.environ.get("CI"):
            raise
        pytest.skip(f"no Redis at {url}")


needs_corpus = pytest.mark.skipif(not CORPUS_DIR.is_dir(), reason="../shared/corpus is not on this machine")

# Hypothesis profiles: "default", the full run, as today; HYPOTHESIS_PROFILE=fast
# (``make check``) tries far fewer examples per property.
HYPOTHESIS_PROFILE = os.environ.get("HYPOTHESIS_PROFILE", "default")
hypothesis_settings.register_profile("fast", max_examples=20)
hypothesis_settings.load_profile(HYPOTHESIS_PROFILE)


def examples(full_run: int) -> int:
    """The ``max_examples`` for a property test that tries ``full_run`` examples in
    the full run. A test's own ``max_examples`` outranks any profile, so such a test
    asks here: under another profile it tries no more than that profile's."""
    if HYPOTHESIS_PROFILE == "default":
        return full_run
    return min(full_run, hypothesis_settings.default.max_examples)


@pytest.fixture
def connection_kept_between_requests():
    """For tests that call the WSGI application itself, as Django's test client
    does: the handler must not close the connection after a request, which
    holds the test's transaction."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)
