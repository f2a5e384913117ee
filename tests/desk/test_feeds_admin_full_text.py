"""The feed form's full-text switch and CSS selector."""

import pytest
from django.urls import reverse

from ingest.models import FullText
from tests.builders import make_feed

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client


def feed_form(feed, **full_text) -> dict:
    return {
        "url": feed.url,
        "category": feed.category_id,
        "source": feed.source_id,
        "is_active": "on",
        "interval_minutes": "60",
        "next_fetch_at_0": "",
        "next_fetch_at_1": "",
        "full_text-TOTAL_FORMS": "1",
        "full_text-INITIAL_FORMS": "0",
        "full_text-MIN_NUM_FORMS": "0",
        "full_text-MAX_NUM_FORMS": "1",
        "websub-TOTAL_FORMS": "0",
        "websub-INITIAL_FORMS": "0",
        "websub-MIN_NUM_FORMS": "0",
        "websub-MAX_NUM_FORMS": "0",
        **{f"full_text-0-{name}": value for name, value in full_text.items()},
    }


def test_an_editor_switches_full_text_on_with_a_selector(admin_client):
    feed = make_feed()
    response = admin_client.post(
        reverse("admin:articles_feed_change", args=[feed.pk]), feed_form(feed, enabled="on", selector="div.post")
    )
    assert response.status_code == 302
    options = FullText.objects.get(feed=feed)
    assert options.enabled and options.selector == "div.post"


def test_a_bad_selector_is_refused_with_the_reason(admin_client):
    feed = make_feed()
    page = admin_client.post(
        reverse("admin:articles_feed_change", args=[feed.pk]), feed_form(feed, enabled="on", selector="div[")
    ).content.decode()
    assert "CSS 选择器无效" in page
    assert not FullText.objects.exists()
