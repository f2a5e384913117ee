"""The write API: staff tokens create, change, publish, schedule, unpublish
and delete articles through the one write path, with the admin's permissions."""

import datetime as dt
import json
import re

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Group, User
from django.utils import timezone

from api.models import ApiToken
from content.models import Article, ArticleSource, Author
from content.revisions import versions_of
from content.signals import articles_changed
from tests.builders import bearer, make_article, make_category, make_token

pytestmark = pytest.mark.django_db

ARTICLES = "/api/v1/articles"


@pytest.fixture
def editor():
    """An everyday editor (the Editors group: no deletes), with an author profile."""
    user = User.objects.create_user("xiaowang", is_staff=True)
    user.groups.add(Group.objects.get(name="Editors"))
    Author.objects.create(name="小王", user=user)
    return user


@pytest.fixture
def as_editor(client, editor):
    return Caller(client, make_token(editor))


class Caller:
    """The test client calling the API with one token."""

    def __init__(self, client, secret):
        self.client, self.headers = client, bearer(secret)

    def post(self, path, data=None):
        return self.client.post(path, json.dumps(data or {}), content_type="application/json", **self.headers)

    def patch(self, path, data):
        return self.client.patch(path, json.dumps(data), content_type="application/json", **self.headers)

    def delete(self, path):
        return self.client.delete(path, **self.headers)


def error_fields(response) -> list[str]:
    assert response.status_code == 422, response.content
    return [problem["loc"][-1] for problem in response.json()["detail"]]


def test_an_editor_creates_a_draft_with_rendered_body_categories_and_tags(as_editor):
    make_category("新媒体", "36氪")
    response = as_editor.post(
        ARTICLES,
        {
            "title": "接口写的文章",
            "body_format": "markdown",
            "body_source": "# 标题\n\n正文<script>x</script>",
            "categories": ["新媒体/36氪"],
            "tags": ["人工智能", "电动汽车"],
        },
    )
    assert response.status_code == 201, response.content
    article = Article.objects.get(slug=response.json()["slug"])
    assert article.state == Article.State.DRAFT
    assert article.author.name == "小王"  # the token user's own author profile
    assert re.search(r"<h\d>标题</h\d>", article.body) and "<script" not in article.body
    assert [category.path for category in article.categories.all()] == ["新媒体/36氪"]
    assert sorted(tag.name for tag in article.tags.all()) == ["人工智能", "电动汽车"]
    assert response.json()["tags"] and response.json()["body_text"]


def test_a_write_is_announced_once_with_its_categories_and_tags_in_place(as_editor):
    make_category("科技")
    announced = []

    def receiver(sender, articles, **kwargs):
        announced.extend((article.pk, [c.path for c in article.categories.all()]) for article in articles)

    articles_changed.connect(receiver)
    try:
        response = as_editor.post(ARTICLES, {"title": "一次", "categories": ["科技"], "tags": ["甲"]})
    finally:
        articles_changed.disconnect(receiver)
    assert announced == [(response.json()["id"], ["科技"])]


def test_writes_are_recorded_in_the_articles_admin_history(as_editor, editor):
    slug = as_editor.post(ARTICLES, {"title": "有记录"}).json()["slug"]
    as_editor.patch(f"{ARTICLES}/{slug}", {"title": "改过"})
    messages = list(LogEntry.objects.filter(user=editor).order_by("pk").values_list("change_message", flat=True))
    assert messages == ["通过接口创建。", "通过接口修改：title。"]


def test_every_write_is_a_revision_with_who_and_why(as_editor, editor):
    slug = as_editor.post(ARTICLES, {"title": "有版本"}).json()["slug"]
    as_editor.patch(f"{ARTICLES}/{slug}", {"title": "第二版"})
    versions = list(versions_of(Article.objects.get(slug=slug)))
    assert [version.field_dict["title"] for version in versions] == ["第二版", "有版本"]
    assert {version.revision.user for version in versions} == {editor}
    assert versions[0].revision.get_comment() == "通过接口修改：title。"


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({}, "title"),
        ({"title": ""}, "title"),
        ({"title": "长" * 301}, "title"),
        ({"title": "t", "categories": ["no/such"]}, "categories"),
        ({"title": "t", "author": "nobody"}, "author"),
        ({"title": "t", "tags": [""]}, "tags"),
        ({"title": "t", "head_image": "javascript:alert(1)"}, "head_image"),
        ({"title": "t", "body_format": "pdf"}, "body_format"),
    ],
)
def test_invalid_input_is_refused_naming_the_field(as_editor, payload, field):
    assert field in error_fields(as_editor.post(ARTICLES, payload))
    assert not Article.objects.exists()


def test_a_user_without_an_author_profile_must_name_the_author(client, admin_user):
    caller = Caller(client, make_token(admin_user))
    assert error_fields(caller.post(ARTICLES, {"title": "无作者"})) == ["author"]
    author = Author.objects.create(name="编辑部")
    assert caller.post(ARTICLES, {"title": "有作者", "author": author.slug}).status_code == 201


def test_an_update_changes_only_the_fields_sent(as_editor):
    article = make_article("原标题", body="<p>原正文</p>", slug="a")
    response = as_editor.patch(f"{ARTICLES}/a", {"title": "新标题"})
    assert response.status_code == 200, response.content
    article.refresh_from_db()
    assert (article.title, article.body, article.slug) == ("新标题", "<p>原正文</p>", "a")


def test_an_imported_article_changed_through_the_api_is_kept_from_re_imports(as_editor):
    article = make_article(slug="imported")
    ArticleSource.objects.create(article=article, key="k", file_name="f.md", content_hash="h")
    as_editor.patch(f"{ARTICLES}/imported", {"excerpt": "编辑写的摘要"})
    assert Article.objects.get(pk=article.pk).edited_in_admin


def test_publish_schedule_and_unpublish(as_editor, client):
    make_article(slug="a", status=Article.Status.DRAFT, days_ago=None)
    assert as_editor.post(f"{ARTICLES}/a/publish").json()["state"] == "published"
    assert client.get(f"{ARTICLES}/a").status_code == 200
    assert as_editor.post(f"{ARTICLES}/a/unpublish").json()["state"] == "draft"
    assert client.get(f"{ARTICLES}/a").status_code == 404
    future = (timezone.now() + dt.timedelta(days=1)).isoformat()
    assert as_editor.post(f"{ARTICLES}/a/schedule", {"published_at": future}).json()["state"] == "scheduled"
    assert client.get(f"{ARTICLES}/a").status_code == 404


def test_scheduling_in_the_past_is_refused_naming_the_field(as_editor):
    make_article(slug="a", status=Article.Status.DRAFT)
    past = (timezone.now() - dt.timedelta(hours=1)).isoformat()
    assert error_fields(as_editor.post(f"{ARTICLES}/a/schedule", {"published_at": past})) == ["published_at"]


def test_an_editors_token_cannot_delete(as_editor):
    make_article(slug="a")
    response = as_editor.delete(f"{ARTICLES}/a")
    assert response.status_code == 403
    assert "delete_article" in response.json()["detail"]
    assert Article.objects.filter(slug="a").exists()


def test_a_token_with_the_delete_permission_deletes(client, admin_user):
    make_article(slug="a")
    assert Caller(client, make_token(admin_user)).delete(f"{ARTICLES}/a").status_code == 204
    assert not Article.objects.exists()


def test_a_staff_user_without_the_publish_permission_cannot_publish(client, staff_editor):
    make_article(slug="a", status=Article.Status.DRAFT)
    caller = Caller(client, make_token(staff_editor))
    assert caller.post(f"{ARTICLES}/a/publish").status_code == 403
    assert caller.patch(f"{ARTICLES}/a", {"title": "可以改"}).status_code == 200
    assert Article.objects.get(slug="a").state == Article.State.DRAFT


def test_a_non_staff_users_token_cannot_write(client, django_user_model):
    reader = django_user_model.objects.create_user("reader")
    assert Caller(client, make_token(reader)).post(ARTICLES, {"title": "t"}).status_code == 403


def test_writing_needs_a_token_and_a_revoked_one_is_refused(client, editor):
    assert client.post(ARTICLES, "{}", content_type="application/json").status_code == 401
    caller = Caller(client, make_token(editor))
    ApiToken.objects.get().revoke()
    assert caller.post(ARTICLES, {"title": "t"}).status_code == 401
    assert not Article.objects.exists()


def test_an_unknown_slug_is_404(as_editor):
    assert as_editor.patch(f"{ARTICLES}/nope", {"title": "t"}).status_code == 404


@pytest.mark.parametrize("bad", ["标题\x00", "\ud800"])
def test_text_no_database_can_store_is_refused_naming_the_field(as_editor, bad):
    response = as_editor.post(ARTICLES, {"title": "t", "categories": [bad]})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][-2:] == ["categories", 0]
    assert "title" in error_fields(as_editor.post(ARTICLES, {"title": bad}))
    assert not Article.objects.exists()


def test_a_tag_with_nothing_to_slug_still_gets_an_address(as_editor):
    response = as_editor.post(ARTICLES, {"title": "符号标签", "tags": ["¯", "!!"]})
    assert response.status_code == 201, response.content
    assert sorted(tag["slug"] for tag in response.json()["tags"]) == ["tag", "tag_1"]
