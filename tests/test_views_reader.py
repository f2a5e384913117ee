"""Reader pages as an anonymous reader and as staff."""

from urllib.parse import unquote

import pytest
from django.urls import reverse

from articles.models import Article
from tests.builders import make_article, make_author, make_category

pytestmark = pytest.mark.django_db


@pytest.fixture
def article():
    article = make_article("电动汽车快充进入十五分钟时代", body="<p>快充技术让补能更快。</p>")
    article.categories.add(make_category("新媒体", "高科技行业门户", "新闻"))
    article.tags.add("电动汽车")
    return article


def test_home_lists_published_articles_with_excerpt(client, article):
    page = client.get("/").content.decode()
    assert article.title in page
    assert "快充技术让补能更快。" in page
    assert 'lang="zh-CN"' in page


def test_home_is_paginated(client, settings):
    for n in range(settings.ARTICLES_PER_PAGE + 1):
        make_article(f"文章{n}", days_ago=n + 1)
    assert "文章20" not in client.get("/").content.decode()
    assert "文章20" in client.get("/?page=2").content.decode()


def test_article_page_shows_body_author_breadcrumb_and_tags(client, article):
    page = client.get(article.get_absolute_url()).content.decode()
    assert "<p>快充技术让补能更快。</p>" in page
    assert "编辑部" in page
    assert "新媒体" in page and "高科技行业门户" in page
    assert 'href="/tag/%E7%94%B5%E5%8A%A8%E6%B1%BD%E8%BD%A6/"' in page


def test_article_urls_keep_chinese_slugs(article):
    assert article.slug == "电动汽车快充进入十五分钟时代"
    assert unquote(reverse("articles:detail", args=[article.slug])) == f"/articles/{article.slug}/"


def test_category_page_includes_articles_of_subcategories(client, article):
    top = article.categories.get().parent.parent
    page = client.get(top.get_absolute_url()).content.decode()
    assert article.title in page
    assert "共 1 篇文章" in page


def test_same_category_name_under_two_parents_are_two_pages(client, article):
    other = make_category("设计", "高科技行业门户", "新闻")
    assert other.get_absolute_url() != article.categories.get().get_absolute_url()
    assert article.title not in client.get(other.get_absolute_url()).content.decode()


def test_tag_page_lists_tagged_articles(client, article):
    tag = article.tags.get()
    assert tag.slug == "电动汽车"
    assert article.title in client.get(tag.get_absolute_url()).content.decode()


def test_author_page_names_a_source_as_source(client):
    source = make_author("ZAKER", kind="source")
    make_article("来自 ZAKER 的文章", author=source)
    page = client.get(source.get_absolute_url()).content.decode()
    assert "来源：ZAKER" in page and "来自 ZAKER 的文章" in page


@pytest.mark.parametrize(
    ("status", "days_ago"),
    [(Article.Status.DRAFT, 1), (Article.Status.PUBLISHED, -1), (Article.Status.DRAFT, None)],
    ids=["draft", "scheduled", "undated-draft"],
)
def test_unpublished_articles_are_404_for_anonymous_readers(client, status, days_ago):
    hidden = make_article("未发布的文章", status=status, days_ago=days_ago)
    assert client.get(hidden.get_absolute_url()).status_code == 404
    assert "未发布的文章" not in client.get("/").content.decode()


@pytest.mark.parametrize(
    ("status", "days_ago", "state"),
    [(Article.Status.DRAFT, 1, "草稿"), (Article.Status.PUBLISHED, -1, "定时发布")],
    ids=["draft", "scheduled"],
)
def test_staff_preview_unpublished_articles_uncached(client, staff_editor, status, days_ago, state):
    hidden = make_article("预览文章", status=status, days_ago=days_ago)
    client.force_login(staff_editor)
    response = client.get(hidden.get_absolute_url())
    assert response.status_code == 200
    assert f"预览：本文尚未对读者发布（{state}）" in response.content.decode()
    assert "no-cache" in response["Cache-Control"]


def test_staff_see_published_articles_as_readers_do(client, staff_editor, article):
    client.force_login(staff_editor)
    page = client.get(article.get_absolute_url()).content.decode()
    assert "预览" not in page


def test_list_pages_run_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    category = make_category("新媒体", "高科技行业门户", "新闻")
    for n in range(15):
        article = make_article(f"文章{n}", author=make_author(f"来源{n}"))
        article.categories.add(category)
        article.tags.add(f"标签{n}", "共同标签")
    for url in ["/", category.parent.parent.get_absolute_url(), "/tag/共同标签/", "/author/来源1/"]:
        with django_assert_max_num_queries(8):
            assert client.get(url).status_code == 200


def test_unknown_pages_get_the_friendly_404(client, db):
    response = client.get("/articles/不存在/")
    assert response.status_code == 404
    assert "页面不存在" in response.content.decode()
