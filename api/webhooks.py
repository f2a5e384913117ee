"""Deliver publish events to webhooks: signed JSON, retried with backoff.

Each delivery is a JSON ``POST`` with the headers ``X-Newsroom-Event``,
``X-Newsroom-Delivery`` (its id, the same on every retry, for the receiver
to ignore repeats) and ``X-Newsroom-Signature: sha256=<hex>``, the HMAC-SHA256
of the body with the webhook's secret. Any 2xx answer is a success; anything
else (an error status, a timeout, a refused address) is recorded on the
delivery and tried again after ``WEBHOOK_RETRY_SECONDS``, doubled after each
failure, until ``WEBHOOK_MAX_ATTEMPTS``. Webhook URLs go through the guarded
client (``newsroom.http``): private and loopback addresses are refused, and
redirects are not followed.
"""

import datetime as dt
import hashlib
import hmac
import json
import time
import urllib.request

from django.conf import settings
from django.utils import timezone

from api.models import Webhook, WebhookDelivery
from newsroom.http import ERRORS, ascii_url, failure, opener, read

SIGNATURE_HEADER = "X-Newsroom-Signature"
# The most of a receiver's answer read (it is not kept; reading lets the connection close cleanly).
ANSWER_MAX_BYTES = 64 * 1024


def signature(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def deliveries_for(events: list[dict]) -> list[WebhookDelivery]:
    """One delivery per event per active webhook that asked for it."""
    webhooks = list(Webhook.objects.filter(is_active=True))
    return WebhookDelivery.objects.bulk_create(
        WebhookDelivery(webhook=webhook, event=event["event"], payload=event)
        for event in events
        for webhook in webhooks
        if event["event"] in webhook.events
    )


def attempt(delivery: WebhookDelivery) -> bool:
    """Send ``delivery`` once and record how it went; True when it succeeded or was given up."""
    body = json.dumps({"delivery": delivery.pk, **delivery.payload}, ensure_ascii=False).encode()
    request = urllib.request.Request(
        ascii_url(delivery.webhook.url),
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json; charset=utf-8",
            "User-Agent": f"{settings.SITE_NAME} webhooks",
            "X-Newsroom-Event": delivery.event,
            "X-Newsroom-Delivery": str(delivery.pk),
            SIGNATURE_HEADER: signature(delivery.webhook.secret, body),
        },
    )
    delivery.attempts += 1
    delivery.last_attempt_at = timezone.now()
    started = time.monotonic()
    try:
        with _opener().open(request, timeout=settings.WEBHOOK_TIMEOUT) as response:
            read(response, started + settings.WEBHOOK_TIMEOUT, ANSWER_MAX_BYTES)
            delivery.response_status, delivery.error = response.status, ""
    except ERRORS as exc:
        delivery.response_status = getattr(exc, "code", None)
        delivery.error = failure(exc, timeout=settings.WEBHOOK_TIMEOUT)
    delivery.response_ms = round((time.monotonic() - started) * 1000)
    return _record(delivery)


def _opener():
    return opener(allow_private=settings.WEBHOOK_ALLOW_PRIVATE_HOSTS, max_redirects=0)


def _record(delivery: WebhookDelivery) -> bool:
    if not delivery.error:
        delivery.status, delivery.next_attempt_at = WebhookDelivery.Status.SUCCEEDED, None
    elif delivery.attempts >= settings.WEBHOOK_MAX_ATTEMPTS:
        delivery.status, delivery.next_attempt_at = WebhookDelivery.Status.FAILED, None
    else:
        wait = settings.WEBHOOK_RETRY_SECONDS * 2 ** (delivery.attempts - 1)
        delivery.status = WebhookDelivery.Status.RETRYING
        delivery.next_attempt_at = delivery.last_attempt_at + dt.timedelta(seconds=wait)
    delivery.save()
    return delivery.status != WebhookDelivery.Status.RETRYING
