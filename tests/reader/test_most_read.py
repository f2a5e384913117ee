"""热门: reads counted by the page's beacon, once per client in a while, never
for bots; the 24-hour and 7-day lists computed on a schedule, not per page."""

import datetime as dt
import uuid

import pytest
import redis
from django.utils import timezone

from content.models import Article, ReadCount
from reader import most_read
from tests.builders import make_article
from tests.conftest import require_redis

pytestmark = pytest.mark.django_db

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0 Safari/537.36"
PHONE = "Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148 MicroMessenger/8.0"


def read(client, article, agent=BROWSER, address="203.0.113.7"):
    return client.post(f"/read/{article.pk}/", HTTP_USER_AGENT=agent, REMOTE_ADDR=address)


def reads(article) -> int:
    return sum(ReadCount.objects.filter(article=article).values_list("reads", flat=True))


def test_a_read_is_counted_by_the_beacon(client):
    article = make_article()
    response = read(client, article)
    assert response.status_code == 204
    assert "no-cache" in response["Cache-Control"]
    assert reads(article) == 1


def test_a_repeat_read_from_the_same_client_is_not_counted(client):
    article = make_article()
    read(client, article)
    read(client, article)
    assert reads(article) == 1


def test_reads_from_other_clients_count(client):
    article = make_article()
    read(client, article)
    read(client, article, agent=PHONE)
    read(client, article, address="198.51.100.9")
    assert reads(article) == 3


@pytest.mark.parametrize(
    "agent",
    [
        "",
        "Mozilla/5.0 (compatible; Baiduspider/2.0)",
        "Googlebot/2.1",
        "curl/8.5.0",
        "python-requests/2.32",
        "HeadlessChrome",
    ],
)
def test_bots_are_not_counted(client, agent):
    article = make_article()
    read(client, article, agent=agent)
    assert reads(article) == 0


def test_the_beacon_only_takes_posts_for_published_articles(client):
    draft = make_article(status=Article.Status.DRAFT)
    assert read(client, draft).status_code == 404
    assert client.get(f"/read/{make_article('已发布').pk}/", HTTP_USER_AGENT=BROWSER).status_code == 405


def counted(article, reads, hours_ago=0):
    hour = timezone.now().replace(minute=0, second=0, microsecond=0) - dt.timedelta(hours=hours_ago)
    ReadCount.objects.create(article=article, hour=hour, reads=reads)


def titles(items) -> list[str]:
    return [item.title for item in items]


def test_lists_rank_the_last_24_hours_and_the_last_7_days():
    today, this_week, old = make_article("今日热门"), make_article("本周热门"), make_article("上月热门")
    counted(today, 5)
    counted(this_week, 3, hours_ago=2)
    counted(this_week, 9, hours_ago=30)
    counted(old, 50, hours_ago=24 * 8)
    lists = most_read.refresh()
    assert titles(lists["day"]) == ["今日热门", "本周热门"]
    assert titles(lists["week"]) == ["本周热门", "今日热门"]
    assert [item.reads for item in lists["week"]] == [12, 5]


def test_lists_leave_out_articles_no_longer_published():
    article = make_article("撤回的文章")
    counted(article, 5)
    Article.objects.filter(pk=article.pk).update(status=Article.Status.DRAFT)
    assert most_read.refresh() == {"day": [], "week": []}


def test_pages_read_the_lists_as_last_computed_without_querying(django_assert_num_queries):
    counted(make_article("热门文章"), 5)
    most_read.refresh()
    with django_assert_num_queries(0):
        assert titles(most_read.most_read()["day"]) == ["热门文章"]


def test_the_beacon_computes_stale_lists_at_most_once_per_refresh_interval(client):
    first, second = make_article("第一篇"), make_article("第二篇")
    read(client, first)
    assert titles(most_read.most_read()["day"]) == ["第一篇"]
    read(client, second)
    read(client, second, agent=PHONE)
    assert titles(most_read.most_read()["day"]) == ["第一篇"]  # not computed again yet


def test_a_changed_article_has_the_lists_computed_again_at_the_next_read(client):
    first, second = make_article("第一篇"), make_article("第二篇")
    read(client, first)
    first.title = "第一篇（更正）"
    first.save()
    read(client, second)
    assert titles(most_read.most_read()["day"]) == ["第二篇", "第一篇（更正）"]


def test_counts_older_than_a_week_are_deleted_when_the_lists_are_computed():
    article = make_article()
    counted(article, 4, hours_ago=24 * 7 + 1)
    most_read.refresh()
    assert not ReadCount.objects.exists()


def test_home_and_article_pages_show_the_lists(client):
    article, popular = make_article("普通文章"), make_article("最受欢迎的文章")
    counted(popular, 7)
    most_read.refresh()
    for url in ["/", article.get_absolute_url()]:
        page = client.get(url).content.decode()
        assert 'id="most-read-heading">热门</h2>' in page
        assert f'<a href="{popular.get_absolute_url()}">最受欢迎的文章</a>' in page


@pytest.fixture
def redis_counts(settings):
    """Counting in a real Redis (skipped where none answers on 127.0.0.1:6379, failed in CI), in keys of its own."""
    require_redis("redis://127.0.0.1:6379/0")
    client = redis.Redis(socket_connect_timeout=0.25)
    settings.REDIS_URL = "redis://127.0.0.1:6379/0"
    key = f"newsroom-test-{uuid.uuid4().hex}:{{:%Y%m%d%H}}"
    most_read._redis.cache_clear()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(most_read, "REDIS_HOUR_KEY", key)
        yield client
    most_read._redis.cache_clear()
    client.delete(*client.keys(key.split(":")[0] + ":*") or ["none"])


def test_with_redis_reads_are_counted_there_not_in_the_database(client, redis_counts):
    first, second = make_article("第一篇"), make_article("第二篇")
    read(client, first)
    read(client, second)
    read(client, second, agent=PHONE)
    assert not ReadCount.objects.exists()
    assert titles(most_read.refresh()["day"]) == ["第二篇", "第一篇"]
