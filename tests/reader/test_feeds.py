"""RSS and Atom feeds, read as a feed reader would: parsed XML, absolute URLs."""

import xml.etree.ElementTree as ET
from email.utils import parsedate_to_datetime
from urllib.parse import unquote

import lxml.etree
import pytest
from django.utils import timezone

from content.models import Article
from tests.builders import make_article, make_author, make_category
from tests.conftest import PROJECT_DIR

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
XSLT = lxml.etree.XSLT(lxml.etree.parse(str(PROJECT_DIR / "static" / "feeds" / "feed.xsl")))


@pytest.fixture
def article():
    article = make_article(
        "电动汽车快充进入十五分钟时代",
        body=(
            '<p>快充<a href="/tag/充电/">技术</a>让补能更快。</p>'
            '<p><img src="/media/images/curve.png" alt="充电曲线"></p>'
            '<p><img src="https://img.example.com/a.png" alt=""><img src="//cdn.example.com/b.png" alt=""></p>'
        ),
        author=make_author("ZAKER", kind="source"),
    )
    article.categories.add(make_category("新媒体", "高科技行业门户", "新闻"))
    article.tags.add("电动汽车")
    return article


def rss_items(client, url: str) -> list[ET.Element]:
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/xml; charset=utf-8"  # so browsers apply the stylesheet
    root = ET.fromstring(response.content)
    assert root.tag == "rss" and root.get("version") == "2.0"
    return root.findall("./channel/item")


def test_site_feed_carries_the_full_body_with_absolute_urls(client, article):
    (item,) = rss_items(client, "/feed/")
    description = item.findtext("description")
    assert "让补能更快。" in description
    assert 'src="http://testserver/media/images/curve.png"' in description
    assert 'href="http://testserver/tag/充电/"' in unquote(description)  # the path may be percent-encoded
    assert 'src="https://img.example.com/a.png"' in description
    assert 'src="//cdn.example.com/b.png"' in description


def test_feed_items_have_title_link_date_author_and_categories(client, article):
    (item,) = rss_items(client, "/feed/")
    assert item.findtext("title") == article.title
    assert item.findtext("link") == f"http://testserver{article.get_absolute_url()}"
    assert parsedate_to_datetime(item.findtext("pubDate")) == article.published_at.replace(microsecond=0)
    assert {c.text for c in item.findall("category")} == {"新闻", "电动汽车"}
    assert "ZAKER" in ET.tostring(item, encoding="unicode")


def test_feeds_leave_out_drafts_and_scheduled_articles(client, article):
    make_article("草稿", status=Article.Status.DRAFT)
    make_article("定时", days_ago=-1)
    assert [item.findtext("title") for item in rss_items(client, "/feed/")] == [article.title]


def test_atom_feed_is_valid_atom_with_dates(client, article):
    response = client.get("/feed/atom/")
    root = ET.fromstring(response.content)
    assert root.tag == f"{ATOM}feed"
    (entry,) = root.findall(f"{ATOM}entry")
    assert entry.findtext(f"{ATOM}title") == article.title
    published = timezone.datetime.fromisoformat(entry.findtext(f"{ATOM}published"))
    assert published == article.published_at
    assert 'src="http://testserver/media/images/curve.png"' in entry.findtext(f"{ATOM}summary")
    assert root.find(f"{ATOM}link[@rel='self']").get("href") == "http://testserver/feed/atom/"


def test_category_feed_includes_sub_categories(client, article):
    top = article.categories.get().parent.parent
    make_article("别的分类").categories.add(make_category("设计"))
    titles = [item.findtext("title") for item in rss_items(client, f"/feed/category/{top.path}/")]
    assert titles == [article.title]


def test_tag_and_author_feeds_list_their_articles(client, article):
    make_article("别的文章").tags.add("游戏")
    assert [i.findtext("title") for i in rss_items(client, "/feed/tag/电动汽车/")] == [article.title]
    assert [i.findtext("title") for i in rss_items(client, "/feed/author/zaker/")] == [article.title]


@pytest.mark.parametrize("url", ["/feed/tag/不存在/", "/feed/author/nobody/", "/feed/category/nowhere/"])
def test_feed_of_an_unknown_section_is_404(client, url):
    assert client.get(url).status_code == 404


def test_pages_advertise_their_feeds(client, article):
    page = client.get(article.categories.get().get_absolute_url()).content.decode()
    assert '<link rel="alternate" type="application/rss+xml" title="Newsroom 全站文章" href="/feed/">' in page
    assert 'href="/feed/category/' in page


@pytest.mark.parametrize("url", ["/feed/", "/feed/atom/"])
def test_feeds_read_as_a_page_in_a_browser(client, article, url, settings):
    xml = client.get(url).content
    assert b'<?xml-stylesheet href="/static/feeds/feed.xsl" media="screen" type="text/xsl"?>' in xml
    page = str(XSLT(lxml.etree.fromstring(xml)))
    assert f"<h1>{settings.SITE_NAME}：{settings.SITE_TAGLINE}</h1>" in page
    assert f'href="http://testserver{unquote(article.get_absolute_url())}"' in unquote(page)
    assert article.title in page
