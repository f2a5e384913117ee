"""Project-wide middleware: request log line, Content-Security-Policy, and a
503 page instead of a traceback when the database is unreachable."""

import logging
import re
import time
import uuid

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.cache import add_never_cache_headers

from newsroom.logging import request_id

access_log = logging.getLogger("newsroom.request")
db_log = logging.getLogger("newsroom.db")

# An id from the load balancer is kept only if it cannot forge or split a log line.
VALID_REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{1,128}")


class RequestLogMiddleware:
    """Writes one line per request: id, method, path, status and duration.

    Honours ``X-Request-ID`` from the proxy (so one id follows a request across
    services) or makes one, and returns it in the response. Placed first, so
    the line covers static files and cached pages too.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-ID", "")
        rid = incoming if VALID_REQUEST_ID.fullmatch(incoming) else uuid.uuid4().hex
        # Not reset on the way out: Django logs error responses after the
        # middleware has returned, and those lines need the id too.
        request_id.set(rid)
        start = time.perf_counter()
        response = self.get_response(request)
        response["X-Request-ID"] = rid
        access_log.info(
            "method=%s path=%s status=%s duration_ms=%.1f",
            request.method,
            request.get_full_path(),
            response.status_code,
            (time.perf_counter() - start) * 1000,
        )
        return response


class ContentSecurityPolicyMiddleware:
    """Sends ``settings.CONTENT_SECURITY_POLICY`` (Django 5.2 has no CSP of its own)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if settings.CONTENT_SECURITY_POLICY:
            response.setdefault("Content-Security-Policy", settings.CONTENT_SECURITY_POLICY)
        return response


class DatabaseUnavailableMiddleware:
    """A view that cannot reach the database answers 503 with a plain page.

    Nothing else is needed to recover: Django drops a connection that raised,
    and ``CONN_HEALTH_CHECKS`` tests a kept one before reusing it, so the first
    request after the database returns gets a fresh connection.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, OperationalError | InterfaceError):
            return None
        db_log.error("database unavailable: %s", str(exception).strip())
        return service_unavailable()


def service_unavailable() -> HttpResponse:
    # Rendered without the request: context processors would query the database again.
    response = HttpResponse(render_to_string("503.html", {"site_name": settings.SITE_NAME}), status=503)
    response["Retry-After"] = "30"
    add_never_cache_headers(response)
    return response
