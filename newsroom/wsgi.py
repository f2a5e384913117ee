"""WSGI entry point: ``gunicorn newsroom.wsgi``.

Django's application, behind the reader's page cache: a cached page is
answered before Django's handler runs (reader/middleware.py).
"""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")

django_application = get_wsgi_application()

# Imported once get_wsgi_application() has loaded the apps: the page cache reads the content models.
from reader.middleware import CachedPageApplication  # noqa: E402

application = CachedPageApplication(django_application)
