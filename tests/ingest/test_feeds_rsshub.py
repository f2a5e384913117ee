"""RSSHub: route lists need the site's own instance (no public default), and that instance may run beside Newsroom."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from content.models import Article, Feed
from tests.builders import make_feed
from tests.conftest import TESTS_DIR
from tests.feeds.server import serve_feeds

pytestmark = pytest.mark.django_db
CONFIG = TESTS_DIR / "feeds" / "config.yml"


def test_a_route_list_without_an_rsshub_instance_is_refused(settings):
    settings.RSSHUB_BASE_URL = ""
    with pytest.raises(CommandError, match="no RSSHub instance: set RSSHUB_BASE_URL to your own"):
        call_command("import_feed_config", str(CONFIG), stdout=StringIO(), stderr=StringIO())
    assert not Feed.objects.exists()


def test_routes_on_an_instance_beside_newsroom_are_subscribed_and_fetched(settings):
    settings.FEEDS_ALLOW_PRIVATE_HOSTS = False
    with serve_feeds() as rsshub:
        settings.RSSHUB_BASE_URL = rsshub.base
        call_command("import_feed_config", str(CONFIG), stdout=StringIO(), stderr=StringIO())
        assert Feed.objects.filter(url=rsshub.url("/ofweek/news")).exists()
        feed = make_feed(rsshub.url("/rss"), path=("测试",))
        call_command("fetch_feeds", "--once", "--feed", str(feed.pk), stdout=StringIO(), stderr=StringIO())
    assert Article.objects.count() == 2


def test_another_host_at_a_private_address_is_still_refused(settings):
    settings.FEEDS_ALLOW_PRIVATE_HOSTS = False
    settings.RSSHUB_BASE_URL = "http://127.0.0.1:1"
    with serve_feeds() as other:
        feed = make_feed(other.url("/rss"))
        err = StringIO()
        with pytest.raises(CommandError):
            call_command("fetch_feeds", "--once", stdout=StringIO(), stderr=err)
        assert other.requests == []
    assert "resolves to a non-public address" in err.getvalue()
    assert Feed.objects.get(pk=feed.pk).consecutive_failures == 1
