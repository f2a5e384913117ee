"""``fetch_feeds`` against a real HTTP server on 127.0.0.1 serving RSS and Atom fixtures."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from content.models import Article, ArticleSource, Feed
from tests.builders import make_feed
from tests.feeds.server import serve_feeds

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _local_feeds(settings):
    settings.FEEDS_ALLOW_PRIVATE_HOSTS = True
    settings.FEEDS_TIMEOUT = 0.5
    settings.FEEDS_MAX_BYTES = 100_000


@pytest.fixture
def server():
    with serve_feeds() as running:
        yield running


def add(server, path: str, category_path=("新媒体", "高科技行业门户", "新闻"), source="OFweek") -> Feed:
    return make_feed(server.url(path), path=category_path, source=source)


def fetch(*args) -> tuple[str, str, bool]:
    out, err = StringIO(), StringIO()
    try:
        call_command("fetch_feeds", *args, stdout=out, stderr=err)
    except CommandError as exc:
        return out.getvalue(), err.getvalue() + str(exc), True
    return out.getvalue(), err.getvalue(), False


def test_rss_items_become_articles_in_the_feeds_category_with_tags(server):
    add(server, "/rss")
    out, err, failed = fetch("--once")
    assert not failed, err
    assert out.strip().endswith("created 2, updated 0, unchanged 0, merged 0, skipped 0, failed 0")
    article = Article.objects.get(title="电池厂商发布新一代快充电芯")
    assert [[c.name for c in path] for path in article.category_paths()] == [["新媒体", "高科技行业门户", "新闻"]]
    assert article.author.name == "OFweek" and article.author.kind == "source"
    assert {tag.name for tag in article.tags.all()} == {"电动汽车"}
    assert article.is_live


def test_item_bodies_are_sanitised_and_images_unproxied(server):
    add(server, "/rss")
    fetch("--once")
    article = Article.objects.get(title="电池厂商发布新一代快充电芯")
    assert "<script" not in article.body
    assert "cors.zfour.workers.dev" not in article.body
    assert article.head_image == "http://images.ofweek.com/Upload/News/2022-08/29/lg.jpg"


def test_atom_entries_use_their_content_and_categories(server):
    add(server, "/atom", "博客/美团技术团队/最近更新", "美团技术团队")
    fetch("--once")
    article = Article.objects.get(title="美团外卖的数据治理实践")
    assert {tag.name for tag in article.tags.all()} == {"数据治理", "大数据"}
    assert article.head_image == "https://p0.meituan.net/travelcube/governance.png"
    assert article.published_at.isoformat() == "2022-08-30T01:00:00+00:00"


def test_second_fetch_sends_the_etag_gets_304_and_creates_nothing(server):
    feed = add(server, "/rss")
    fetch("--once")
    Feed.objects.filter(pk=feed.pk).update(next_fetch_at=None)  # due again
    out, _, _ = fetch("--once")
    assert "not modified 1" in out and "created 0" in out
    assert server.requests[-1][1]["If-None-Match"] == Feed.objects.get(pk=feed.pk).etag
    assert Article.objects.count() == 2
    assert Feed.objects.get(pk=feed.pk).last_status == Feed.Status.NOT_MODIFIED


def test_a_feed_fetched_recently_is_not_due(server):
    add(server, "/rss")
    fetch("--once")
    out, _, _ = fetch("--once")
    assert out.startswith("feeds 0:")
    assert server.hits("/rss") == 1


def test_a_changed_item_updates_its_article(server):
    feed = add(server, "/rss")
    fetch("--once")
    status, kind, body = server.routes["/rss"]
    server.routes["/rss"] = (status, kind, body.replace("麒麟电池支持".encode(), "麒麟电池全面支持".encode()))
    out, _, _ = fetch("--feed", str(feed.pk))
    assert "updated 1, unchanged 1" in out
    assert "全面支持" in Article.objects.get(title__startswith="宁德时代").body
    assert ArticleSource.objects.count() == 2


def test_an_article_edited_in_the_admin_is_not_overwritten(server):
    feed = add(server, "/rss")
    fetch("--once")
    Article.objects.filter(title__startswith="宁德时代").update(edited_in_admin=True, title="编辑改过的标题")
    status, kind, body = server.routes["/rss"]
    server.routes["/rss"] = (status, kind, body.replace("麒麟电池支持".encode(), "麒麟电池全面支持".encode()))
    out, _, _ = fetch("--feed", str(feed.pk))
    assert "skipped 1" in out
    assert Article.objects.filter(title="编辑改过的标题").exists()


@pytest.mark.parametrize(
    ("path", "reason"),
    [
        ("/malformed", "malformed feed"),
        ("/error", "HTTP 500"),
        ("/slow", "timed out after 0.5 s"),
        ("/page", "an HTML page"),
        ("/huge", "over the 97.7 KB limit"),
    ],
)
def test_a_failing_feed_fails_alone_and_backs_off(server, path, reason):
    bad, good = add(server, path, source="坏源"), add(server, "/rss")
    out, err, failed = fetch("--once")
    assert failed
    assert f"{bad.url}: " in err and reason in err
    assert "fetched 1" in out and "failed 1;" in out and "created 2" in out
    bad.refresh_from_db()
    assert bad.last_status == Feed.Status.ERROR and reason in bad.last_error
    assert bad.consecutive_failures == 1
    good.refresh_from_db()
    assert bad.next_fetch_at > good.next_fetch_at  # twice the interval
    assert good.last_status == Feed.Status.OK


def test_failures_in_a_row_back_off_further(server):
    bad = add(server, "/error")
    fetch("--once")
    first = Feed.objects.get(pk=bad.pk)
    fetch("--feed", str(bad.pk))
    second = Feed.objects.get(pk=bad.pk)
    assert second.consecutive_failures == 2
    assert second.next_fetch_at - second.last_fetched_at > first.next_fetch_at - first.last_fetched_at


def test_a_private_address_is_refused_when_the_setting_is_off(server, settings):
    settings.FEEDS_ALLOW_PRIVATE_HOSTS = False
    feed = add(server, "/rss")
    _, err, failed = fetch("--once")
    assert failed
    assert "127.0.0.1 resolves to a non-public address (127.0.0.1); refused" in err
    assert server.requests == []
    assert Feed.objects.get(pk=feed.pk).consecutive_failures == 1


def test_a_url_that_cannot_be_encoded_fails_alone(server):
    make_feed("http://\xad.com/", path=("a", "b"), source="b")
    add(server, "/rss")
    out, err, failed = fetch("--once")
    assert failed and "http://\xad.com/: cannot fetch it (UnicodeError: " in err
    assert "fetched 1" in out and "failed 1;" in out and "created 2" in out


def test_only_http_urls_are_fetched(server):
    make_feed("file:///etc/passwd", path=("a", "b"), source="b")
    _, err, failed = fetch("--once")
    assert failed and "file:///etc/passwd: only http(s) URLs" in err


def test_a_dry_run_writes_nothing(server):
    feed = add(server, "/rss")
    out, _, _ = fetch("--dry-run")
    assert out.startswith("dry run, nothing written: feeds 1: fetched 1") and "created 2" in out
    assert Article.objects.count() == 0
    assert Feed.objects.get(pk=feed.pk).last_fetched_at is None


def test_loop_runs_rounds_until_stopped(server):
    add(server, "/rss")
    out, _, failed = fetch("--loop", "--interval", "1", "--max-rounds", "1")
    assert not failed
    assert out.count("feeds ") == 1 and "created 2" in out


def test_an_unknown_feed_id_is_an_error(server):
    with pytest.raises(CommandError, match="no feed with id 999"):
        call_command("fetch_feeds", "--feed", "999", stdout=StringIO())


def test_a_clean_fetch_clears_the_item_errors_of_the_last_one(server):
    feed = add(server, "/rss")
    Feed.objects.filter(pk=feed.pk).update(last_error="item x: body: is empty")
    fetch("--once")
    assert Feed.objects.get(pk=feed.pk).last_error == ""
