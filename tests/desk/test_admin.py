"""Editors in the admin: forms load, saves are sanitised, edits are remembered."""

import pytest
from django.urls import reverse

from content.models import Article, ArticleSource
from tests.builders import change_url, edit_form, make_article, make_author, make_category

pytestmark = pytest.mark.django_db


@pytest.fixture
def article():
    return make_article("编辑中的文章")


def test_superuser_can_open_the_article_change_form(admin_client, article):
    response = admin_client.get(change_url(article))
    assert response.status_code == 200
    assert "编辑中的文章" in response.content.decode()


@pytest.mark.parametrize("model", ["article", "category", "author", "tag"])
def test_admin_lists_load(admin_client, article, model):
    assert admin_client.get(reverse(f"admin:articles_{model}_changelist")).status_code == 200


def test_saving_renders_and_sanitises_the_body(admin_client, article):
    body = '<p onclick="x()">新正文</p><script>alert(1)</script><img src="javascript:alert(1)">'
    response = admin_client.post(change_url(article), edit_form(article, body_source=body))
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.body == "<p>新正文</p>"
    assert article.excerpt == "新正文"


def test_markdown_bodies_are_rendered_on_save(admin_client, article):
    data = edit_form(article, body_format="markdown", body_source="**重点**\n\n- 一\n- 二")
    admin_client.post(change_url(article), data)
    article.refresh_from_db()
    assert "<strong>重点</strong>" in article.body and "<li>一</li>" in article.body


def test_editing_an_imported_article_marks_it_edited(admin_client, article):
    ArticleSource.objects.create(article=article, key="k", file_name="post.md", content_hash="h")
    admin_client.post(change_url(article), edit_form(article, title="新标题"))
    article.refresh_from_db()
    assert article.edited_in_admin and article.title == "新标题"


def test_editor_can_change_the_author(admin_client, article):
    other = make_author("另一位编辑")
    admin_client.post(change_url(article), edit_form(article, author=other.pk))
    assert Article.objects.get().author == other


def test_tags_separated_by_chinese_commas_become_separate_tags(admin_client, article):
    admin_client.post(change_url(article), edit_form(article, tags="人工智能，电动汽车、芯片"))
    assert sorted(article.tags.names()) == ["人工智能", "电动汽车", "芯片"]


def test_category_autocomplete_shows_full_paths(admin_client, article):
    make_category("新媒体", "爱范儿", "新闻")
    params = {"app_label": "articles", "model_name": "article", "field_name": "categories", "term": "新闻"}
    results = admin_client.get(reverse("admin:autocomplete"), params).json()["results"]
    assert [result["text"] for result in results] == ["新媒体 › 爱范儿 › 新闻"]
