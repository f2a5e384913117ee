"""The site cannot be made to work against itself: control characters in
names, markup in names shown in feeds, and junk query parameters."""

import pytest
from django.core.cache import cache

from content.models import Article, Author, Category, Tag
from reader.caching import page_key
from tests.builders import make_article, make_author, make_category

pytestmark = pytest.mark.django_db

ESCAPE = "\x1b"


@pytest.fixture
def tainted():
    """An article whose title, author, category and tag were typed with control characters."""
    article = make_article(f"标题{ESCAPE}[31m红字\x00\x7f", author=make_author(f"作者{ESCAPE}\x0b"))
    article.categories.add(make_category(f"分类{ESCAPE}"))
    article.tags.add(f"标签{ESCAPE}\ufffe")
    return article


def test_titles_names_and_tags_are_stored_without_control_characters(tainted):
    assert Article.objects.get().title == "标题[31m红字"
    assert Author.objects.get().name == "作者"
    assert Category.objects.get().name == "分类"
    assert Tag.objects.get().name == "标签"


@pytest.mark.parametrize("kind", ["author", "tag", "category"])
def test_every_feed_listing_a_post_typed_with_control_characters_answers(client, tainted, kind):
    assert client.get("/feed/").status_code == 200
    assert client.get("/feed/atom/").status_code == 200
    owner = {"author": Author, "tag": Tag, "category": Category}[kind].objects.get()
    response = client.get(f"/feed/{kind}/{owner.path if kind == 'category' else owner.slug}/", follow=True)
    assert response.status_code == 200 and ESCAPE.encode() not in response.content


def test_bodies_lose_control_characters():
    article = make_article("正文", body=f"<p>红{ESCAPE}[31m字\x00</p>")
    assert article.body == "<p>红[31m字</p>"


@pytest.mark.parametrize(
    ("kind", "name"),
    [("tag", "<svg onload=alert(1)>"), ("author", "<img src=x onerror=alert(1)>")],
)
def test_feed_descriptions_carry_names_as_escaped_text(client, kind, name):
    article = make_article("文章", author=make_author(name) if kind == "author" else None)
    if kind == "tag":
        article.tags.add(name)
    owner = Tag.objects.get() if kind == "tag" else Author.objects.get(name=name)
    response = client.get(f"/feed/{kind}/{owner.slug}/", follow=True)
    description = response.content.decode().split("<description>", 1)[1].split("</description>", 1)[0]
    assert "&amp;lt;" in description and "&lt;svg" not in description and "&lt;img" not in description


def test_a_category_feed_description_escapes_the_path(client):
    make_article("文章").categories.add(make_category("<b>新媒体</b>"))
    response = client.get(f"/feed/category/{Category.objects.get().path}/")
    assert "&amp;lt;b&amp;gt;" in response.content.decode()


def test_junk_query_parameters_share_one_cache_entry(client, rf):
    make_article("可搜索的文章")
    for n in range(20):
        client.get(f"/search/?q=文章&x={n}")
    keys = {page_key(rf.get(f"/search/?q=文章&x={n}&utm_source=y")) for n in range(20)}
    assert len(keys) == 1 and page_key(rf.get("/search/?q=文章")) in keys
    assert cache.get(page_key(rf.get("/search/?q=文章"))) is not None


def test_pages_and_searches_are_still_told_apart(rf):
    keys = {page_key(rf.get(url)) for url in ["/", "/?page=2", "/search/?q=a", "/search/?q=b", "/search/?q=a&page=2"]}
    assert len(keys) == 5


def test_a_repeated_search_parameter_is_keyed_on_the_value_the_page_shows(rf):
    assert page_key(rf.get("/search/?q=a&q=b")) == page_key(rf.get("/search/?q=b"))


def test_pagination_links_do_not_carry_junk_parameters(client):
    for n in range(25):
        make_article(f"第{n}篇")
    body = client.get("/?x=evil&page=1").content.decode()
    assert "x=evil" not in body and "?page=2" in body
