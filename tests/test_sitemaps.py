"""``/sitemap.xml`` and ``/robots.txt``, read as a crawler would."""

import datetime as dt
import xml.etree.ElementTree as ET

import pytest

from articles.models import Article
from tests.builders import make_article, make_author, make_category

pytestmark = pytest.mark.django_db

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def locations(client) -> set[str]:
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    root = ET.fromstring(response.content)
    return {url.findtext(f"{SITEMAP}loc") for url in root.findall(f"{SITEMAP}url")}


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


def test_sitemap_gives_articles_a_last_modified_date(client):
    article = make_article()
    assert f"<lastmod>{article.updated_at:%Y-%m-%d}" in client.get("/sitemap.xml").content.decode()


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
