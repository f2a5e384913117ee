"""Feed rules in the admin: a preview of the last 100 items before saving, refused regular expressions, hit counts."""

import re

import pytest
from django.urls import reverse

from content.models import ArticleSource
from ingest.models import FeedRule, RuleHit
from tests.builders import make_article, make_feed

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client


def feed_with_titles(titles: list[str], url="https://example.com/feed"):
    feed = make_feed(url)
    for n, title in enumerate(titles):
        article = make_article(title, days_ago=n / 100)
        ArticleSource.objects.create(article=article, feed=feed, key=f"{url}#{n}", content_hash="h")
    return feed


def rule_form(**fields) -> dict:
    return {
        "name": "丢弃广告",
        "field": "title",
        "match": "keyword",
        "pattern": "广告",
        "action": "drop",
        "add_tags": "",
        "category": "",
        "is_active": "on",
        "position": "0",
        **fields,
    }


def preview_rows(page: str) -> list[tuple[str, str]]:
    section = re.search(r'<div class="module" id="rule-preview">.*?</div>', page, re.S)[0]
    return re.findall(r'<tr class="rule-(?:hit|miss)"><td>(.*?)</td><td>(.*?)</td></tr>', section)


def test_preview_shows_what_the_rule_would_do_to_recent_items_and_saves_nothing(admin_client):
    feed = feed_with_titles(["【广告】买一送一", "电池新品发布"])
    page = admin_client.post(
        reverse("admin:ingest_feedrule_add"), {**rule_form(feed=feed.pk), "_preview": "1"}
    ).content.decode()
    assert dict(preview_rows(page)) == {"【广告】买一送一": "丢弃", "电池新品发布": "不匹配"}
    assert not FeedRule.objects.exists()


def test_preview_covers_the_last_100_items(admin_client):
    feed_with_titles([f"第{n}条" for n in range(105)])
    page = admin_client.post(
        reverse("admin:ingest_feedrule_add"), {**rule_form(pattern="第", action="draft"), "_preview": "1"}
    ).content.decode()
    rows = preview_rows(page)
    assert len(rows) == 100 and {verdict for _, verdict in rows} == {"存为草稿"}
    assert "第104条" in dict(rows) and "第4条" not in dict(rows)  # the last received


def test_saving_a_bad_regular_expression_is_refused_with_the_reason(admin_client):
    page = admin_client.post(
        reverse("admin:ingest_feedrule_add"), rule_form(match="regex", pattern="(?<=x)y")
    ).content.decode()
    assert "正则表达式无效：invalid perl operator: (?&lt;" in page
    assert not FeedRule.objects.exists()


def test_a_good_rule_is_saved_and_the_list_shows_its_hits(admin_client):
    response = admin_client.post(reverse("admin:ingest_feedrule_add"), rule_form())
    assert response.status_code == 302
    saved = FeedRule.objects.get()
    RuleHit.objects.bulk_create([RuleHit(rule=saved, item_key=f"feed:1:{n}") for n in range(3)])
    page = admin_client.get(reverse("admin:ingest_feedrule_changelist")).content.decode()
    assert '<td class="field-hit_count">3</td>' in page
    assert "全部订阅源" in page
