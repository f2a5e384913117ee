"""WebSub subscriber (https://www.w3.org/TR/websub/): a feed that advertises a
hub pushes its changes to us instead of waiting for the next poll.

1. The fetcher reads a feed's ``<link rel="hub">`` (and ``rel="self"``, the
   topic) and, with ``WEBSUB_SUBSCRIBE`` and ``SITE_URL`` set, queues
   :func:`subscribe` when there is no subscription yet, the hub or topic
   changed, the lease ends within a day, or a refused request is six hours old.
   The worker sends it, so no cron job renews leases.
2. :func:`subscribe` posts ``hub.mode=subscribe`` with our callback
   (``/ingest/websub/<feed id>/`` under ``SITE_URL``), the topic, the lease
   asked for (``WEBSUB_LEASE_SECONDS``) and a secret, through the guarded
   client; the hub answers 202.
3. The hub verifies our intent with a GET to the callback
   (:func:`verify_intent`): we echo its challenge only for the topic we asked
   for, and note the lease it granted; a third party cannot unsubscribe us. A
   denial is recorded with its reason.
4. The hub posts new content signed ``X-Hub-Signature: sha256=<HMAC of the
   body with our secret>`` (sha1/384/512 too). If it checks
   (:func:`signature_ok`) the worker fetches the feed at once, through the same
   conditional GET, limits and parser as polling: the push is the signal,
   polling's path the one way in. If not, it is acknowledged (the
   specification asks for a 2xx) and ignored.

Polling goes on at the feed's interval meanwhile: the fallback if the hub goes quiet.
"""

import datetime as dt
import hashlib
import hmac
import re
import secrets
import time
import urllib.parse
import urllib.request

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django_tasks import task

from content.models import Feed
from ingest.models import WebSubSubscription
from newsroom.http import ERRORS, failure, opener, read

RENEW_BEFORE = dt.timedelta(days=1)
RETRY_AFTER = dt.timedelta(hours=6)
SIGNATURE = re.compile(r"^(sha1|sha256|sha384|sha512)=([0-9a-fA-F]+)$")
State = WebSubSubscription.State


def callback_url(feed_id: int) -> str:
    return settings.SITE_URL + reverse("ingest:websub-callback", args=[feed_id])


def keep_subscribed(feed: Feed, hub: str | None, topic: str | None, now: dt.datetime | None = None) -> bool:
    """Queue a subscription (or its renewal) to ``hub`` if one is due; returns whether it was.
    ``hub`` ``None`` means the feed was not modified: the hub of the subscription we have."""
    if hub is None:
        hub, topic = WebSubSubscription.objects.filter(feed=feed).values_list("hub", "topic").first() or ("", "")
    if not (settings.WEBSUB_SUBSCRIBE and settings.SITE_URL and hub):
        return False
    now, topic = now or timezone.now(), topic or feed.url
    with transaction.atomic():
        current = WebSubSubscription.objects.select_for_update().filter(feed=feed).first()
        if current is not None and not _due(current, hub, topic, now):
            return False
        changed = current is None or (current.hub, current.topic) != (hub, topic)
        fields = {"hub": hub, "topic": topic, "requested_at": now}
        if changed:  # a new hub: a new secret, and nothing verified yet
            fields |= {"secret": secrets.token_hex(32), "state": State.REQUESTED, "lease_expires_at": None}
        WebSubSubscription.objects.update_or_create(feed=feed, defaults=fields)
        transaction.on_commit(lambda: subscribe.enqueue(feed.pk))
    return True


def _due(subscription: WebSubSubscription, hub: str, topic: str, now: dt.datetime) -> bool:
    if (subscription.hub, subscription.topic) != (hub, topic):
        return True
    recently_asked = subscription.requested_at and now - subscription.requested_at < RETRY_AFTER
    if subscription.state == State.VERIFIED:
        ending = subscription.lease_expires_at is None or subscription.lease_expires_at - now < RENEW_BEFORE
        return ending and not recently_asked
    return not recently_asked


@task()
def subscribe(feed_id: int) -> str:
    """Ask the hub for the subscription; returns what went wrong, or "" (the hub then verifies)."""
    subscription = WebSubSubscription.objects.filter(pk=feed_id).first()
    if subscription is None:
        return "no subscription"
    form = {
        "hub.mode": "subscribe",
        "hub.topic": subscription.topic,
        "hub.callback": callback_url(feed_id),
        "hub.lease_seconds": str(settings.WEBSUB_LEASE_SECONDS),
        "hub.secret": subscription.secret,
    }
    problem = _post(subscription.hub, urllib.parse.urlencode(form).encode())
    if problem:
        fields = {"last_error": f"subscribing: {problem}"}
        if subscription.state != State.VERIFIED:  # a verified lease still runs; retried later either way
            fields["state"] = State.FAILED
        WebSubSubscription.objects.filter(pk=feed_id).update(**fields)
    return problem


def _post(url: str, data: bytes) -> str:
    timeout = settings.FEEDS_TIMEOUT
    request = urllib.request.Request(url, data=data, method="POST")
    try:
        guarded = opener(allow_private=settings.FEEDS_ALLOW_PRIVATE_HOSTS, max_redirects=settings.FEEDS_MAX_REDIRECTS)
        with guarded.open(request, timeout=timeout) as response:
            read(response, time.monotonic() + timeout, 64 * 1024)
    except ERRORS as exc:
        return failure(exc, timeout)
    return ""


def verify_intent(subscription: WebSubSubscription, params, now: dt.datetime | None = None) -> str | None:
    """The hub's GET: the text to answer with (200), or ``None`` to refuse (404)."""
    mode, topic = params.get("hub.mode"), params.get("hub.topic")
    if mode == "denied" and topic == subscription.topic:
        reason = params.get("hub.reason", "")
        WebSubSubscription.objects.filter(pk=subscription.pk).update(
            state=State.DENIED, last_error=f"the hub denied the subscription: {reason}".rstrip(": ")
        )
        return ""
    wanted = subscription.feed.is_active and subscription.state != State.DENIED
    if mode != "subscribe" or topic != subscription.topic or not wanted or not params.get("hub.challenge"):
        return None
    lease = params.get("hub.lease_seconds", "")
    seconds = int(lease) if lease.isdigit() else settings.WEBSUB_LEASE_SECONDS
    WebSubSubscription.objects.filter(pk=subscription.pk).update(
        state=State.VERIFIED,
        lease_expires_at=(now or timezone.now()) + dt.timedelta(seconds=seconds),
        last_error="",
    )
    return params["hub.challenge"]


def signature_ok(secret: str, body: bytes, header: str) -> bool:
    """Whether ``X-Hub-Signature`` is the HMAC of ``body`` with our ``secret``."""
    match = SIGNATURE.match(header.strip())
    if not secret or not match:
        return False
    expected = hmac.new(secret.encode(), body, getattr(hashlib, match[1])).hexdigest()
    return hmac.compare_digest(expected, match[2].lower())
