"""Whole pages are cached for anonymous readers and forgotten as soon as the
content they show changes; signed-in staff and previews never touch the cache."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.models import Article
from tests.builders import make_article, make_author, make_category

pytestmark = pytest.mark.django_db


def queries_for(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    return len(queries)


@pytest.fixture
def article():
    article = make_article("原来的标题", author=make_author("ZAKER", kind="source"))
    article.categories.add(make_category("新媒体"))
    return article


def test_second_anonymous_visit_is_served_from_the_cache(client, article):
    client.get("/")
    assert queries_for(client, "/") == 0
    assert "原来的标题" in client.get("/").content.decode()


def test_editing_an_article_shows_at_once(client, article):
    client.get(article.get_absolute_url())
    article.title = "新的标题"
    article.save()
    assert "新的标题" in client.get(article.get_absolute_url()).content.decode()


def test_renaming_an_author_or_category_shows_at_once(client, article):
    client.get("/")
    author, category = article.author, article.categories.get()
    author.name, category.name = "36氪", "科技"
    author.save()
    category.save()
    page = client.get("/").content.decode()
    assert "来源：36氪" in page and "科技" in page


def test_tagging_an_article_shows_at_once(client, article):
    client.get(article.get_absolute_url())
    article.tags.add("电动汽车")
    assert "电动汽车" in client.get(article.get_absolute_url()).content.decode()


def test_deleting_an_article_removes_it_at_once(client, article):
    client.get("/")
    article.delete()
    assert "原来的标题" not in client.get("/").content.decode()


def test_unpublishing_an_article_hides_it_at_once(client, article):
    client.get(article.get_absolute_url())
    article.status = Article.Status.DRAFT
    article.save()
    assert client.get(article.get_absolute_url()).status_code == 404


def test_staff_are_never_served_a_cached_page(client, article, staff_editor):
    client.get("/")
    client.force_login(staff_editor)
    assert queries_for(client, "/") > 0  # built again, from the database


def test_pages_built_for_staff_are_not_cached_for_readers(client, article, staff_editor):
    client.force_login(staff_editor)
    client.get("/")
    client.logout()
    assert queries_for(client, "/") > 0


def test_previews_and_missing_pages_are_not_cached(client, staff_editor):
    draft = make_article("草稿", status=Article.Status.DRAFT)
    client.force_login(staff_editor)
    assert "no-cache" in client.get(draft.get_absolute_url())["Cache-Control"]
    client.logout()
    client.get("/articles/不存在/")
    assert queries_for(client, "/articles/不存在/") > 0


def test_pages_work_without_a_cache(client, article, settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    client.get("/")
    assert "原来的标题" in client.get("/").content.decode()


def test_a_merged_import_shows_on_the_other_category_page_at_once(client, run_import, write_post):
    """A twin post filed under a second category: that page, already cached, must show it."""
    body = "<p>同一篇文章被两个频道转载：标题、日期和正文都相同，读者只应看到一篇。</p>"
    other_feed = "categories: \n - 设计\n - 另一来源\n - 推荐\nauthor: 测试来源\ndate: Mon, 29 Aug 2022 04:01:00 GMT\n"
    folder = write_post("a.md", body=body).parent
    write_post("other.md", raw=f"\n---\ntitle: '另一篇'\n{other_feed}---\n\n<p>别的文章。</p>")
    run_import(folder)
    category_page = "/category/设计/另一来源/推荐/"
    assert "测试文章" not in client.get(category_page).content.decode()  # now cached without it
    write_post("b.md", raw=f"\n---\ntitle: '测试文章'\n{other_feed}---\n\n<div>   \n{body}\n  \n</div>\n")
    assert "merged 1" in run_import(folder).stdout
    assert "测试文章" in client.get(category_page).content.decode()
