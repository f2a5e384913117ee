"""Full text: a summary-only feed's items get their page's article, through the SSRF guard and the sanitiser,
and keep the summary, with a warning, when the page is too large, too slow, refused or empty."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django_tasks_db.models import DBTaskResult

from content.models import Article, ArticleSource, Feed
from ingest.feeds.fulltext import fetch_full_text
from ingest.models import FullText
from tests.builders import make_feed
from tests.feeds.server import serve_feeds

pytestmark = pytest.mark.django_db
SUMMARY = "某电池厂商发布新一代电动汽车电池。"
PAGE = """<!doctype html><html lang="zh"><head><meta charset="utf-8"><title>电池厂商发布新一代快充电芯 - 科技网</title>
<script>window.tracker = 1</script></head><body>
<nav class="menu"><a href="/">首页</a> <a href="/tech">科技频道导航</a></nav>
<div class="share-bar">分享到微博 分享到微信</div>
<article><h1>电池厂商发布新一代快充电芯</h1>
<p>某电池厂商发布新一代电动汽车电池，充电十五分钟可行驶四百公里，明年量产装车。该电池采用全新的负极材料和热管理设计。</p>
<p><img src="/img/cell.jpg" alt="新一代电芯"></p>
<p>业内人士认为，这一技术将显著缓解续航焦虑，推动电动汽车在三四线城市的普及，并带动充电桩建设。</p>
<p>厂商表示，首批产品将供应国内多家车企，海外工厂也在规划之中，预计三年内产能翻番。</p>
</article>
<aside class="ad">广告：限时特价买一送一</aside>
<section id="comments"><h3>网友评论</h3><p>网友甲：这篇文章写得真好！</p></section>
<footer>版权所有 科技网</footer></body></html>"""


@pytest.fixture(autouse=True)
def _local_feeds(settings):
    settings.FEEDS_ALLOW_PRIVATE_HOSTS = True
    settings.FEEDS_TIMEOUT = 5  # the feed itself; pages have FULL_TEXT_TIMEOUT
    settings.FULL_TEXT_TIMEOUT = 0.5
    settings.FULL_TEXT_MAX_BYTES = 50 * 1024


def rss(base: str, paths: list[str]) -> bytes:
    items = "".join(
        f"<item><title>电池新闻 {path}</title><link>{base}{path}</link><guid>{path}</guid>"
        f"<description><![CDATA[<p>{SUMMARY}</p>]]></description>"
        "<pubDate>Mon, 29 Aug 2022 04:01:00 GMT</pubDate></item>"
        for path in paths
    )
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>{items}</channel></rss>'.encode()


@pytest.fixture
def site():
    """A loopback site: a feed of summaries at /feed whose items link to pages on the same site."""
    pages = {
        "/article": (200, "text/html; charset=utf-8", PAGE.encode()),
        "/big": (
            200,
            "text/html; charset=utf-8",
            PAGE.replace("</article>", "<p>长</p>" * 20_000 + "</article>").encode(),
        ),
        "/slow": (200, "text/html; charset=utf-8", PAGE.encode()),
        "/empty": (200, "text/html; charset=utf-8", b"<html><body><nav>menu</nav></body></html>"),
        "/blank": (200, "text/html; charset=utf-8", b"<html><body></body></html>"),
    }
    with serve_feeds(pages) as server:
        pages["/feed"] = (200, "application/rss+xml", rss(server.base, ["/article"]))
        yield server


def fetch_with_full_text(server, selector="") -> Feed:
    feed = make_feed(server.url("/feed"))
    FullText.objects.create(feed=feed, enabled=True, selector=selector)
    call_command("fetch_feeds", "--once", stdout=StringIO(), stderr=StringIO())
    return feed


def test_an_items_page_replaces_its_summary_without_navigation_adverts_share_bars_or_comments(site, run_tasks):
    fetch_with_full_text(site)
    assert run_tasks() == 1
    body = Article.objects.get().body
    assert "充电十五分钟可行驶四百公里" in body and "预计三年内产能翻番" in body
    assert f'src="{site.base}/img/cell.jpg"' in body
    for noise in ["科技频道导航", "分享到微博", "买一送一", "网友甲", "版权所有", "tracker"]:
        assert noise not in body


def test_a_sources_css_selector_overrides_the_extractor(site, run_tasks):
    fetch_with_full_text(site, selector="aside.ad, article p:first-of-type")
    run_tasks()
    body = Article.objects.get().body
    assert "买一送一" in body and "负极材料" in body
    assert "预计三年内产能翻番" not in body


def test_a_feed_without_full_text_queues_nothing(site):
    make_feed(site.url("/feed"))
    call_command("fetch_feeds", "--once", stdout=StringIO(), stderr=StringIO())
    assert not DBTaskResult.objects.exists()
    assert SUMMARY in Article.objects.get().body


@pytest.mark.parametrize(
    ("path", "reason"),
    [
        ("/big", "is 196 KB, over the 50 KB limit"),
        ("/slow", "timed out after 0.5 s"),
        ("/empty", "the page has no more text than the summary"),
        ("/blank", "no article found on the page"),
        ("/missing", "HTTP 404 Not Found"),
    ],
)
def test_a_page_too_large_too_slow_or_without_an_article_keeps_the_summary_with_a_warning(site, path, reason):
    key = item_with_full_text(site, path)
    assert fetch_full_text.call(key) == [f"{site.url(path)}: no full text ({reason}); the feed's summary is kept"]
    assert SUMMARY in Article.objects.get().body


def test_a_page_at_a_private_address_is_refused_by_the_ssrf_guard(site, settings):
    key = item_with_full_text(site, "/article")
    settings.FEEDS_ALLOW_PRIVATE_HOSTS = False
    [warning] = fetch_full_text.call(key)
    assert "127.0.0.1 resolves to a non-public address (127.0.0.1); refused" in warning
    assert SUMMARY in Article.objects.get().body


def test_an_article_an_editor_changed_is_left_alone(site):
    key = item_with_full_text(site, "/article")
    article = Article.objects.get()
    article.body_source = "<p>编辑改写的正文，足够长的内容在这里。</p>"
    article.save_as_editor()
    assert fetch_full_text.call(key) == [f"{site.url('/article')}: an editor has changed the article; left as it is"]
    assert "编辑改写" in Article.objects.get().body


def item_with_full_text(site, path: str) -> str:
    """A loaded item linking to ``path``, its full text not fetched yet; returns its source key."""
    site.routes["/feed"] = (200, "application/rss+xml", rss(site.base, [path]))
    feed = make_feed(site.url("/feed"))
    FullText.objects.create(feed=feed, enabled=True)
    call_command("fetch_feeds", "--once", stdout=StringIO(), stderr=StringIO())
    return ArticleSource.objects.get(feed=feed).key


def test_add_feed_full_text_switches_it_on_with_a_selector():
    call_command(
        "add_feed",
        "https://example.com/feed",
        "--path",
        "a/b",
        "--full-text",
        "--selector",
        "div.post",
        stdout=StringIO(),
    )
    options = FullText.objects.get(feed__url="https://example.com/feed")
    assert options.enabled and options.selector == "div.post"


def test_add_feed_refuses_a_bad_selector():
    with pytest.raises(CommandError, match="--selector: CSS 选择器无效"):
        call_command(
            "add_feed",
            "https://example.com/feed",
            "--path",
            "a/b",
            "--full-text",
            "--selector",
            "div[",
            stdout=StringIO(),
        )
    assert not Feed.objects.exists()
