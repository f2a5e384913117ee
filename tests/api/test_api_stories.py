"""The API's stories: an article carries the story it is one copy of, and
/api/v1/stories lists the stories several sources carry, newest first."""

import pytest
from django.utils import timezone

from content.models import Article
from tests.builders import make_article, make_story

pytestmark = pytest.mark.django_db

API = "/api/v1"


def story_of(client, article) -> dict | None:
    response = client.get(f"{API}/articles/{article.slug}")
    assert response.status_code == 200, response.content
    return response.json()["story"]


def test_an_article_names_its_story_lead_and_every_copy(client):
    first, second, third = make_story("第一财经", "极客观察", "新浪科技")
    story = story_of(client, second)
    assert story["lead"] == first.slug
    assert story["articles"] == [first.slug, second.slug, third.slug]
    assert story_of(client, first) == story


def test_an_article_alone_is_a_story_of_its_own(client):
    article = make_article("独家", body="<p>" + "这是一篇只有本站刊登的独家报道，" * 10 + "</p>")
    assert story_of(client, article)["articles"] == [article.slug]


def test_an_article_not_filed_yet_has_no_story(client):
    [article] = Article.objects.bulk_create(
        [
            Article(
                title="旧文",
                slug="old",
                author=make_story("第一财经")[0].author,
                status="published",
                published_at=timezone.now(),
            )
        ]  # fmt: skip
    )
    assert story_of(client, article) is None


def test_an_unpublished_copy_is_left_out_of_the_story(client):
    first, draft = make_story("第一财经", "极客观察")
    draft.status = Article.Status.DRAFT
    draft.save()
    assert story_of(client, first)["articles"] == [first.slug]


def test_the_answer_changes_when_a_source_joins_the_story(client):
    first, _ = make_story("第一财经", "极客观察")
    before = client.get(f"{API}/articles/{first.slug}")
    make_story("新浪科技", first_days_ago=1)  # a third copy, from another outlet
    after = client.get(f"{API}/articles/{first.slug}", HTTP_IF_NONE_MATCH=before["ETag"])
    assert after.status_code == 200
    assert len(after.json()["story"]["articles"]) == 3


def test_stories_are_listed_newest_first_with_their_counts(client):
    older = make_story("第一财经", "极客观察", first_days_ago=3)
    make_article("独家", body="<p>" + "这是一篇只有本站刊登的独家报道，" * 10 + "</p>")
    response = client.get(f"{API}/stories")
    assert response.status_code == 200
    [story] = response.json()["items"]
    assert (story["lead"], story["article_count"], story["source_count"]) == (older[0].slug, 2, 2)
    assert story["articles"] == [article.slug for article in older]


def test_stories_come_a_page_at_a_time(client, django_assert_max_num_queries):
    for day in range(3):
        make_story(f"甲{day}", f"乙{day}", title=f"第{day}个故事", first_days_ago=20 * day + 1)
    with django_assert_max_num_queries(4):
        first = client.get(f"{API}/stories", {"limit": 2}).json()
    second = client.get(f"{API}/stories", {"limit": 2, "cursor": first["next_cursor"]}).json()
    assert len(first["items"]) == 2 and len(second["items"]) == 1
    assert first["items"][0]["last_published_at"] > first["items"][1]["last_published_at"]
    assert second["next_cursor"] is None
