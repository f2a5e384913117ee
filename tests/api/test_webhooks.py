"""Webhooks: publish events delivered to a receiver on 127.0.0.1, signed,
retried with backoff when the receiver fails, and every attempt logged."""

import datetime as dt
import hashlib
import hmac
import json
import threading

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from api import tasks
from api.models import Event, Webhook, WebhookDelivery
from content.models import Article
from tests.builders import make_article
from tests.local_http import QuietHandler, serving

pytestmark = pytest.mark.django_db


class Receiver:
    """What a webhook receiver got; it answers with ``statuses`` in turn (then 200)."""

    def __init__(self, *statuses: int):
        self.statuses, self.requests, self.lock = list(statuses), [], threading.Lock()

    def handler(self):
        receiver = self

        class Handler(QuietHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                with receiver.lock:
                    receiver.requests.append((dict(self.headers), body))
                    status = receiver.statuses.pop(0) if receiver.statuses else 200
                self.send_response(status)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

        return Handler

    def events(self) -> list[str]:
        return [json.loads(body)["event"] for _, body in self.requests]


@pytest.fixture
def receiver(settings):
    settings.WEBHOOK_ALLOW_PRIVATE_HOSTS = True
    receiver = Receiver()
    with serving(receiver.handler()) as url:
        receiver.webhook = Webhook.objects.create(name="合作方", url=f"{url}/hook", secret="s3cret")
        yield receiver


def publish(article: Article) -> None:
    article.status, article.published_at = Article.Status.PUBLISHED, timezone.now()
    article.save_as_editor()


def test_publishing_delivers_one_signed_event(receiver, run_tasks, django_capture_on_commit_callbacks):
    article = make_article("要发布的", status=Article.Status.DRAFT)
    with django_capture_on_commit_callbacks(execute=True):
        publish(article)
    run_tasks()
    assert receiver.events() == ["article.published"]
    headers, body = receiver.requests[0]
    expected = "sha256=" + hmac.new(b"s3cret", body, hashlib.sha256).hexdigest()
    assert headers["X-Newsroom-Signature"] == expected
    assert headers["X-Newsroom-Event"] == "article.published"
    payload = json.loads(body)
    assert payload["article"]["id"] == article.pk and payload["article"]["title"] == "要发布的"
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.response_status) == ("succeeded", 1, 200)
    assert delivery.response_ms is not None and payload["delivery"] == delivery.pk


def test_changing_and_unpublishing_a_live_article_are_events_too(
    receiver, run_tasks, django_capture_on_commit_callbacks
):
    article = make_article("已发布", status=Article.Status.DRAFT)
    with django_capture_on_commit_callbacks(execute=True):
        publish(article)
        article.title = "改了标题"
        article.save_as_editor()
        article.status = Article.Status.DRAFT
        article.save_as_editor()
        article.title = "草稿再改"  # a draft changing is nobody's news
        article.save_as_editor()
    run_tasks()
    assert receiver.events() == ["article.published", "article.updated", "article.unpublished"]


def test_deleting_a_live_article_unpublishes_it(receiver, run_tasks):
    article = make_article("要删除的")
    article.delete()
    run_tasks()
    assert receiver.events() == ["article.published", "article.unpublished"]


def test_a_webhook_hears_only_the_events_it_asked_for(receiver, run_tasks, django_capture_on_commit_callbacks):
    receiver.webhook.events = [Event.UNPUBLISHED]
    receiver.webhook.save()
    with django_capture_on_commit_callbacks(execute=True):
        make_article("发布不通知")
    run_tasks()
    assert receiver.requests == [] and not WebhookDelivery.objects.exists()


def test_a_failing_receiver_is_retried_with_backoff_and_each_failure_logged(
    receiver, run_tasks, settings, django_capture_on_commit_callbacks
):
    settings.WEBHOOK_RETRY_SECONDS = 60
    receiver.statuses = [500, 503]
    with django_capture_on_commit_callbacks(execute=True):
        make_article("发布")
    run_tasks()
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.response_status) == ("retrying", 1, 500)
    assert delivery.error == "HTTP 500 Internal Server Error"
    assert delivery.next_attempt_at - delivery.last_attempt_at == dt.timedelta(seconds=60)
    waiting = DBTaskResult.objects.filter(status="READY")
    assert waiting.get().run_after == delivery.next_attempt_at
    assert run_tasks() == 0  # not before its time

    retry_times = []
    for _ in range(2):  # the retry's time comes
        waiting.update(run_after=timezone.now())
        run_tasks()
        delivery.refresh_from_db()
        retry_times.append(delivery.next_attempt_at and delivery.next_attempt_at - delivery.last_attempt_at)
    assert retry_times == [dt.timedelta(seconds=120), None]  # the wait doubled, then it got through
    assert (delivery.status, delivery.attempts, delivery.response_status) == ("succeeded", 3, 200)
    assert len(receiver.requests) == 3


def test_a_delivery_is_given_up_after_the_last_attempt(
    receiver, run_tasks, settings, django_capture_on_commit_callbacks
):
    settings.WEBHOOK_MAX_ATTEMPTS = 2
    receiver.statuses = [500, 500, 500]
    with django_capture_on_commit_callbacks(execute=True):
        make_article("发布")
    run_tasks()
    DBTaskResult.objects.filter(status="READY").update(run_after=timezone.now())
    run_tasks()
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts) == ("failed", 2)
    assert not DBTaskResult.objects.filter(status="READY").exists()


def test_webhook_urls_on_private_addresses_are_refused(settings, run_tasks, django_capture_on_commit_callbacks):
    settings.WEBHOOK_ALLOW_PRIVATE_HOSTS = False
    Webhook.objects.create(name="内网", url="http://127.0.0.1:9/hook")
    with django_capture_on_commit_callbacks(execute=True):
        make_article("发布")
    run_tasks()
    delivery = WebhookDelivery.objects.get()
    assert "non-public address" in delivery.error and delivery.status == "retrying"


def test_the_admin_refuses_a_webhook_on_a_private_address(admin_client, settings):
    settings.WEBHOOK_ALLOW_PRIVATE_HOSTS = False
    response = admin_client.post(
        reverse("admin:api_webhook_add"),
        {"name": "内网", "url": "http://127.0.0.1/hook", "secret": "x", "events": ["article.published"]},
    )
    assert "non-public address" in response.content.decode()
    assert not Webhook.objects.exists()


def test_the_admin_lists_deliveries_with_status_and_response_time(admin_client, receiver, run_tasks):
    delivery = WebhookDelivery.objects.create(
        webhook=receiver.webhook, event="article.published", payload={"article": {"title": "某篇文章"}}
    )
    delivery.status, delivery.response_ms, delivery.response_status = "failed", 1234, 502
    delivery.save()
    page = admin_client.get(reverse("admin:api_webhookdelivery_changelist")).content.decode()
    assert "某篇文章" in page and "1234" in page and "502" in page
    admin_client.post(
        reverse("admin:api_webhookdelivery_changelist"), {"action": "send_again", "_selected_action": [delivery.pk]}
    )
    run_tasks()
    assert WebhookDelivery.objects.get().status == "succeeded"


def test_nothing_is_queued_when_no_webhook_listens(run_tasks, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        make_article("发布")
    assert not DBTaskResult.objects.exists()


def test_a_rolled_back_write_queues_nothing(receiver, django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        make_article("回滚")
        raise RuntimeError
    assert callbacks == [] and not DBTaskResult.objects.exists()


def test_a_delivery_whose_webhook_was_deleted_is_dropped_quietly(receiver, run_tasks):
    delivery = WebhookDelivery.objects.create(webhook=receiver.webhook, event="article.published", payload={})
    tasks.deliver.enqueue(delivery.pk)
    Webhook.objects.all().delete()
    assert run_tasks() == 1  # and it did not fail
    assert receiver.requests == []
