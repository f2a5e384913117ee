"""The Feeds list, its actions, and the admin index chart of articles per day by source."""

import re

import pytest
from django.template import Context, Template
from django.urls import reverse

from content.models import Article, ArticleSource, Feed
from tests.builders import make_article, make_author, make_feed
from tests.feeds.server import serve_feeds

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client


def feed_with_items(n: int, days_ago: int = 1, url="https://example.com/feed") -> Feed:
    feed = make_feed(url)
    for i in range(n):
        article = make_article(f"{url} 第{i}篇", days_ago=days_ago)
        ArticleSource.objects.create(article=article, feed=feed, key=f"{url}#{i}", file_name="x", content_hash="h")
    return feed


def test_feeds_list_shows_status_and_items_of_the_last_7_days(admin_client):
    feed_with_items(3)
    feed_with_items(2, days_ago=10, url="https://example.com/old")
    Feed.objects.filter(url="https://example.com/old").update(last_status="error", last_error="HTTP 500 Internal")
    page = admin_client.get(reverse("admin:articles_feed_changelist")).content.decode()
    cells = re.findall(r'<td class="field-items_last_7_days">(\d+)</td>', page)
    assert sorted(cells) == ["0", "3"]
    assert "HTTP 500 Internal" in page and "新媒体 › OFweek › 新闻" in page


def test_feeds_list_runs_a_fixed_number_of_queries(admin_client, django_assert_max_num_queries):
    for n in range(6):
        feed_with_items(2, url=f"https://example.com/{n}")
    with django_assert_max_num_queries(8):
        admin_client.get(reverse("admin:articles_feed_changelist"))


def test_deactivate_and_activate_actions(admin_client):
    feed = feed_with_items(0)
    url = reverse("admin:articles_feed_changelist")
    admin_client.post(url, {"action": "deactivate", "_selected_action": [feed.pk]})
    assert not Feed.objects.get(pk=feed.pk).is_active
    admin_client.post(url, {"action": "activate", "_selected_action": [feed.pk]})
    assert Feed.objects.get(pk=feed.pk).is_active


def test_fetch_now_action_queues_the_fetch_and_the_worker_fetches_the_feed(admin_client, settings, run_tasks):
    settings.FEEDS_ALLOW_PRIVATE_HOSTS = True
    with serve_feeds() as server:
        feed = make_feed(server.url("/rss"))
        response = admin_client.post(
            reverse("admin:articles_feed_changelist"),
            {"action": "fetch_now", "_selected_action": [feed.pk]},
            follow=True,
        )
        assert "已安排抓取 1 个订阅源" in response.content.decode()
        assert not Article.objects.exists()  # nothing fetched inside the request
        assert run_tasks() == 1
    assert Article.objects.filter(author__name="OFweek").count() == 2
    assert Feed.objects.get(pk=feed.pk).last_status == Feed.Status.OK


def test_admin_index_charts_articles_per_day_with_a_series_per_source(admin_client):
    for name, days in [("36氪", [0, 1, 1, 2]), ("OFweek", [20, 21])]:
        author = make_author(name, kind="source")
        for n, days_ago in enumerate(days):
            make_article(f"{name}{n}", author=author, days_ago=days_ago + 0.01)
    make_article("编辑部的文章", days_ago=1)  # staff authors are not sources
    page = admin_client.get(reverse("admin:index")).content.decode()
    svg = re.search(r'<div class="module" id="feed-activity">.*?</svg>', page, re.S)[0]
    assert re.findall(r'<g class="series" data-source="([^"]+)"', svg) == ["36氪", "OFweek"]
    assert "36氪：30 天 4 篇" in svg
    assert "OFweek：30 天 2 篇，单日最多 1 篇，最近 7 天没有新文章" in svg
    assert "<script" not in svg and "style=" not in svg


def test_admin_index_chart_costs_one_query(django_assert_num_queries):
    make_article("来源文章", author=make_author("来源", kind="source"))
    with django_assert_num_queries(1):
        Template("{% load feed_activity %}{% feed_activity_chart %}").render(Context())


def test_admin_index_chart_leaves_out_withdrawn_articles(admin_client):
    source = make_author("36氪", kind="source")
    make_article("在线的文章", author=source)
    make_article("撤回的文章", author=source, status=Article.Status.DRAFT)
    page = admin_client.get(reverse("admin:index")).content.decode()
    assert "36氪：30 天 1 篇" in page
