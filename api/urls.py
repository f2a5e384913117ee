"""The content API at /api/v1/: OpenAPI at /api/v1/openapi.json, docs at /api/v1/docs.

The docs page is django-ninja's Swagger UI served from our own static files
(the ``ninja`` app), with no inline script, so it works under the site's
Content-Security-Policy unchanged."""

from django.urls import path
from ninja import NinjaAPI

from api import reading, writing  # noqa: F401 (writing adds its operations to the router)

api = NinjaAPI(
    title="Newsroom API",
    version="1",
    description="Published articles, categories, tags and authors; staff tokens may write. See README, “Content API”.",
    urls_namespace="api",
)
api.add_router("", reading.router)

urlpatterns = [path("", api.urls)]
