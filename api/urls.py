"""The content API at /api/v1/: OpenAPI at /api/v1/openapi.json, docs at /api/v1/docs.

The docs page is django-ninja's Swagger UI served from our own static files
(the ``ninja`` app), with no inline script, so it works under the site's
Content-Security-Policy unchanged."""

from django.urls import path
from ninja import NinjaAPI

from api import reading, writing  # noqa: F401 (writing adds its operations to the router)
from api.throttles import PerAddress, PerToken

api = NinjaAPI(
    title="Newsroom API",
    version="1",
    description=(
        "Published articles, categories, tags and authors; staff tokens may write. See README, “Content API”. "
        "Callers without a token are limited per address, token holders per token; over the limit the answer "
        "is 429 with Retry-After (seconds)."
    ),
    urls_namespace="api",
    throttle=[PerAddress(), PerToken()],
)
api.add_router("", reading.router)

urlpatterns = [path("", api.urls)]
