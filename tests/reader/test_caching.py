"""Whole pages are cached for anonymous readers and forgotten as soon as the
content they show changes; signed-in staff and previews never touch the cache."""

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.signals import template_rendered
from django.test.utils import CaptureQueriesContext

from content.models import Article
from reader import caching
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


def test_zero_cache_times_turn_the_caches_off_but_still_name_the_pages(client, article, settings, monkeypatch):
    settings.READER_CACHE_SECONDS = settings.READER_FRAGMENT_SECONDS = 0
    counting = CountingCache(caches["default"])
    monkeypatch.setattr(caching, "reader_cache", lambda: counting)
    client.get("/")
    Article.objects.filter(pk=article.pk).update(title="悄悄改过的标题")  # nothing is told
    response = client.get("/")
    assert "悄悄改过的标题" in response.content.decode()
    assert response["X-Cache"] == "miss"
    assert {"site", "home"} <= set(response["Surrogate-Key"].split())  # the edge still reads them
    assert counting.trips == 0  # neither looked up nor kept


def test_a_merged_import_shows_on_the_other_category_page_at_once(client, run_import, write_post):
    """A twin post filed under a second category: that page, already cached, must show it."""
    body = "<p>同一篇文章被两个频道转载：标题、日期和正文都相同，读者只应看到一篇。</p>"
    other_feed = ("设计", "另一来源", "推荐")
    folder = write_post("a.md", body=body).parent
    write_post("other.md", title="另一篇", body="<p>别的文章。</p>", categories=other_feed)
    run_import(folder)
    category_page = "/category/设计/另一来源/推荐/"
    assert "测试文章" not in client.get(category_page).content.decode()  # now cached without it
    write_post("b.md", body=body, categories=other_feed)
    assert "merged 1" in run_import(folder).stdout
    assert "测试文章" in client.get(category_page).content.decode()


def with_related_article(article: Article) -> Article:
    """Give ``article`` a related article, its next one: its page then links to
    neither the newest articles nor anything filed elsewhere."""
    article.tags.add("芯片")
    make_article("同一标签的文章", days_ago=20).tags.add("芯片")
    return article


def test_saving_one_article_leaves_another_articles_cached_page_in_place(client, article):
    other = with_related_article(make_article("另一篇文章", days_ago=30))
    client.get(other.get_absolute_url())
    article.title = "改过的标题"
    article.save()
    assert queries_for(client, other.get_absolute_url()) == 0


def test_a_new_article_leaves_unrelated_article_pages_cached_and_refreshes_the_lists(client, article):
    old = with_related_article(make_article("三十天前的文章", days_ago=30))
    client.get(old.get_absolute_url())
    client.get("/")
    make_article("刚发布的文章", days_ago=0)
    assert queries_for(client, old.get_absolute_url()) == 0
    assert "刚发布的文章" in client.get("/").content.decode()


def test_a_new_article_shows_in_its_neighbours_next_link_at_once(client, article):
    client.get(article.get_absolute_url())
    newer = make_article("更新的文章", days_ago=0)
    assert newer.get_absolute_url() in client.get(article.get_absolute_url()).content.decode()


def test_a_page_linking_to_a_retitled_article_shows_the_new_title(client, article):
    newer = make_article("下一篇的旧标题", days_ago=0)
    client.get(article.get_absolute_url())
    newer.title = "下一篇的新标题"
    newer.save()
    assert "下一篇的新标题" in client.get(article.get_absolute_url()).content.decode()


def test_a_tag_page_the_article_left_forgets_it(client, article):
    article.tags.add("电动汽车")
    tag_page = article.tags.get().get_absolute_url()
    assert "原来的标题" in client.get(tag_page).content.decode()
    article.tags.clear()
    assert "原来的标题" not in client.get(tag_page).content.decode()


def test_a_category_page_the_article_left_forgets_it(client, article):
    category = article.categories.get()
    assert "原来的标题" in client.get(category.get_absolute_url()).content.decode()
    article.categories.set([make_category("设计")])
    assert "原来的标题" not in client.get(category.get_absolute_url()).content.decode()


def test_an_edit_leaves_other_categories_pages_cached(client, article):
    elsewhere = make_article("别的分类的文章")
    elsewhere.categories.add(make_category("设计"))
    client.get("/category/设计/")
    article.title = "改过的标题"
    article.save()
    assert queries_for(client, "/category/设计/") == 0


def test_cached_pages_name_what_they_show_for_an_edge_cache(client, article):
    response = client.get(article.get_absolute_url())
    assert set(response["Surrogate-Key"].split()) >= {"site", f"article:{article.pk}"}
    category = article.categories.get()
    assert f"category:{category.pk}" in client.get(category.get_absolute_url())["Surrogate-Key"].split()


SECURITY_HEADERS = ("X-Frame-Options", "Content-Security-Policy", "X-Content-Type-Options", "Referrer-Policy")


def test_a_cached_page_keeps_every_security_header(client, article):
    built = client.get(article.get_absolute_url())
    cached = client.get(article.get_absolute_url())
    assert (built["X-Cache"], cached["X-Cache"]) == ("miss", "hit")
    assert {name: cached.get(name) for name in SECURITY_HEADERS} == {name: built.get(name) for name in SECURITY_HEADERS}
    assert all(cached.get(name) for name in SECURITY_HEADERS)


class CountingCache:
    """The reader cache, counting the round trips a request makes to it."""

    def __init__(self, cache):
        self.cache, self.trips = cache, 0

    def __getattr__(self, name):
        method = getattr(self.cache, name)

        def counted(*args, **kwargs):
            self.trips += 1
            return method(*args, **kwargs)

        return counted


def test_a_cache_hit_is_one_round_trip_to_the_cache(client, article, monkeypatch):
    client.get(article.get_absolute_url())  # built and stored
    client.get(article.get_absolute_url())  # this process learns the page's keys
    counting = CountingCache(caches["default"])
    monkeypatch.setattr(caching, "reader_cache", lambda: counting)
    assert client.get(article.get_absolute_url())["X-Cache"] == "hit"
    assert counting.trips == 1


def test_a_reader_with_a_session_cookie_is_never_served_a_page_cached_for_others(client, article, staff_editor):
    client.get(article.get_absolute_url())
    client.force_login(staff_editor)
    assert client.get(article.get_absolute_url()).get("X-Cache") != "hit"


def test_a_page_built_while_its_article_changes_is_served_but_not_kept(client, article):
    """A change committed while the page was being built: that page may show the old
    article, so it is kept neither in the page cache nor at the edge."""
    forget_once = []

    def change_committed_meanwhile(sender, **kwargs):
        if not forget_once:
            forget_once.append(True)
            caching.forget([f"article:{article.pk}"])

    template_rendered.connect(change_committed_meanwhile, dispatch_uid="change-meanwhile")
    try:
        built = client.get(article.get_absolute_url())
    finally:
        template_rendered.disconnect(dispatch_uid="change-meanwhile")
    assert "private" in built["Cache-Control"]
    assert client.get(article.get_absolute_url())["X-Cache"] == "miss"
    assert client.get(article.get_absolute_url())["X-Cache"] == "hit"
