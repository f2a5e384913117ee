"""Source health: last success, items per day, feeds flagged when failing or silent, editors e-mailed once."""

import contextlib
import datetime as dt
import re
from io import StringIO

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from content.models import ArticleSource, Feed
from ingest.models import FeedHealth
from tests.builders import make_article, make_feed
from tests.feeds.server import serve_feeds

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _local_feeds(settings):
    settings.FEEDS_ALLOW_PRIVATE_HOSTS = True
    settings.FEEDS_TIMEOUT = 0.5
    settings.FEEDS_ALERT_FAILURES = 3
    settings.FEEDS_SILENT_DAYS = 7


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client


def fetch_round() -> str:
    err = StringIO()
    with contextlib.suppress(CommandError):  # a round with a failed feed exits 1
        call_command("fetch_feeds", "--once", stdout=StringIO(), stderr=err)
    return err.getvalue()


def make_due(feed: Feed) -> None:
    Feed.objects.filter(pk=feed.pk).update(next_fetch_at=None)


def add_items(feed: Feed, days_ago: list[float]) -> None:
    for n, days in enumerate(days_ago):
        article = make_article(f"{feed.url} 第{n}篇", days_ago=days)
        ArticleSource.objects.create(article=article, feed=feed, key=f"{feed.url}#{n}", content_hash="h")
        type(article).objects.filter(pk=article.pk).update(created_at=timezone.now() - dt.timedelta(days=days))


def desk_rows(admin_client, query: str = "") -> dict[str, str]:
    """Feed URL → its 需要关注 cell on the desk's feeds list."""
    page = admin_client.get(reverse("admin:articles_feed_changelist") + query).content.decode()
    rows = re.findall(
        r'<a href="[^"]+/change/[^"]*">([^<]+)</a>.*?<td class="field-trouble_label">(.*?)</td>', page, re.S
    )
    return {url: re.sub(r"<[^>]+>", "", cell) for url, cell in rows}


def test_a_successful_fetch_records_the_last_success_and_a_failure_keeps_it():
    with serve_feeds() as server:
        feed = make_feed(server.url("/rss"))
        fetch_round()
        first = FeedHealth.objects.get(feed=feed).last_success_at
        assert first is not None
        Feed.objects.filter(pk=feed.pk).update(url=server.url("/error"), next_fetch_at=None)
        fetch_round()
    assert FeedHealth.objects.get(feed=feed).last_success_at == first
    assert Feed.objects.get(pk=feed.pk).consecutive_failures == 1


def test_a_feed_failing_past_the_threshold_is_flagged_on_the_desk(admin_client):
    with serve_feeds() as server:
        bad = make_feed(server.url("/error"))
        good = make_feed(server.url("/rss"), path=("新媒体", "好的"))
        for _ in range(3):
            make_due(bad)
            fetch_round()
    rows = desk_rows(admin_client)
    assert rows[bad.url] == "⚠ 连续失败 3 次"
    assert rows[good.url] == "—"
    assert list(desk_rows(admin_client, "?attention=yes")) == [bad.url]


def test_a_feed_with_nothing_new_for_a_week_is_flagged_and_a_new_feed_is_not(admin_client):
    with serve_feeds() as server:
        silent = make_feed(server.url("/rss"))
        lively = make_feed(server.url("/atom"), path=("博客", "美团技术团队"))
        fetch_round()  # both bring items
        nine_days_ago = timezone.now() - dt.timedelta(days=9)
        FeedHealth.objects.filter(feed=silent).update(last_item_at=nine_days_ago)
        make_due(silent)
        fetch_round()  # answers, but 304: nothing new
    new = make_feed("https://example.com/new", path=("新媒体", "新的"))
    rows = desk_rows(admin_client)
    assert rows[silent.url] == "⚠ 9 天无新内容"
    assert rows[lively.url] == rows[new.url] == "—"
    assert FeedHealth.objects.get(feed=silent).last_success_at > nine_days_ago


def test_a_paused_feed_is_not_flagged(admin_client):
    paused = make_feed("https://example.com/paused", consecutive_failures=10, is_active=False)
    assert desk_rows(admin_client)[paused.url] == "—"
    assert desk_rows(admin_client, "?attention=yes") == {}


def test_items_per_day_are_averaged_over_30_days(admin_client):
    feed = make_feed()
    add_items(feed, [1, 2, 3, 10, 20, 29, 40])
    page = admin_client.get(reverse("admin:articles_feed_changelist")).content.decode()
    assert '<td class="field-items_per_day">0.2</td>' in page


def test_editors_are_emailed_once_per_episode_of_trouble(settings):
    settings.FEEDS_ALERT_EMAILS = ["desk@example.com"]
    with serve_feeds() as server:
        feed = make_feed(server.url("/error"))
        for _ in range(3):
            make_due(feed)
            err = fetch_round()
        assert "e-mailed editors about 1 feed(s)" in err
        assert len(mail.outbox) == 1
        assert mail.outbox[0].to == ["desk@example.com"]
        assert f"{feed.url}：连续失败 3 次" in mail.outbox[0].body
        make_due(feed)
        fetch_round()
        assert len(mail.outbox) == 1  # still the same episode
        Feed.objects.filter(pk=feed.pk).update(url=server.url("/rss"), next_fetch_at=None)
        fetch_round()  # well again
        Feed.objects.filter(pk=feed.pk).update(url=server.url("/error"))
        for _ in range(3):
            make_due(feed)
            fetch_round()
    assert len(mail.outbox) == 2


def test_without_addresses_nobody_is_emailed(settings):
    settings.FEEDS_ALERT_EMAILS = []
    make_feed(
        "https://example.com/failing", consecutive_failures=5, next_fetch_at=timezone.now() + dt.timedelta(days=1)
    )
    assert "e-mailed" not in fetch_round()
    assert mail.outbox == []
