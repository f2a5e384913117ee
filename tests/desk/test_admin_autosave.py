"""Never lose work: autosave into the editor's own slot, offered back on reopening;
who else is editing; a save over a newer one is refused with the difference."""

import datetime as dt

import pytest
import reversion
from django.contrib.auth.models import User
from django.urls import reverse
from django.utils import timezone

from content.autosave import AutosavedDraft
from content.models import Article
from tests.builders import add_url, change_url, edit_form, make_article

pytestmark = pytest.mark.django_db


@pytest.fixture
def article():
    return make_article("原标题", body="<p>原来的正文。</p>")


def autosave_url() -> str:
    return reverse("admin:articles_autosave")


def test_autosave_keeps_the_text_apart_from_the_article(admin_client, article):
    answer = admin_client.post(
        autosave_url(), {"article": article.pk, "title": "新标题", "body_source": "<p>打了一半</p>"}
    )
    assert answer.status_code == 200 and answer.json()["saved_at"]
    article.refresh_from_db()
    assert article.title == "原标题"
    assert AutosavedDraft.objects.get(article=article).fields["body_source"] == "<p>打了一半</p>"


def test_reopening_offers_the_autosaved_text_and_gives_it_back(admin_client, article):
    admin_client.post(autosave_url(), {"article": article.pk, "title": "新标题", "body_source": "<p>打了一半</p>"})
    assert "恢复自动保存的内容" in admin_client.get(change_url(article)).content.decode()
    fields = admin_client.get(autosave_url(), {"article": article.pk}).json()["fields"]
    assert fields["title"] == "新标题" and fields["body_source"] == "<p>打了一半</p>"


def test_a_new_article_has_its_own_slot(admin_client):
    admin_client.post(autosave_url(), {"article": "", "title": "还没保存的新文章"})
    assert "恢复自动保存的内容" in admin_client.get(add_url()).content.decode()


def test_saving_the_article_empties_the_slot(admin_client, article):
    admin_client.post(autosave_url(), {"article": article.pk, "title": "新标题"})
    admin_client.post(change_url(article), edit_form(article, title="新标题"))
    assert not AutosavedDraft.objects.exists()
    assert "恢复自动保存的内容" not in admin_client.get(change_url(article)).content.decode()


def test_an_autosave_older_than_the_article_is_not_offered(admin_client, article):
    admin_client.post(autosave_url(), {"article": article.pk, "title": "旧的草稿"})
    AutosavedDraft.objects.update(saved_at=timezone.now() - dt.timedelta(hours=1))
    assert "恢复自动保存的内容" not in admin_client.get(change_url(article)).content.decode()


def test_discarding_empties_the_slot(admin_client, article):
    admin_client.post(autosave_url(), {"article": article.pk, "title": "不要了"})
    admin_client.post(autosave_url(), {"article": article.pk, "discard": "1"})
    assert not AutosavedDraft.objects.exists()


def test_the_form_says_who_else_is_editing(admin_client, client, article):
    User.objects.create_superuser("laoli", password="pw")
    client.login(username="laoli", password="pw")
    client.post(autosave_url(), {"article": article.pk, "title": "老李在改"})
    assert "laoli 正在编辑这篇文章" in admin_client.get(change_url(article)).content.decode()


def test_autosave_needs_the_right_to_change_the_article(client, django_user_model, article):
    django_user_model.objects.create_user("reader", password="pw", is_staff=True)
    client.login(username="reader", password="pw")
    assert client.post(autosave_url(), {"article": article.pk, "title": "x"}).status_code == 403


def test_a_save_over_a_newer_save_is_refused_with_who_and_the_difference(admin_client, article):
    opened = article.updated_at.isoformat()
    other = User.objects.create_superuser("laoli", password="pw")
    with reversion.create_revision():
        article.body_source = "<p>老李改过的正文。</p>"
        article.save_as_editor()
        reversion.set_user(other)
    response = admin_client.post(
        change_url(article), edit_form(article, loaded_at=opened, body_source="<p>我改过的正文。</p>")
    )
    page = response.content.decode()
    assert response.status_code == 200 and "laoli 在" in page and "你的修改没有保存" in page
    assert "<del>老李</del>" in page and "<ins>我</ins>" in page
    article.refresh_from_db()
    assert article.body_source == "<p>老李改过的正文。</p>"


def test_a_save_over_the_version_opened_goes_through(admin_client, article):
    data = edit_form(article, loaded_at=article.updated_at.isoformat(), title="改好了")
    assert admin_client.post(change_url(article), data).status_code == 302
    assert Article.objects.get().title == "改好了"
