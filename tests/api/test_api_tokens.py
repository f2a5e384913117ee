"""API tokens in the admin: made there, shown once, stored hashed, revoked."""

import re
from io import StringIO

import pytest
from django.contrib.auth.models import Permission, User
from django.core.management import call_command
from django.urls import reverse

from api.models import ApiToken
from tests.builders import bearer

pytestmark = pytest.mark.django_db


def add_token(client, **fields) -> str:
    """Make a token in the admin; returns the page shown right after."""
    response = client.post(reverse("admin:api_apitoken_add"), {"name": "移动应用", **fields})
    assert response.status_code == 200, response.content
    return response


def shown_secret(response) -> str:
    return re.search(r'value="(nr_[^"]+)"', response.content.decode())[1]


def test_a_new_token_is_shown_once_and_only_its_digest_is_stored(admin_client, admin_user):
    response = add_token(admin_client, user=admin_user.pk)
    secret = shown_secret(response)
    assert "no-store" in response["Cache-Control"]
    token = ApiToken.objects.get()
    assert token.digest == ApiToken.digest_of(secret) and secret not in (token.prefix, token.digest)
    assert secret.startswith(token.prefix)
    page = admin_client.get(reverse("admin:api_apitoken_change", args=[token.pk])).content.decode()
    assert secret not in page


def test_the_shown_token_works_until_it_is_revoked(admin_client, admin_user, client):
    secret = shown_secret(add_token(admin_client, user=admin_user.pk))
    assert client.get("/api/v1/articles", **bearer(secret)).status_code == 200
    token = ApiToken.objects.get()
    admin_client.post(reverse("admin:api_apitoken_changelist"), {"action": "revoke", "_selected_action": [token.pk]})
    assert ApiToken.objects.get().is_revoked
    assert client.get("/api/v1/articles", **bearer(secret)).status_code == 401


def test_staff_who_do_not_manage_users_make_tokens_only_for_themselves(client, django_user_model, admin_user):
    editor = django_user_model.objects.create_user("editor", is_staff=True)
    editor.user_permissions.add(*Permission.objects.filter(codename__in=["add_apitoken", "view_apitoken"]))
    client.force_login(editor)
    add_token(client, user=admin_user.pk)
    assert ApiToken.objects.get().user == editor


@pytest.fixture
def editor(client):
    """An everyday editor (create_editor: staff, in the Editors group), signed in."""
    call_command("create_editor", "xiaowang", password="newsroom-2024!", stdout=StringIO())
    user = User.objects.get(username="xiaowang")
    client.force_login(user)
    return user


def test_editors_make_tokens_for_themselves_and_see_only_their_own(client, editor, admin_user):
    others = ApiToken(user=admin_user, name="管理员的")
    others.generate()
    others.save()
    add_token(client, user=admin_user.pk)
    assert list(ApiToken.objects.order_by("pk").values_list("user__username", flat=True)) == ["admin", "xiaowang"]
    page = client.get(reverse("admin:api_apitoken_changelist")).content.decode()
    assert "移动应用" in page and "管理员的" not in page


def test_editors_configure_webhooks_and_read_deliveries_but_cannot_delete_webhooks(editor):
    assert editor.has_perms(["api.add_webhook", "api.change_webhook", "api.view_webhookdelivery"])
    assert not editor.has_perm("api.delete_webhook")
