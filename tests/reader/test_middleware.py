"""A cached page is answered by the WSGI application before Django's handler
runs, with the same status, headers and body Django would send, and only while
nothing it shows has changed."""

import io
import logging
from urllib.parse import unquote_to_bytes
from wsgiref.util import setup_testing_defaults

import pytest
from django.core.cache import caches
from django.core.handlers.wsgi import WSGIHandler
from django.test import Client
from django.utils.encoding import iri_to_uri

from reader import caching
from reader.middleware import CachedPageApplication
from tests.builders import make_article, make_category
from tests.reader.test_caching import SECURITY_HEADERS, CountingCache

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("connection_kept_between_requests")]


class CountingApplication:
    """Django's WSGI application, counting the requests that reach it."""

    def __init__(self):
        self.application, self.calls = WSGIHandler(), 0

    def __call__(self, environ, start_response):
        self.calls += 1
        return self.application(environ, start_response)


@pytest.fixture
def django_application():
    return CountingApplication()


@pytest.fixture
def application(django_application):
    return CachedPageApplication(django_application)


@pytest.fixture
def article():
    article = make_article("原来的标题")
    article.categories.add(make_category("新媒体"))
    return article


def get(application, path: str, **headers) -> tuple[str, list[tuple[str, str]], str]:
    """A GET as gunicorn hands it over (the path in WSGI's latin-1 form): status, headers, body."""
    environ = {"HTTP_HOST": "testserver", "PATH_INFO": unquote_to_bytes(iri_to_uri(path)).decode("latin-1")}
    environ.update(("HTTP_" + name.upper().replace("-", "_"), value) for name, value in headers.items())
    setup_testing_defaults(environ)
    environ["wsgi.input"] = io.BytesIO()
    answer = {}

    def start_response(status, response_headers, exc_info=None):
        answer.update(status=status, headers=response_headers)

    body = application(environ, start_response)
    try:
        content = b"".join(body).decode()
    finally:
        body.close()
    return answer["status"], answer["headers"], content


def x_cache(headers) -> str | None:
    return dict(headers).get("X-Cache")


def test_a_cached_page_is_answered_without_entering_djangos_handler(application, django_application, article):
    url = article.get_absolute_url()
    get(application, url)  # built and stored
    assert django_application.calls == 1
    status, headers, body = get(application, url)
    assert (status, x_cache(headers), django_application.calls) == ("200 OK", "hit", 1)
    assert "原来的标题" in body


def test_a_hit_has_the_same_headers_in_the_same_order_as_one_served_by_django(application, article):
    url = article.get_absolute_url()
    get(application, url)
    by_django = get(WSGIHandler(), url, x_request_id="same-id")
    by_wsgi = get(application, url, x_request_id="same-id")
    assert x_cache(by_django[1]) == x_cache(by_wsgi[1]) == "hit"
    assert by_wsgi == by_django


def test_a_hit_keeps_every_security_header(application, article):
    url = article.get_absolute_url()
    built = dict(get(application, url)[1])
    cached = dict(get(application, url)[1])
    assert cached["X-Cache"] == "hit"
    assert all(cached.get(name) for name in SECURITY_HEADERS)
    assert {name: cached[name] for name in SECURITY_HEADERS} == {name: built[name] for name in SECURITY_HEADERS}


def test_a_hit_gets_a_request_id_and_an_access_log_line(application, article, caplog):
    url = article.get_absolute_url()
    get(application, url)
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="newsroom.request"):
        headers = dict(get(application, url, x_request_id="from-the-proxy")[1])
    assert headers["X-Request-ID"] == "from-the-proxy"
    assert [record.getMessage().split()[:3] for record in caplog.records if record.name == "newsroom.request"] == [
        ["method=GET", f"path={iri_to_uri(url)}", "status=200"]
    ]


def test_an_edit_committed_after_the_page_was_cached_is_shown_at_once(application, article):
    url = article.get_absolute_url()
    get(application, url)
    assert x_cache(get(application, url)[1]) == "hit"
    article.title = "新的标题"
    article.save()
    _, headers, body = get(application, url)
    assert x_cache(headers) == "miss"
    assert "新的标题" in body


def test_a_renamed_category_is_shown_at_once_on_a_page_this_process_already_knew(application, article):
    url = article.categories.get().get_absolute_url()
    get(application, url)
    get(application, url)  # the page's keys are known here: the next hit is one round trip
    category = article.categories.get()
    category.name = "科技"
    category.save()
    _, headers, body = get(application, url)
    assert x_cache(headers) == "miss"
    assert "科技" in body


def test_a_hit_is_one_round_trip_to_the_cache(application, article, monkeypatch):
    url = article.get_absolute_url()
    get(application, url)
    get(application, url)
    counting = CountingCache(caches["default"])
    monkeypatch.setattr(caching, "reader_cache", lambda: counting)
    assert x_cache(get(application, url)[1]) == "hit"
    assert counting.trips == 1


def test_a_miss_asks_the_cache_for_the_page_once(application, article, monkeypatch):
    asked = []
    cached_page = caching.cached_page
    monkeypatch.setattr(caching, "cached_page", lambda key: asked.append(key) or cached_page(key))
    monkeypatch.setattr("reader.middleware.cached_page", caching.cached_page)
    assert x_cache(get(application, article.get_absolute_url())[1]) == "miss"
    assert len(asked) == 1


def test_a_signed_in_reader_goes_through_django_and_is_not_served_the_cached_page(
    application, django_application, article, staff_editor, settings
):
    url = article.get_absolute_url()
    get(application, url)
    client = Client()
    client.force_login(staff_editor)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    status, headers, _ = get(application, url, cookie=f"{settings.SESSION_COOKIE_NAME}={session}")
    assert (status, django_application.calls) == ("200 OK", 2)
    assert x_cache(headers) != "hit"


def test_a_host_that_is_not_allowed_is_refused_as_django_refuses_it(application, article):
    url = article.get_absolute_url()
    get(application, url)
    assert get(application, url, host="evil.example")[0] == get(WSGIHandler(), url, host="evil.example")[0]
    assert get(application, url, host="evil.example")[0].startswith("400")


def test_pages_are_served_by_django_when_the_page_cache_is_off(application, django_application, article, settings):
    settings.READER_CACHE_SECONDS = 0
    url = article.get_absolute_url()
    get(application, url)
    status, headers, _ = get(application, url)
    assert (status, django_application.calls) == ("200 OK", 2)
    assert x_cache(headers) == "miss"
