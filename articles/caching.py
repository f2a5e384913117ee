"""Whole-page caching for anonymous readers.

Every cached page is stored under a key that includes a version token, and
``forget_reader_pages()`` (called from signals when content changes) replaces
the token: all pages are then missed at once and the old entries expire. This
works the same in the local-memory cache and in Redis, where the import
command and the web processes share the token.

Signed-in users (staff, previews) never read or fill the cache, and a response
that asks not to be cached (a preview, a 404, one setting a cookie) is not kept.
A scheduled article appears on cached pages within ``READER_CACHE_SECONDS``.
"""

import hashlib
from functools import wraps
from uuid import uuid4

from django.conf import settings
from django.core.cache import caches

VERSION_KEY = "reader-pages:version"


def reader_cache():
    return caches["default"]


def forget_reader_pages() -> None:
    reader_cache().set(VERSION_KEY, uuid4().hex, timeout=None)


def page_key(request) -> str:
    version = reader_cache().get_or_set(VERSION_KEY, uuid4().hex, timeout=None)
    url = hashlib.sha256(request.build_absolute_uri().encode()).hexdigest()
    return f"reader-page:{version}:{url}"


def is_storable(response) -> bool:
    cache_control = response.get("Cache-Control", "")
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not any(word in cache_control for word in ("no-cache", "no-store", "private"))
    )


def cache_for_readers(view):
    """Serve ``view`` from the cache to anonymous readers' GET requests."""
    timeout = settings.READER_CACHE_SECONDS

    @wraps(view)
    def cached_view(request, *args, **kwargs):
        if request.method != "GET" or request.user.is_authenticated:
            return view(request, *args, **kwargs)
        key = page_key(request)
        response = reader_cache().get(key)
        if response is not None:
            return response
        response = view(request, *args, **kwargs)

        def store(rendered):
            if is_storable(rendered):
                reader_cache().set(key, rendered, timeout)

        if hasattr(response, "add_post_render_callback"):  # a TemplateResponse, rendered later
            response.add_post_render_callback(store)
        else:
            store(response)
        return response

    return cached_view
