"""HTTP caching for API reads: ``ETag``/``Last-Modified`` with 304s, and
``Cache-Control`` an edge (CDN, nginx) can use.

Anonymous answers are public for ``API_CACHE_SECONDS`` and may then be served
stale for as long again while the edge revalidates; answers to a token are
private. ``Vary: Authorization`` keeps the two apart in any shared cache.
"""

from functools import wraps

from django.conf import settings
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers, set_response_etag
from django.utils.http import parse_http_date_safe


def cacheable(view):
    """Wraps an API view: GET 200 answers get caching headers, and a 304 when the caller has them."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if request.method != "GET" or response.status_code != 200:
            return response
        patch_vary_headers(response, ["Authorization"])
        if "Authorization" in request.headers:
            patch_cache_control(response, private=True, no_cache=True)
        else:
            seconds = settings.API_CACHE_SECONDS
            patch_cache_control(response, public=True, max_age=seconds, stale_while_revalidate=seconds)
        set_response_etag(response)
        last_modified = parse_http_date_safe(response.get("Last-Modified", ""))
        return get_conditional_response(request, response["ETag"], last_modified, response)

    return wrapped
