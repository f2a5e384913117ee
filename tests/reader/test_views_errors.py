"""Friendly error pages."""

import pytest
from django.test import RequestFactory
from django.views.defaults import server_error

from content.models import Article
from tests.builders import make_article

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("url", ["/articles/不存在/", "/tag/不存在/", "/category/nowhere/", "/author/nobody/"])
def test_missing_pages_get_the_friendly_404_with_a_way_back(client, url):
    response = client.get(url)
    assert response.status_code == 404
    page = response.content.decode()
    assert "页面不存在" in page and 'href="/"' in page and 'role="search"' in page


def test_a_draft_is_a_friendly_404_for_readers(client):
    draft = make_article("草稿", status=Article.Status.DRAFT)
    response = client.get(draft.get_absolute_url())
    assert response.status_code == 404 and "页面不存在" in response.content.decode()


def test_server_error_page_needs_neither_request_context_nor_database(django_assert_num_queries):
    with django_assert_num_queries(0):
        response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    assert "服务暂时不可用" in response.content.decode()
