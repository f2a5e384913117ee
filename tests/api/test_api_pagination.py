"""Cursor pagination of the API's article list, and its fixed query cost."""

import datetime as dt

import pytest
from django.utils import timezone

from content.models import Article
from tests.builders import make_article, make_category

pytestmark = pytest.mark.django_db

ARTICLES = "/api/v1/articles"


def page(client, **params) -> dict:
    response = client.get(ARTICLES, params)
    assert response.status_code == 200, response.content
    return response.json()


def test_following_next_cursors_lists_every_article_once_newest_first(client):
    made = [make_article(f"第{n}篇", slug=f"a{n}", days_ago=n) for n in range(7)]
    seen, data = [], page(client, limit=3)
    while True:
        seen += [item["slug"] for item in data["items"]]
        if not data["next_cursor"]:
            break
        data = page(client, limit=3, cursor=data["next_cursor"])
    assert seen == [article.slug for article in made]


def test_articles_sharing_a_publish_time_are_neither_skipped_nor_repeated(client):
    for n in range(5):
        make_article(f"同时{n}", slug=f"same{n}")
    Article.objects.update(published_at=timezone.now() - dt.timedelta(hours=1))
    first = page(client, limit=2)
    rest = page(client, limit=10, cursor=first["next_cursor"])
    listed = [item["slug"] for item in first["items"] + rest["items"]]
    assert sorted(listed) == [f"same{n}" for n in range(5)] and len(set(listed)) == 5


def test_articles_published_while_paging_do_not_shift_the_pages(client):
    for n in range(6):
        make_article(f"第{n}篇", slug=f"a{n}", days_ago=n + 1)
    first = page(client, limit=3)
    make_article("新来的", slug="fresh", days_ago=0)  # lands on top, before the cursor
    second = page(client, limit=3, cursor=first["next_cursor"])
    assert [item["slug"] for item in first["items"]] == ["a0", "a1", "a2"]
    assert [item["slug"] for item in second["items"]] == ["a3", "a4", "a5"]


def test_the_next_link_keeps_the_filters(client):
    category = make_category("科技")
    for n in range(3):
        make_article(f"第{n}篇", days_ago=n).categories.add(category)
    data = page(client, limit=1, category="科技")
    assert "category=" in data["next"] and f"cursor={data['next_cursor']}" in data["next"]
    assert data["next"].startswith("http://testserver/api/v1/articles?")


@pytest.mark.parametrize(
    "cursor",
    [
        "not-base64!",
        "bm90IGpzb24",  # not JSON
        "WyJ4Il0",  # ["x"]
        "WyIyMDI0LTAxLTAxVDAwOjAwOjAwIiwgMV0",  # a date without its zone
        "WyIyMDI0LTAxLTAxVDAwOjAwOjAwKzAwOjAwIiwgMTAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMF0",  # an id past 64 bits
    ],
)
def test_a_cursor_the_api_did_not_give_out_is_refused_naming_the_parameter(client, cursor):
    response = client.get(ARTICLES, {"cursor": cursor})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["query", "cursor"]


def test_a_page_size_over_the_limit_is_refused(client, settings):
    response = client.get(ARTICLES, {"limit": settings.API_MAX_PAGE_SIZE + 1})
    assert response.status_code == 422


@pytest.mark.parametrize("count", [3, 30])
def test_listing_articles_costs_the_same_queries_however_many(client, django_assert_num_queries, count):
    """Articles, their categories, their tags: 3 queries (the pages' budget is 8), no COUNT."""
    category = make_category("新媒体", "36氪")
    for n in range(count):
        article = make_article(f"第{n}篇", days_ago=n)
        article.categories.add(category)
        article.tags.add(f"标签{n}", "共同")
    with django_assert_num_queries(3) as captured:
        data = page(client, limit=100)
    assert len(data["items"]) == count
    assert not any("COUNT(" in query["sql"].upper() for query in captured.captured_queries)
    assert not any("OFFSET" in query["sql"].upper() for query in captured.captured_queries)


def test_filtering_by_category_costs_one_query_more(client, django_assert_num_queries):
    make_article().categories.add(make_category("科技"))
    with django_assert_num_queries(4):
        page(client, category="科技")
