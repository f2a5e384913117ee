"""Cached reader pages served before the rest of the middleware runs."""

from django.conf import settings

from reader.caching import HIT_HEADER, cached_page, page_cache_on, page_key


class CachedPageMiddleware:
    """A page in the reader cache is served to a GET without a session cookie
    before sessions, authentication, CSRF, messages, the second factor and the
    lockout are even looked at: such a request cannot be a signed-in user's,
    and those layers only matter for one. Everything else, and every miss, goes
    on to the view, whose ``cache_for_readers`` stores the page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method == "GET" and page_cache_on() and settings.SESSION_COOKIE_NAME not in request.COOKIES:
            response = cached_page(page_key(request))
            if response is not None:
                response[HIT_HEADER] = "hit"
                return response
        return self.get_response(request)
