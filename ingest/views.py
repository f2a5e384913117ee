"""The WebSub callback: hubs verify our subscriptions and push feed changes here (see ``ingest.feeds.websub``)."""

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from ingest.feeds import websub
from ingest.models import WebSubSubscription
from ingest.tasks import fetch_feeds


@csrf_exempt  # called by the hub, signed with the subscription's secret instead
@require_http_methods(["GET", "POST"])
def websub_callback(request, feed_id: int):
    subscription = get_object_or_404(WebSubSubscription.objects.select_related("feed"), pk=feed_id)
    if request.method == "GET":
        answer = websub.verify_intent(subscription, request.GET)
        if answer is None:
            raise Http404("no such subscription request")
        return HttpResponse(answer, content_type="text/plain; charset=utf-8")
    signature = request.headers.get("X-Hub-Signature", "")
    if subscription.feed.is_active and websub.signature_ok(subscription.secret, request.body, signature):
        WebSubSubscription.objects.filter(pk=feed_id).update(last_push_at=timezone.now())
        fetch_feeds.enqueue([feed_id])
    # Acknowledged whatever the signature: the specification asks for a 2xx, and a forger learns nothing.
    return HttpResponse(status=202)
