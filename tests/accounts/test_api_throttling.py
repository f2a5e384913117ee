"""The API's rate limits: anonymous callers per address, token holders per token, 429 with Retry-After."""

import pytest
from django.contrib.auth.models import User

from tests.builders import bearer, make_token

pytestmark = pytest.mark.django_db

ARTICLES = "/api/v1/articles"


@pytest.fixture
def limits(settings):
    settings.API_RATE_ANONYMOUS = "5/m"
    settings.API_RATE_TOKEN = "8/m"
    return settings


def burst(client, times, **headers):
    return [client.get(ARTICLES, **headers) for _ in range(times)]


def test_a_burst_of_anonymous_requests_meets_429_with_retry_after(client, limits):
    answers = burst(client, 6, REMOTE_ADDR="203.0.113.7")
    assert [answer.status_code for answer in answers] == [200] * 5 + [429]
    assert 0 < int(answers[-1]["Retry-After"]) <= 60


def test_each_address_has_its_own_budget(client, limits):
    burst(client, 6, REMOTE_ADDR="203.0.113.7")
    assert client.get(ARTICLES, REMOTE_ADDR="198.51.100.9").status_code == 200


def test_a_token_holder_has_its_own_budget(client, limits):
    burst(client, 6, REMOTE_ADDR="203.0.113.7")
    token = bearer(make_token(User.objects.create_user("partner")))
    answers = burst(client, 9, REMOTE_ADDR="203.0.113.7", **token)
    assert [answer.status_code for answer in answers] == [200] * 8 + [429]


def test_each_token_has_its_own_budget(client, limits):
    first, second = (bearer(make_token(User.objects.create_user(name))) for name in ("partner", "other"))
    burst(client, 9, **first)
    assert client.get(ARTICLES, **second).status_code == 200


def test_a_forwarded_address_is_ignored_unless_a_proxy_is_trusted(client, limits):
    for n in range(6):
        answer = client.get(ARTICLES, REMOTE_ADDR="203.0.113.7", HTTP_X_FORWARDED_FOR=f"10.0.0.{n}")
    assert answer.status_code == 429


def test_behind_a_trusted_proxy_the_address_it_saw_counts(client, limits):
    limits.TRUSTED_PROXY_COUNT = 1
    burst(client, 6, REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.7")
    forged = client.get(ARTICLES, REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.7, 198.51.100.9")
    assert forged.status_code == 200  # the proxy saw 198.51.100.9; what a client wrote before it is not read
    assert client.get(ARTICLES, REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.7").status_code == 429


def test_the_openapi_schema_documents_the_429(client):
    operations = client.get("/api/v1/openapi.json").json()["paths"][ARTICLES]
    assert "429" in operations["get"]["responses"] and "429" in operations["post"]["responses"]
