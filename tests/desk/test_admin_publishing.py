"""Writing, scheduling and publishing in the admin, and the history it leaves."""

import datetime as dt
from io import StringIO

import pytest
from django.contrib.admin.models import LogEntry
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from content.models import Article, ArticleSource
from tests.builders import add_url, article_form, change_url, changelist_url, make_article, make_author

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(client):
    call_command("create_editor", "xiaowang", password="newsroom-2024!", stdout=StringIO())
    client.login(username="xiaowang", password="newsroom-2024!")
    return client


def _local(moment: dt.datetime) -> dict:
    moment = timezone.localtime(moment)
    return {"published_at_0": moment.strftime("%Y-%m-%d"), "published_at_1": moment.strftime("%H:%M:%S")}


def test_a_markdown_article_with_script_and_onerror_image_ends_up_harmless(editor, client):
    source = (
        "## 新品发布\n\n正文第一段。\n\n<script>alert('x')</script>\n\n"
        '<img src="x.png" onerror="alert(1)">\n\n[点我](javascript:alert(1))'
    )
    data = article_form(title="新品发布会", author=make_author().pk, body_format="markdown", body_source=source)
    assert editor.post(add_url(), {**data, "status": "published"}).status_code == 302
    article = Article.objects.get(title="新品发布会")
    page = client.get(article.get_absolute_url()).content.decode()
    body = page.split('<div class="article-body">')[1].split("</div>")[0]
    assert "<h2>新品发布</h2>" in body and "正文第一段。" in body
    for hostile in ("<script", "alert", "onerror", "javascript:"):
        assert hostile not in article.body and hostile not in body


def test_scheduling_in_the_future_keeps_the_article_off_the_site(editor, client):
    data = article_form(title="明天见", author=make_author().pk, status="published")
    editor.post(add_url(), {**data, **_local(timezone.now() + dt.timedelta(days=1))})
    article = Article.objects.get(title="明天见")
    assert article.state == Article.State.SCHEDULED
    client.logout()
    assert client.get(article.get_absolute_url()).status_code == 404
    assert "明天见" not in client.get("/").content.decode()


def test_publishing_without_a_date_publishes_now(editor):
    editor.post(add_url(), article_form(title="马上发", author=make_author().pk, status="published"))
    assert Article.objects.get(title="马上发").state == Article.State.PUBLISHED


def test_the_publish_now_action_puts_drafts_and_scheduled_articles_on_the_site(editor, client):
    draft = make_article("一篇草稿", status=Article.Status.DRAFT, days_ago=None)
    scheduled = make_article("一篇定时文章", days_ago=-3)
    reader = Client()
    assert "一篇草稿" not in reader.get("/").content.decode()  # and the page is now cached
    editor.post(changelist_url(), {"action": "publish_now", "_selected_action": [draft.pk, scheduled.pk]})
    home = reader.get("/").content.decode()
    assert "一篇草稿" in home and "一篇定时文章" in home


def test_the_publish_now_action_is_recorded_in_each_articles_history(editor):
    draft = make_article("草稿", status=Article.Status.DRAFT)
    editor.post(changelist_url(), {"action": "publish_now", "_selected_action": [draft.pk]})
    entry = LogEntry.objects.get(object_id=str(draft.pk))
    assert entry.user.username == "xiaowang" and "立即发布" in entry.change_message
    history = editor.get(reverse("admin:articles_article_history", args=[draft.pk])).content.decode()
    assert "xiaowang" in history and "立即发布" in history


def test_the_unpublish_action_takes_an_article_back_to_draft(editor, client):
    article = make_article("撤回的文章")
    editor.post(changelist_url(), {"action": "unpublish", "_selected_action": [article.pk]})
    article.refresh_from_db()
    assert article.state == Article.State.DRAFT
    assert "撤回为草稿" in LogEntry.objects.get(object_id=str(article.pk)).change_message
    client.logout()
    assert client.get(article.get_absolute_url()).status_code == 404


def test_publishing_an_imported_article_in_bulk_marks_it_edited(editor):
    article = make_article("导入的草稿", status=Article.Status.DRAFT)
    ArticleSource.objects.create(article=article, key="k", file_name="post.md", content_hash="h")
    editor.post(changelist_url(), {"action": "publish_now", "_selected_action": [article.pk]})
    article.refresh_from_db()
    assert article.edited_in_admin and article.is_live


def test_saving_in_the_form_is_recorded_with_who_changed_what(editor):
    article = make_article("原标题")
    data = article_form(title="新标题", slug=article.slug, author=article.author_id, status="published")
    editor.post(change_url(article), {**data, **_local(article.published_at)})
    entry = LogEntry.objects.get(object_id=str(article.pk))
    assert entry.user.username == "xiaowang" and "标题" in entry.get_change_message()


def test_a_new_article_is_by_the_editors_own_author_by_default(client):
    call_command("create_editor", "laoli", password="newsroom-2024!", author="李记者", stdout=StringIO())
    client.login(username="laoli", password="newsroom-2024!")
    form = client.get(add_url()).context["adminform"].form
    assert form.initial["author"] == make_author("李记者").pk
