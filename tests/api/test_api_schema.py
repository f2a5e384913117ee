"""Property-based tests generated from our own OpenAPI schema (schemathesis):
whatever a caller sends, the API answers without a server error and as its
schema says, anonymously for the read API and with a staff token for the
write API. Bounded to a few examples per operation, so the run stays short."""

import pytest
import schemathesis
from django.contrib.auth.models import User
from django.core.handlers.wsgi import WSGIHandler
from django.test import override_settings
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from content.models import Article, Author
from tests.builders import make_article, make_category, make_token

HOSTS = ["localhost"]  # where schemathesis's WSGI client sends its requests
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
# The same examples every run: CI must not pass or fail by chance. Wider
# exploration is a matter of running with more examples by hand.
BOUNDED = settings(
    max_examples=10,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.filter_too_much],
)

# Schemathesis explores every operation: seconds, not milliseconds.
pytestmark = [pytest.mark.slow, pytest.mark.usefixtures("connection_kept_between_requests")]


@pytest.fixture(autouse=True)
def content(db, settings):
    """A few articles of every state, served to the in-process (WSGI) client."""
    settings.ALLOWED_HOSTS = HOSTS
    category = make_category("新媒体", "36氪")
    for n, state in enumerate([Article.Status.PUBLISHED, Article.Status.DRAFT]):
        make_article(f"文章{n}", slug=f"a{n}", status=state).categories.add(category)
    make_article("带标签", slug="tagged").tags.add("电动汽车")


@pytest.fixture
def staff_token(db):
    user = User.objects.create_superuser("api-writer")
    Author.objects.create(name="接口作者", user=user)
    return make_token(user)


# Read at import, through the WSGI app (the schema itself needs no database).
with override_settings(ALLOWED_HOSTS=HOSTS):
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", WSGIHandler())


@schema.include(tag="read").parametrize()
@BOUNDED
def test_the_read_api_answers_as_its_schema_says(case):
    case.call_and_validate(checks=CHECKS)


@schema.include(tag="write").parametrize()
@BOUNDED
def test_the_write_api_answers_as_its_schema_says_to_a_staff_token(case, staff_token):
    case.call_and_validate(checks=CHECKS, headers={"Authorization": f"Bearer {staff_token}"})
