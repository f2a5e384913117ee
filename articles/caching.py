"""Whole-page caching for anonymous readers.

Every cached page is stored under a key that includes a version token, and
``forget_reader_pages()`` (called from signals when content changes) replaces
the token: all pages are then missed at once and the old entries expire. This
works the same in the local-memory cache and in Redis, where the import
command and the web processes share the token.

A page is keyed on its address and the query parameters it reads (``page``,
``q``), so requests adding others cannot fill the cache with copies.

Signed-in users (staff, previews) never read or fill the cache, and a response
that asks not to be cached (a preview, a 404, one setting a cookie) is not kept.
A scheduled article appears on cached pages within ``READER_CACHE_SECONDS``.
"""

import hashlib
from functools import wraps
from uuid import uuid4

from django.conf import settings
from django.core.cache import caches
from django.http import QueryDict

VERSION_KEY = "reader-pages:version"
# The only query parameters reader pages read: list pages ``page``, search the
# fields of its form too (articles/search/forms.py).
PAGE_PARAMETERS = ("page", "q", "sort", "category", "source", "start", "end")


def reader_cache():
    return caches["default"]


def forget_reader_pages() -> None:
    reader_cache().set(VERSION_KEY, uuid4().hex, timeout=None)


def page_query(request) -> QueryDict:
    """The query parameters a reader page uses (pagination, the search); any others change nothing on it."""
    query = QueryDict(mutable=True)
    for name in PAGE_PARAMETERS:
        if name in request.GET:
            query[name] = request.GET[name]  # the last value, as the view reads it
    return query


def page_key(request) -> str:
    """One entry per page as readers see it: ``?x=1`` or ``?utm_source=…`` make no new entry."""
    version = reader_cache().get_or_set(VERSION_KEY, uuid4().hex, timeout=None)
    page = f"{request.scheme}://{request.get_host()}{request.path}?{page_query(request).urlencode()}"
    return f"reader-page:{version}:{hashlib.sha256(page.encode()).hexdigest()}"


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
