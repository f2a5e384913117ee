"""``/sitemap.xml`` and ``/robots.txt``, read as a crawler would."""

import datetime as dt
import xml.etree.ElementTree as ET

import pytest
from django.utils import timezone

from content.models import Article, Tag
from reader import sitemaps
from reader.sitemaps import CategorySitemap
from tests.builders import make_article, make_author, make_category

pytestmark = pytest.mark.django_db

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def read(client, url: str) -> ET.Element:
    response = client.get(url)
    assert response.status_code == 200
    return ET.fromstring(response.content)


def sections(client) -> list[str]:
    """The sections ``/sitemap.xml`` (an index) lists, as paths."""
    index = read(client, "/sitemap.xml")
    return [entry.findtext(f"{SITEMAP}loc").removeprefix("http://testserver") for entry in index]


def locations(client) -> set[str]:
    """Every page of every section, as a crawler follows the index."""
    found = set()
    for section in sections(client):
        found |= {url.findtext(f"{SITEMAP}loc") for url in read(client, section).findall(f"{SITEMAP}url")}
    return found


def test_sitemap_lists_articles_categories_tags_and_authors(client):
    article = make_article("电动汽车", author=make_author("ZAKER", kind="source"))
    article.categories.add(make_category("新媒体", "ZAKER"))
    article.tags.add("充电")
    found = locations(client)
    for obj in [article, article.author, article.tags.get(), *article.categories.get().ancestry()]:
        assert f"http://testserver{obj.get_absolute_url()}" in found


def test_sitemap_leaves_out_unpublished_articles_and_their_tags_and_authors(client):
    draft = make_article("草稿", status=Article.Status.DRAFT, author=make_author("只写草稿的人"))
    draft.tags.add("草稿标签")
    scheduled = make_article("定时", days_ago=-1)
    found = locations(client)
    for obj in [draft, scheduled, draft.author, draft.tags.get()]:
        assert f"http://testserver{obj.get_absolute_url()}" not in found


def test_sitemap_gives_articles_a_last_modified_date_in_the_sites_zone(client):
    article = make_article()
    day = timezone.localdate(article.published_at)
    assert (
        f"<lastmod>{timezone.localdate(article.updated_at):%Y-%m-%d}"
        in client.get(f"/sitemap-articles-{day:%Y-%m-%d}.xml").content.decode()
    )


def test_sitemap_index_has_a_section_per_day_from_the_first_article_to_the_newest(client):
    make_article("最早", days_ago=3)
    make_article("最新", days_ago=1)
    days = [section for section in sections(client) if section.startswith("/sitemap-articles-")]
    today = timezone.localdate()
    assert days[0] == f"/sitemap-articles-{today - dt.timedelta(days=1):%Y-%m-%d}.xml"
    assert days[-1] == f"/sitemap-articles-{today - dt.timedelta(days=3):%Y-%m-%d}.xml"


def test_a_big_section_is_split_into_pages(client, monkeypatch):
    monkeypatch.setattr(CategorySitemap, "limit", 2)
    for name in ["甲", "乙", "丙"]:
        make_category(name)
    assert [s for s in sections(client) if "categories" in s] == [
        "/sitemap-categories.xml",
        "/sitemap-categories.xml?p=2",
    ]
    assert len(read(client, "/sitemap-categories.xml?p=2")) == 1


def test_a_day_that_does_not_exist_is_not_found(client):
    assert client.get("/sitemap-articles-2024-02-30.xml").status_code == 404


def test_robots_txt_points_to_the_sitemap_and_keeps_crawlers_out_of_admin(client):
    response = client.get("/robots.txt")
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert "Sitemap: http://testserver/sitemap.xml" in lines
    assert "Disallow: /admin/" in lines


NEWS = "{http://www.google.com/schemas/sitemap-news/0.9}"


def news_entries(client) -> dict[str, ET.Element]:
    response = client.get("/sitemap-news.xml")
    assert response.status_code == 200
    root = ET.fromstring(response.content)
    return {url.findtext(f"{SITEMAP}loc"): url.find(f"{NEWS}news") for url in root.findall(f"{SITEMAP}url")}


def test_news_sitemap_lists_the_last_two_days_only(client):
    today = make_article("今天的新闻", days_ago=0.5)
    make_article("三天前的新闻", days_ago=3)
    make_article("明天发布", days_ago=-1)
    make_article("草稿", days_ago=0.5, status=Article.Status.DRAFT)
    assert list(news_entries(client)) == [f"http://testserver{today.get_absolute_url()}"]


def test_news_sitemap_names_publication_language_title_and_date(client):
    article = make_article("电池回收进入规模化阶段", days_ago=0.1)
    (news,) = news_entries(client).values()
    assert news.findtext(f"{NEWS}publication/{NEWS}name") == "Newsroom"
    assert news.findtext(f"{NEWS}publication/{NEWS}language") == "zh-cn"
    assert news.findtext(f"{NEWS}title") == "电池回收进入规模化阶段"
    published = dt.datetime.fromisoformat(news.findtext(f"{NEWS}publication_date"))
    assert published == article.published_at.replace(microsecond=0)


def test_robots_txt_points_crawlers_at_the_news_sitemap(client):
    assert "Sitemap: http://testserver/sitemap-news.xml" in client.get("/robots.txt").content.decode()


def test_tags_in_use_are_listed_in_sections_of_tag_ids(client, monkeypatch):
    monkeypatch.setattr(sitemaps, "SECTION_LIMIT", 2)
    article = make_article()
    article.tags.add("甲", "乙", "丙")
    make_article("草稿", status=Article.Status.DRAFT).tags.add("只在草稿里")
    tag_sections = [section for section in sections(client) if section.startswith("/sitemap-tags-")]
    assert len(tag_sections) == Tag.objects.order_by("-pk").first().pk // 2 + 1
    listed = set()
    for section in tag_sections:
        listed |= {url.findtext(f"{SITEMAP}loc") for url in read(client, section).findall(f"{SITEMAP}url")}
    assert listed == {f"http://testserver{tag.get_absolute_url()}" for tag in article.tags.all()}
