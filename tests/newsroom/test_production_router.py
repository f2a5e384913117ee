"""With ``DATABASE_REPLICA_URL`` set, reader pages read from the replica."""

import os
import subprocess
import sys

import pytest
from django.contrib.sessions.models import Session
from django.db import transaction

from content.models import Article, Tag
from newsroom.db_routers import ReplicaRouter
from tests.conftest import PROJECT_DIR

router = ReplicaRouter()


def test_reader_queries_go_to_the_replica():
    assert router.db_for_read(Article) == "replica"
    assert router.db_for_read(Tag) == "replica"


@pytest.mark.django_db
def test_reads_inside_a_transaction_see_the_primary():
    with transaction.atomic():
        assert router.db_for_read(Article) == "default"


def test_writes_go_to_the_primary():
    assert router.db_for_write(Article) == "default"


def test_sessions_are_read_from_the_primary():
    """A login must count on the very next request, whatever the replica's lag."""
    assert router.db_for_read(Session) == "default"


def test_only_the_primary_is_migrated():
    assert router.allow_migrate("default", "articles") is True
    assert router.allow_migrate("replica", "articles") is False


SCRIPT = """
import django
django.setup()
from django.core.management import call_command
from django.db import connections
from django.test.utils import CaptureQueriesContext
from content.models import Article

call_command("migrate", verbosity=0)
with CaptureQueriesContext(connections["replica"]) as replica, CaptureQueriesContext(connections["default"]) as default:
    Article.objects.published().count()
print(len(replica), len(default))
"""


@pytest.mark.slow  # a Python process of its own, which migrates a fresh database
def test_settings_route_a_reader_query_through_the_replica_connection(tmp_path):
    url = f"sqlite:///{tmp_path / 'db.sqlite3'}"  # primary and replica: the same file
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "newsroom.test_settings", "DATABASE_URL": url}
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        cwd=PROJECT_DIR,
        env={**env, "DATABASE_REPLICA_URL": url},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["1", "0"]
