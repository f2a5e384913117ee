"""Staff accounts as production has them: lockout and the second factor on."""

import pytest
from django.contrib.auth.models import Group, User
from django.urls import reverse

PASSWORD = "newsroom-2024!"


@pytest.fixture
def protections(settings):
    settings.AXES_ENABLED = True
    settings.SECOND_FACTOR_FOR = "publishers"
    return settings


@pytest.fixture
def superuser(db):
    return User.objects.create_superuser("laoli", "laoli@example.com", PASSWORD)


@pytest.fixture
def writer(db):
    """Staff who may write but not publish (no second factor by default)."""
    user = User.objects.create_user("writer", "writer@example.com", PASSWORD, is_staff=True)
    group = Group.objects.get(name="Editors")
    user.user_permissions.add(*group.permissions.exclude(codename="publish_article"))
    return user


def log_in(client, username, password=PASSWORD, *, address="203.0.113.7", **fields):
    """The admin's login form, posted from ``address``."""
    data = {"username": username, "password": password, "next": reverse("admin:index"), **fields}
    return client.post(reverse("admin:login"), data, REMOTE_ADDR=address)


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def reaches_admin(client) -> bool:
    return client.get(reverse("admin:index")).status_code == 200
