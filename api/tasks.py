"""Background work for publish events (run by ``manage.py run_worker``).

Tasks take only ids and plain JSON, as the database queue stores them."""

from django_tasks import task

from api import indexing, webhooks, websub
from api.models import WebhookDelivery


@task()
def send_to_webhooks(events: list[dict]) -> int:
    """Make a delivery per event per interested webhook, each sent by its own task."""
    deliveries = webhooks.deliveries_for(events)
    for delivery in deliveries:
        deliver.enqueue(delivery.pk)
    return len(deliveries)


@task()
def deliver(delivery_id: int) -> str:
    """Try one delivery; after a failure it is enqueued again for later (backoff)."""
    delivery = WebhookDelivery.objects.select_related("webhook").filter(pk=delivery_id).first()
    if delivery is None:  # its webhook was deleted meanwhile
        return "gone"
    if not webhooks.attempt(delivery):
        deliver.using(run_after=delivery.next_attempt_at).enqueue(delivery_id)
    return delivery.status


@task()
def ping_hub() -> str:
    return websub.ping()


@task()
def ping_search_engines(urls: list[str]) -> list[str]:
    """Tell IndexNow and Baidu about these published or updated articles; returns the problems."""
    return indexing.ping(urls)
