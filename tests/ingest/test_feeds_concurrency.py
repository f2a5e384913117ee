"""Two ``fetch_feeds --once`` runs at the same time (PostgreSQL): each feed is
fetched by one of them, and nothing is created twice."""

import subprocess
import sys

import pytest
from django.db import connection

from content.models import Article, ArticleSource, Author, Category, Feed, Tag
from tests.builders import make_feed
from tests.conftest import PROJECT_DIR, subprocess_env
from tests.feeds.server import FIXTURES, RSS, serve_feeds

FEEDS = 12


def _routes() -> dict:
    """Feeds that share a source, categories, tags and (in pairs) the same items, so the runs collide."""
    rss = (FIXTURES / "rss.xml").read_bytes()
    return {
        f"/feed/{n}": (200, RSS, rss.replace("麒麟电池 &amp;".encode(), f"麒麟电池{n // 2} &amp;".encode()))
        for n in range(FEEDS)
    }


@pytest.mark.slow
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_fetchers_create_no_duplicates(tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: set DATABASE_URL")
    env = subprocess_env("tests.feeds.settings", tmp_path / "media")
    with serve_feeds(_routes()) as server:
        for n in range(FEEDS):
            make_feed(server.url(f"/feed/{n}"), path=("新媒体", "OFweek", f"频道{n % 3}"))
        command = [sys.executable, "manage.py", "fetch_feeds", "--once"]
        runs = [
            subprocess.Popen(
                command, cwd=PROJECT_DIR, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
            )
            for _ in range(2)
        ]
        outputs = [run.communicate(timeout=120) for run in runs]
        hits = [server.hits(f"/feed/{n}") for n in range(FEEDS)]
    assert [run.returncode for run in runs] == [0, 0], outputs
    assert hits == [1] * FEEDS  # no feed fetched twice
    assert ArticleSource.objects.count() == 2 * FEEDS
    # The battery item is the same post in every feed (merged); the CATL item differs per pair of feeds.
    assert Article.objects.count() == 1 + FEEDS // 2
    assert Author.objects.count() == 1
    assert Tag.objects.count() == 2
    assert Category.objects.filter(parent=None).count() == 1
    assert Feed.objects.filter(last_status=Feed.Status.OK).count() == FEEDS
