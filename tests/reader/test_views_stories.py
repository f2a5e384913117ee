"""A story many outlets carry reads as one: lists show one card with
"N 家媒体报道" and the other sources, the article page links the other
sources' copies, search shows the story once."""

import pytest
from django.urls import reverse

from content.models import Article
from tests.builders import make_article, make_story

pytestmark = pytest.mark.django_db


def page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_the_home_page_shows_one_card_per_story_with_its_sources(client):
    first, second, third = make_story("第一财经", "极客观察", "新浪科技")
    html = page(client, "/")
    assert html.count("某车企发布第三款纯电轿车") == 1  # the copies' titles all say it: one card
    assert "3 家媒体报道" in html
    assert f'href="{second.get_absolute_url()}">极客观察</a>' in html
    assert f'href="{third.get_absolute_url()}">新浪科技</a>' in html


def test_an_outlets_own_pages_list_its_copy_naming_the_other_sources(client):
    first, second = make_story("第一财经", "极客观察")
    html = page(client, second.author.get_absolute_url())
    assert second.title in html
    assert f'href="{first.get_absolute_url()}">第一财经</a>' in html


def test_a_story_of_its_own_names_no_other_sources(client):
    make_article("独家", body="<p>" + "这是一篇只有本站刊登的独家报道，" * 10 + "</p>")
    assert "家媒体报道" not in page(client, "/")


def test_an_unpublished_copy_is_neither_counted_nor_linked(client):
    first, second, draft = make_story("第一财经", "极客观察", "新浪科技")
    draft.status = Article.Status.DRAFT
    draft.save()
    html = page(client, "/")
    assert "2 家媒体报道" in html
    assert draft.get_absolute_url() not in html


def test_the_article_page_lists_the_other_sources_copies(client):
    first, second, third = make_story("第一财经", "极客观察", "新浪科技")
    html = page(client, second.get_absolute_url())
    assert "其他来源的报道" in html
    assert first.get_absolute_url() in html and third.get_absolute_url() in html


def test_search_shows_a_story_once(client):
    make_story("第一财经", "极客观察", "新浪科技")
    html = page(client, reverse("articles:search") + "?q=激光雷达")
    assert html.count('<article class="card">') == 1


def test_a_cached_list_shows_a_copy_joining_at_once(client):
    make_story("第一财经", "极客观察")
    assert "2 家媒体报道" in page(client, "/")
    make_story("新浪科技", first_days_ago=1)  # another outlet's copy, a day later
    assert "3 家媒体报道" in page(client, "/")


def test_a_cached_article_page_shows_a_copy_joining_at_once(client):
    first, _ = make_story("第一财经", "极客观察")
    page(client, first.get_absolute_url())
    [third] = make_story("新浪科技", first_days_ago=1)
    assert third.get_absolute_url() in page(client, first.get_absolute_url())


def test_a_cached_outlet_page_names_a_source_joining_at_once(client):
    first, _ = make_story("第一财经", "极客观察")
    assert "2 家媒体报道" in page(client, first.author.get_absolute_url())
    [third] = make_story("新浪科技", first_days_ago=1)  # saving it changes none of 第一财经's lists
    html = page(client, first.author.get_absolute_url())
    assert "3 家媒体报道" in html
    assert f'href="{third.get_absolute_url()}">新浪科技</a>' in html


def test_a_list_of_stories_stays_within_the_query_budget(client, django_assert_max_num_queries):
    for n in range(8):
        make_story(f"甲{n}", f"乙{n}", title=f"第{n}个故事", first_days_ago=10 * n + 1)
    with django_assert_max_num_queries(8):
        html = page(client, "/")
    assert html.count("2 家媒体报道") == 8
