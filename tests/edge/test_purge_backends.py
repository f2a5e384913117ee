"""Fastly and Cloudflare purges, against local stand-ins that answer as each API's documentation says.

Fastly: ``POST /service/{service_id}/purge`` with ``Surrogate-Key: k1 k2`` (at most 256)
and ``Fastly-Key``; answers ``200`` with a JSON map of key to purge id.
Cloudflare: ``POST /zones/{zone_id}/purge_cache`` with ``{"tags": [...]}`` (at most 30)
and ``Authorization: Bearer``; answers ``{"success": true, "errors": [], "result": {"id": …}}``.
"""

import json

import pytest
from django_tasks_db.models import DBTaskResult

from edge import backends, purging
from tests.builders import make_article
from tests.conftest import run_queued_tasks
from tests.local_http import QuietHandler, serving

pytestmark = pytest.mark.django_db

FASTLY_TOKEN, CLOUDFLARE_TOKEN = "fastly-test-token", "cloudflare-test-token"


class StandIn(QuietHandler):
    """Records the purges it accepts; ``failing`` answers 503 until cleared."""

    purged: list[list[str]] = []
    failing = False

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        if self.failing:
            return self.answer(503, {"error": "unavailable"})
        keys = self.accepted(body)
        if keys is None:
            return self.answer(401, {"success": False, "errors": [{"message": "Authentication error"}]})
        type(self).purged.append(keys)
        return self.answer(200, self.success(keys))

    def answer(self, status, payload):
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


class FastlyAPI(StandIn):
    def accepted(self, body):
        if self.path != "/service/SERVICE1/purge" or self.headers["Fastly-Key"] != FASTLY_TOKEN:
            return None
        keys = self.headers["Surrogate-Key"].split()
        assert len(keys) <= 256
        return keys

    def success(self, keys):
        return {key: f"purge-{n}" for n, key in enumerate(keys)}


class CloudflareAPI(StandIn):
    def accepted(self, body):
        if self.path != "/zones/ZONE1/purge_cache" or self.headers["Authorization"] != f"Bearer {CLOUDFLARE_TOKEN}":
            return None
        tags = json.loads(body)["tags"]
        assert len(tags) <= 30
        return tags

    def success(self, keys):
        return {"success": True, "errors": [], "messages": [], "result": {"id": "purge-1"}}


@pytest.fixture
def fastly(settings):
    FastlyAPI.purged, FastlyAPI.failing = [], False
    with serving(FastlyAPI) as url:
        settings.EDGE_BACKEND, settings.FASTLY_API_URL = "fastly", url
        settings.FASTLY_SERVICE_ID, settings.FASTLY_API_TOKEN = "SERVICE1", FASTLY_TOKEN
        yield FastlyAPI


@pytest.fixture
def cloudflare(settings):
    CloudflareAPI.purged, CloudflareAPI.failing = [], False
    with serving(CloudflareAPI) as url:
        settings.EDGE_BACKEND, settings.CLOUDFLARE_API_URL = "cloudflare", url
        settings.CLOUDFLARE_ZONE_ID, settings.CLOUDFLARE_API_TOKEN = "ZONE1", CLOUDFLARE_TOKEN
        yield CloudflareAPI


def purged_keys(api) -> set[str]:
    return {key for batch in api.purged for key in batch}


@pytest.mark.parametrize("api", ["fastly", "cloudflare"])
def test_saving_an_article_purges_its_keys_at_the_edge(api, request):
    edge = request.getfixturevalue(api)
    article = make_article()
    edge.purged.clear()
    article.title = "新标题"
    article.save()
    assert {f"article:{article.pk}", "home", f"author:{article.author_id}"} <= purged_keys(edge)


def test_fastly_gets_at_most_256_keys_a_request(fastly):
    backends.current().purge([f"tag:{n}" for n in range(600)])
    assert [len(batch) for batch in fastly.purged] == [256, 256, 88]


def test_cloudflare_gets_at_most_30_tags_a_request(cloudflare):
    backends.current().purge([f"tag:{n}" for n in range(70)])
    assert [len(batch) for batch in cloudflare.purged] == [30, 30, 10]


def test_a_refused_token_is_a_failed_purge(cloudflare, settings):
    settings.CLOUDFLARE_API_TOKEN = "wrong"
    with pytest.raises(backends.PurgeFailed):
        backends.current().purge(["home"])


@pytest.mark.parametrize("api", ["fastly", "cloudflare"])
def test_a_purge_that_fails_is_retried_by_the_worker_and_never_fails_the_save(api, request, caplog):
    edge = request.getfixturevalue(api)
    edge.failing = True
    article = make_article()
    article.title = "新标题"
    article.save()  # no exception
    assert "edge purge failed" in caplog.text
    assert edge.purged == []
    edge.failing = False
    run_queued_tasks()
    assert f"article:{article.pk}" in purged_keys(edge)


def test_a_purge_that_keeps_failing_is_given_up_after_the_last_attempt(fastly, settings, caplog):
    settings.EDGE_PURGE_MAX_ATTEMPTS, settings.EDGE_PURGE_RETRY_SECONDS = 3, 0
    fastly.failing = True
    purging.purge({"home"})
    run_queued_tasks()
    assert DBTaskResult.objects.filter(task_path="edge.tasks.purge_keys").count() == 3
    assert "edge purge given up after 3 attempts" in caplog.text


def test_without_an_edge_nothing_is_purged_or_queued(settings):
    settings.EDGE_BACKEND = ""
    make_article().save()
    assert not DBTaskResult.objects.exists()


def test_a_reader_page_carries_the_edges_headers(client, cloudflare, settings):
    page = client.get(make_article().get_absolute_url())
    assert page["Cloudflare-CDN-Cache-Control"] == f"max-age={settings.EDGE_CACHE_SECONDS}"
    assert page["Cache-Tag"].split(",") == page["Surrogate-Key"].split()


def test_a_signed_in_users_page_carries_no_edge_headers(client, fastly, django_user_model):
    client.force_login(django_user_model.objects.create_user("writer", is_staff=True))
    page = client.get(make_article().get_absolute_url())
    assert "Surrogate-Control" not in page


def test_varnish_pages_say_how_long_the_edge_keeps_them(client, settings):
    settings.EDGE_BACKEND = "varnish"
    page = client.get(make_article().get_absolute_url())
    assert page["Surrogate-Control"] == f"max-age={settings.EDGE_CACHE_SECONDS}"
