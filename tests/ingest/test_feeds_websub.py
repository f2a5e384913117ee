"""WebSub subscriber: a feed advertising a hub is subscribed to; the hub verifies our intent, pushes signed
changes and the worker renews the lease, polling going on as the fallback. A loopback server stands in for
the hub and the feed, answering as the W3C WebSub recommendation says."""

import datetime as dt
import hashlib
import hmac
import urllib.parse
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from content.models import Article, Feed
from ingest.models import WebSubSubscription
from tests.builders import make_feed
from tests.feeds.server import FIXTURES, serve_feeds

pytestmark = pytest.mark.django_db
SITE = "https://news.example.com"


def feed_with_hub(base: str) -> bytes:
    """The RSS fixture, advertising the hub and its own address as Atom links."""
    links = f'<atom:link rel="hub" href="{base}/hub"/><atom:link rel="self" href="{base}/topic"/>'
    rss = (FIXTURES / "rss.xml").read_bytes().decode()  # declares the atom: namespace already
    return rss.replace("<channel>", f"<channel>{links}", 1).encode()


@pytest.fixture
def hub(settings):
    """A feed at /feed naming the hub at /hub, which accepts subscriptions with 202."""
    settings.FEEDS_ALLOW_PRIVATE_HOSTS = True
    settings.FEEDS_TIMEOUT = 5
    settings.SITE_URL = SITE
    settings.WEBSUB_SUBSCRIBE = True
    routes = {}
    with serve_feeds(routes) as server:
        routes["/feed"] = (200, "application/rss+xml", feed_with_hub(server.base))
        routes["/hub"] = (202, "text/plain", b"")
        yield server


def fetch_round() -> None:
    call_command("fetch_feeds", "--once", stdout=StringIO(), stderr=StringIO())


def subscribed(hub, run_tasks) -> tuple[Feed, WebSubSubscription]:
    feed = make_feed(hub.url("/feed"))
    fetch_round()
    run_tasks()
    return feed, WebSubSubscription.objects.get(feed=feed)


def callback(feed: Feed) -> str:
    return reverse("ingest:websub-callback", args=[feed.pk])


def verify(client, feed, topic, **params):
    query = {"hub.mode": "subscribe", "hub.topic": topic, "hub.challenge": "c4a11e9e", **params}
    return client.get(callback(feed), query)


def signed(secret: str, body: bytes, algorithm="sha256") -> str:
    return f"{algorithm}=" + hmac.new(secret.encode(), body, getattr(hashlib, algorithm)).hexdigest()


def test_a_feed_advertising_a_hub_is_subscribed_to_with_a_callback_and_a_secret(hub, run_tasks):
    feed, subscription = subscribed(hub, run_tasks)
    [(path, body)] = hub.posted
    assert path == "/hub"
    assert urllib.parse.parse_qs(body.decode()) == {
        "hub.mode": ["subscribe"],
        "hub.topic": [hub.url("/topic")],
        "hub.callback": [f"{SITE}/ingest/websub/{feed.pk}/"],
        "hub.lease_seconds": [str(10 * 24 * 3600)],
        "hub.secret": [subscription.secret],
    }
    assert (subscription.hub, subscription.topic) == (hub.url("/hub"), hub.url("/topic"))
    assert subscription.state == WebSubSubscription.State.REQUESTED and len(subscription.secret) == 64
    assert Article.objects.count() == 2  # polled meanwhile


def test_the_hub_verifies_intent_and_the_lease_it_grants_is_kept(hub, run_tasks, client):
    feed, subscription = subscribed(hub, run_tasks)
    response = verify(client, feed, subscription.topic, **{"hub.lease_seconds": "3600"})
    assert response.status_code == 200 and response.content == b"c4a11e9e"
    subscription.refresh_from_db()
    assert subscription.state == WebSubSubscription.State.VERIFIED
    assert dt.timedelta(minutes=59) < subscription.lease_expires_at - timezone.now() <= dt.timedelta(hours=1)


def test_intent_for_another_topic_or_an_unsubscription_is_refused(hub, run_tasks, client):
    feed, subscription = subscribed(hub, run_tasks)
    assert verify(client, feed, "https://elsewhere.example.com/feed").status_code == 404
    assert verify(client, feed, subscription.topic, **{"hub.mode": "unsubscribe"}).status_code == 404
    assert client.get(reverse("ingest:websub-callback", args=[999999])).status_code == 404


def test_a_denial_is_recorded_with_its_reason(hub, run_tasks, client):
    feed, subscription = subscribed(hub, run_tasks)
    response = client.get(
        callback(feed), {"hub.mode": "denied", "hub.topic": subscription.topic, "hub.reason": "unknown topic"}
    )
    assert response.status_code == 200
    subscription.refresh_from_db()
    assert subscription.state == WebSubSubscription.State.DENIED
    assert subscription.last_error == "the hub denied the subscription: unknown topic"


@pytest.mark.parametrize("algorithm", ["sha1", "sha256", "sha512"])
def test_a_signed_push_has_the_worker_fetch_the_feed_at_once(hub, run_tasks, client, algorithm):
    feed, subscription = subscribed(hub, run_tasks)
    verify(client, feed, subscription.topic)
    Article.objects.all().delete()
    body = feed_with_hub(hub.base)
    response = client.post(
        callback(feed),
        body,
        content_type="application/rss+xml",
        HTTP_X_HUB_SIGNATURE=signed(subscription.secret, body, algorithm),
    )
    assert response.status_code == 202
    Feed.objects.filter(pk=feed.pk).update(etag="")  # the feed changed
    assert run_tasks() == 1
    assert Article.objects.count() == 2
    assert WebSubSubscription.objects.get(feed=feed).last_push_at is not None


def test_a_push_with_a_wrong_signature_is_acknowledged_and_ignored(hub, run_tasks, client):
    feed, subscription = subscribed(hub, run_tasks)
    verify(client, feed, subscription.topic)
    body = feed_with_hub(hub.base)
    for signature in [signed("not-the-secret", body), "", "md5=abc"]:
        response = client.post(callback(feed), body, content_type="application/rss+xml", HTTP_X_HUB_SIGNATURE=signature)
        assert response.status_code == 202
    assert not DBTaskResult.objects.filter(status="READY").exists()


def test_the_fetcher_renews_a_lease_about_to_end_and_leaves_a_long_one(hub, run_tasks, client):
    feed, subscription = subscribed(hub, run_tasks)
    verify(client, feed, subscription.topic, **{"hub.lease_seconds": str(30 * 24 * 3600)})
    WebSubSubscription.objects.filter(pk=feed.pk).update(requested_at=timezone.now() - dt.timedelta(days=9))
    Feed.objects.filter(pk=feed.pk).update(next_fetch_at=None)
    fetch_round()
    run_tasks()
    assert len(hub.posted) == 1
    WebSubSubscription.objects.filter(pk=feed.pk).update(lease_expires_at=timezone.now() + dt.timedelta(hours=2))
    Feed.objects.filter(pk=feed.pk).update(next_fetch_at=None)
    fetch_round()
    run_tasks()
    assert len(hub.posted) == 2
    subscription = WebSubSubscription.objects.get(pk=feed.pk)
    assert subscription.state == WebSubSubscription.State.VERIFIED  # the running lease holds until re-verified


def test_without_the_setting_no_hub_is_asked(hub, settings, run_tasks):
    settings.WEBSUB_SUBSCRIBE = False
    make_feed(hub.url("/feed"))
    fetch_round()
    run_tasks()
    assert not WebSubSubscription.objects.exists()
    assert hub.posted == []


def test_a_hub_that_refuses_the_request_is_recorded(hub, run_tasks):
    hub.routes["/hub"] = (400, "text/plain", b"bad request")
    feed, subscription = subscribed(hub, run_tasks)
    assert subscription.state == WebSubSubscription.State.FAILED
    assert subscription.last_error == "subscribing: HTTP 400 Bad Request"


def test_the_feed_form_shows_the_push_subscription(hub, run_tasks, client, admin_user):
    feed, subscription = subscribed(hub, run_tasks)
    client.force_login(admin_user)
    page = client.get(reverse("admin:articles_feed_change", args=[feed.pk])).content.decode()
    assert hub.url("/hub") in page and "已申请" in page
