"""Reader pages as an anonymous reader and as staff."""

from urllib.parse import quote, unquote

import pytest
from django.urls import reverse
from django.utils import timezone

from content.models import Article
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


def test_the_category_bar_marks_the_section_of_the_page(client, article):
    top = article.categories.get().ancestry()[0]
    link = f'<a href="{top.get_absolute_url()}" aria-current='
    assert link + '"true">新媒体</a>' in client.get(article.get_absolute_url()).content.decode()
    assert link + '"page">新媒体</a>' in client.get(top.get_absolute_url()).content.decode()
    assert "aria-current" not in client.get("/").content.decode()


def test_related_articles_show_the_full_date(client, article):
    other = make_article("另一篇电动汽车文章")
    other.tags.add("电动汽车")
    local = timezone.localtime(other.published_at)
    related = client.get(article.get_absolute_url()).content.decode().split('id="related-heading"')[1]
    assert f"{local.year}年{local.month}月{local.day}日</time>" in related


def test_an_article_with_nothing_related_or_read_shows_the_newest_articles(client):
    lonely, newest = make_article("孤零零的文章", days_ago=3), make_article("最新的文章", days_ago=1)
    page = client.get(lonely.get_absolute_url()).content.decode()
    assert "相关文章" not in page
    assert 'id="latest-heading">最新文章</h2>' in page and newest.get_absolute_url() in page


def test_home_links_to_the_monthly_archives(client, article):
    local = timezone.localtime(article.published_at)
    month = reverse("articles:month", args=[local.year, local.month])
    assert f'<a href="{month}">{local.year} 年 {local.month} 月</a>' in client.get("/").content.decode()


def test_articles_offer_weibo_and_a_wechat_qr_code_of_their_address(client, article):
    page = client.get(article.get_absolute_url()).content.decode()
    address = quote(f"http://testserver{article.get_absolute_url()}", safe="")
    assert f"https://service.weibo.com/share/share.php?url={address}&amp;title=" in page
    qr_code = f"/articles/{quote(article.slug)}/qr.svg"
    assert f'<img class="qr" src="{qr_code}" alt="本文网址的二维码" loading="lazy">' in page
    assert 'data-read-url="/read/' in page
    response = client.get(qr_code)
    assert response["Content-Type"] == "image/svg+xml"
    svg = response.content.decode()
    assert svg.startswith("<?xml") and 'xmlns="http://www.w3.org/2000/svg"' in svg
    assert "<title>本文网址的二维码</title>" in svg


def test_the_qr_code_of_a_draft_or_unknown_article_is_not_found(client):
    draft = make_article("草稿", status=Article.Status.DRAFT)
    assert client.get(f"/articles/{quote(draft.slug)}/qr.svg").status_code == 404
    assert client.get("/articles/no-such-article/qr.svg").status_code == 404


def test_previews_neither_share_nor_count_reads(client, staff_editor):
    draft = make_article("草稿", status=Article.Status.DRAFT)
    client.force_login(staff_editor)
    page = client.get(draft.get_absolute_url()).content.decode()
    assert "qr.svg" not in page and "data-read-url" not in page


@pytest.mark.parametrize("path", ["/favicon.ico", "/apple-touch-icon.png"])
def test_browsers_find_the_site_icons_at_the_root(client, path):
    response = client.get(path)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("image/")
