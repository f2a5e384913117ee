"""``import_feed_config`` (the crawler's RSSHub route list) and ``add_feed``."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from content.models import Feed
from ingest.feeds.config import parse_config
from tests.conftest import TESTS_DIR

CONFIG = TESTS_DIR / "feeds" / "config.yml"

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _own_rsshub(settings):
    settings.RSSHUB_BASE_URL = "https://rsshub.example.com"


def run(*args) -> str:
    out = StringIO()
    call_command(*args, stdout=out, stderr=StringIO())
    return out.getvalue()


def names(category) -> str:
    return "/".join(level.name for level in category.ancestry())


def test_headings_give_each_route_its_category_path_and_source(settings):
    settings.RSSHUB_BASE_URL = "https://rsshub.example.com/"
    out = run("import_feed_config", str(CONFIG))
    feeds = {feed.url: (names(feed.category), feed.source.name) for feed in Feed.objects.all()}
    assert feeds == {
        "https://rsshub.example.com/ofweek/news": ("新媒体/高科技行业门户/新闻", "高科技行业门户"),
        "https://rsshub.example.com/jinshi/index": ("新媒体/金十数据", "金十数据"),
        "https://rsshub.example.com/meituan/tech/home": ("博客/美团技术团队/最近更新", "美团技术团队"),
    }
    assert out.strip().endswith("added 3, already subscribed 0, commented out 2, failed 0")


def test_commented_routes_are_skipped_and_reported():
    out = run("import_feed_config", str(CONFIG))
    assert "line 9: /ofweek/ai: commented out; skipped" in out
    assert "line 20: /benedictevans: commented out; skipped" in out
    assert not Feed.objects.filter(url__endswith="/ofweek/ai").exists()


def test_importing_the_config_again_adds_nothing():
    run("import_feed_config", str(CONFIG))
    out = run("import_feed_config", str(CONFIG))
    assert "added 0, already subscribed 3" in out
    assert Feed.objects.count() == 3


def test_config_dry_run_writes_nothing():
    out = run("import_feed_config", str(CONFIG), "--dry-run")
    assert out.strip().startswith("line 9") and "dry run, nothing written: added 3" in out
    assert Feed.objects.count() == 0


def test_markdown_links_and_slashes_in_headings_are_cleaned():
    config = parse_config(
        "#二次元\n##Webtoons\n###[Naver](https://comic.naver.com)\n - /webtoons/naver/1\n###A/B\n - /x\n"
    )
    assert [route.path for route in config.routes] == [["二次元", "Webtoons", "Naver"], ["二次元", "Webtoons", "A／B"]]


def test_a_route_before_any_heading_is_reported():
    assert parse_config(" - /lonely\n").problems == ["line 1: /lonely: no group heading above it"]


def test_add_feed_defaults_the_source_to_the_path_s_second_level():
    out = run("add_feed", "https://rsshub.app/ofweek/news", "--path", "新媒体/高科技行业门户/新闻")
    feed = Feed.objects.get()
    assert (names(feed.category), feed.source.name) == ("新媒体/高科技行业门户/新闻", "高科技行业门户")
    assert "新媒体 › 高科技行业门户 › 新闻" in out


def test_add_feed_refuses_non_http_urls_and_duplicates():
    with pytest.raises(CommandError, match="only http"):
        run("add_feed", "ftp://example.com/feed", "--path", "a/b")
    run("add_feed", "https://example.com/feed", "--path", "a/b", "--source", "来源")
    with pytest.raises(CommandError, match="already subscribed"):
        run("add_feed", "https://example.com/feed", "--path", "a/b")
