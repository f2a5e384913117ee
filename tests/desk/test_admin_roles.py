"""The Editors group and ``create_editor``: editors write and publish, and nothing more."""

from io import StringIO

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import CommandError, call_command
from django.urls import reverse

from content.models import Article, Author
from tests.builders import add_url, changelist_url, make_article

pytestmark = pytest.mark.django_db

PASSWORD = "newsroom-2024!"


def create_editor(*args, **options) -> str:
    out = StringIO()
    call_command("create_editor", *args, stdout=out, **options)
    return out.getvalue()


@pytest.fixture
def editor(client):
    create_editor("xiaowang", password=PASSWORD)
    client.login(username="xiaowang", password=PASSWORD)
    return client


def test_create_editor_makes_a_staff_user_in_the_editors_group():
    assert "Created editor xiaowang" in create_editor("xiaowang", password=PASSWORD)
    user = User.objects.get(username="xiaowang")
    assert user.is_staff and not user.is_superuser
    assert list(user.groups.values_list("name", flat=True)) == ["Editors"]


def test_create_editor_reads_the_password_from_the_environment(monkeypatch):
    monkeypatch.setenv("EDITOR_PASSWORD", PASSWORD)
    create_editor("xiaowang")
    assert User.objects.get(username="xiaowang").check_password(PASSWORD)


def test_create_editor_without_a_password_and_no_terminal_fails(monkeypatch):
    monkeypatch.delenv("EDITOR_PASSWORD", raising=False)
    with pytest.raises(CommandError, match="--password"):
        create_editor("xiaowang")


def test_create_editor_refuses_a_weak_password():
    with pytest.raises(CommandError, match="too short"):
        create_editor("xiaowang", password="abc")
    assert not User.objects.exists()


def test_create_editor_dry_run_creates_nobody():
    assert "dry run" in create_editor("xiaowang", password=PASSWORD, dry_run=True)
    assert not User.objects.exists()


def test_create_editor_can_link_the_editors_byline():
    create_editor("laoli", password=PASSWORD, author="李记者")
    assert Author.objects.get(name="李记者").user.username == "laoli"


def test_editors_group_cannot_delete_or_manage_accounts():
    codenames = set(Group.objects.get(name="Editors").permissions.values_list("codename", flat=True))
    assert {"add_article", "change_article", "publish_article", "add_category", "add_author", "add_tag"} <= codenames
    assert not {code for code in codenames if code.startswith("delete_")}
    assert not {code for code in codenames if code.endswith(("_user", "_group", "_permission"))}


@pytest.mark.parametrize("view", ["auth_user_changelist", "auth_group_changelist", "auth_user_add"])
def test_editors_cannot_open_the_user_and_group_admin(editor, view):
    assert editor.get(reverse(f"admin:{view}")).status_code == 403


def test_editors_cannot_delete_an_article(editor):
    article = make_article()
    response = editor.post(reverse("admin:articles_article_delete", args=[article.pk]), {"post": "yes"})
    assert response.status_code == 403
    assert Article.objects.filter(pk=article.pk).exists()


def test_editors_are_not_offered_the_delete_action(editor):
    make_article()
    page = editor.get(changelist_url()).content.decode()
    assert 'value="publish_now"' in page and 'value="delete_selected"' not in page


def test_editors_can_write_an_article(editor):
    assert editor.get(add_url()).status_code == 200


def test_editors_can_open_the_feeds_list_but_not_delete_feeds(editor):
    assert editor.get(reverse("admin:articles_feed_changelist")).status_code == 200
    user = User.objects.get(username="xiaowang")
    assert user.has_perms(["articles.add_feed", "articles.change_feed", "articles.view_feed"])
    assert not user.has_perm("articles.delete_feed")
