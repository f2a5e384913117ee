"""The 500 page: rendered from its template without a request context (context
processors would query the database, which may be what failed)."""

from django.conf import settings
from django.http import HttpResponseServerError
from django.template.loader import render_to_string


def server_error(request):
    return HttpResponseServerError(render_to_string("500.html", {"site_name": settings.SITE_NAME}))
