"""Settings for the test suite: same as production, plus speed-ups.

The database still comes from ``DATABASE_URL`` so the same suite runs on
SQLite and on PostgreSQL.
"""

import os

os.environ.setdefault("SECRET_KEY", "test-only-secret-key")

from newsroom.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# The test client speaks plain http.
SECURE_SSL_REDIRECT = False
# The test client's login() authenticates without a request, which django-axes refuses; and most
# tests sign staff in with a password alone. tests/accounts/ turns both protections on, as in production.
AXES_ENABLED = False
SECOND_FACTOR_FOR = "none"

# NEWSROOM_TEST_CLOCK=2027-01-31T17:30:00Z runs the suite with the clock moved there (tests/clock.py).
TEST_CLOCK = os.environ.get("NEWSROOM_TEST_CLOCK", "")
if TEST_CLOCK:
    from tests.clock import move_clock

    move_clock(TEST_CLOCK)
