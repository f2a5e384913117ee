"""Cached reader pages served before Django's handler and the rest of the middleware run.

A page in the reader cache is served to a GET without a session cookie before
sessions, authentication, CSRF, messages, the second factor and the lockout are
even looked at: such a request cannot be a signed-in user's, and those layers
only matter for one. Under gunicorn the page is looked up by the WSGI
application itself (``CachedPageApplication``, installed in ``newsroom/wsgi.py``),
before Django's handler builds its middleware chain around the request; the
middleware placed before ``CachedPageMiddleware`` in ``MIDDLEWARE`` (the request
log line, the security and edge headers) still runs on the way out, so a page
goes out with the same headers whichever of the two found it. (The request log
line's duration of such a hit covers that middleware, not the lookup before it.)
Everything else, and every miss, goes on to the view, whose
``cache_for_readers`` stores the page; the cache is asked for a page once per
request.
"""

from django.conf import settings
from django.core.exceptions import MiddlewareNotUsed
from django.core.handlers.exception import convert_exception_to_response
from django.core.handlers.wsgi import WSGIRequest, get_script_name
from django.urls import set_script_prefix
from django.utils.log import log_response
from django.utils.module_loading import import_string

from reader.caching import HIT_HEADER, LOOKED_UP, cached_page, page_cache_on, page_key

MIDDLEWARE = "reader.middleware.CachedPageMiddleware"


def cached_response(request):
    """The cached page for ``request`` if it may have one and the cache holds it, else None.

    A miss is noted on the request (``LOOKED_UP``), so that nothing later in
    the same request asks the cache again."""
    if LOOKED_UP in request.META or request.method != "GET" or not page_cache_on():
        return None
    if settings.SESSION_COOKIE_NAME in request.COOKIES:
        return None
    response = cached_page(page_key(request))
    if response is None:
        request.META[LOOKED_UP] = True
        return None
    response[HIT_HEADER] = "hit"
    return response


class CachedPageMiddleware:
    """The cached page, for requests that reach Django without the WSGI
    application having looked (the test client, another server)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = cached_response(request)
        return self.get_response(request) if response is None else response


class CachedPageApplication:
    """The WSGI application: a cache hit is answered here, through the
    middleware that comes before ``CachedPageMiddleware`` (each wrapped as
    Django wraps it, so an error there gets the same response), and turned into
    status and headers as Django's handler does. A miss, or a request the
    lookup cannot handle (a host that is not allowed, an entry that cannot be
    read), is handed to Django's application, which answers as it always has."""

    def __init__(self, application):
        self.application = application
        self.outer = outer_middleware(served)

    def __call__(self, environ, start_response):
        response = self.outer and self.hit(environ)
        if response is None:
            return self.application(environ, start_response)
        response._handler_class = type(self.application)
        status = f"{response.status_code} {response.reason_phrase}"
        cookies = [("Set-Cookie", cookie.output(header="")) for cookie in response.cookies.values()]
        start_response(status, [*response.items(), *cookies])
        if getattr(response, "file_to_stream", None) is not None and environ.get("wsgi.file_wrapper"):
            response.file_to_stream.close = response.close
            response = environ["wsgi.file_wrapper"](response.file_to_stream, response.block_size)
        return response

    def hit(self, environ):
        # Django's request changes the environ it is given; a miss hands Django the original.
        request = WSGIRequest(environ.copy())
        try:
            page = cached_response(request)
        except Exception:
            page = None
        if page is None:
            if LOOKED_UP in request.META:
                environ[LOOKED_UP] = True
            return None
        set_script_prefix(get_script_name(environ))
        request.cached_page = page
        response = self.outer(request)
        response._resource_closers.append(request.close)
        if response.status_code >= 400:
            log_response("%s: %s", response.reason_phrase, request.path, response=response, request=request)
        return response


def served(request):
    return request.cached_page


def outer_middleware(handler):
    """``handler`` inside the middleware listed before ``CachedPageMiddleware``,
    built as Django's handler builds its chain; None when that middleware is
    not installed or one before it cannot run synchronously."""
    if MIDDLEWARE not in settings.MIDDLEWARE:
        return None
    handler = convert_exception_to_response(handler)
    for path in reversed(settings.MIDDLEWARE[: settings.MIDDLEWARE.index(MIDDLEWARE)]):
        middleware = import_string(path)
        if not getattr(middleware, "sync_capable", True):
            return None
        try:
            handler = convert_exception_to_response(middleware(handler))
        except MiddlewareNotUsed:
            continue
    return handler
