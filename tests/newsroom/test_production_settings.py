"""Production settings, each read in a fresh process from a production-like
environment (settings are read once per process, so this is the only honest way)."""

import json
import os
import secrets
import subprocess
import sys

import pytest

from tests.conftest import PROJECT_DIR

# Each test starts a Python process of its own.
pytestmark = pytest.mark.slow

PRODUCTION_ENV = {
    "SECRET_KEY": secrets.token_urlsafe(50),
    "ALLOWED_HOSTS": "news.example.com",
    "CSRF_TRUSTED_ORIGINS": "https://news.example.com",
    "DATABASE_URL": "postgres://newsroom@db.internal:5432/newsroom",
    "REDIS_URL": "redis://cache.internal:6379/0",
}
# Variables of the machine running the tests that would change what is read.
SETTINGS_VARIABLES = {
    "DEBUG",
    "HTTPS",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "TRUST_X_FORWARDED_PROTO",
    "DATABASE_REPLICA_URL",
    "MEDIA_S3_BUCKET",
    "MEDIA_S3_CUSTOM_DOMAIN",
    "CSP_IMG_SRC",
    "CACHE_DIR",
}


def run(code: str, **env) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if k not in SETTINGS_VARIABLES}
    environment.update(PRODUCTION_ENV, DJANGO_SETTINGS_MODULE="newsroom.settings")
    environment.update(env)
    return subprocess.run(
        [sys.executable, "-c", code], cwd=PROJECT_DIR, env=environment, capture_output=True, text=True, timeout=60
    )


def read_settings(*names: str, **env) -> dict:
    code = (
        "import json; from newsroom import settings; "
        f"print(json.dumps({{name: getattr(settings, name, None) for name in {names!r}}}, default=str))"
    )
    result = run(code, **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_deploy_check_passes_with_production_settings():
    result = run(
        "from django.core.management import execute_from_command_line as manage; "
        "manage(['manage.py', 'check', '--deploy', '--fail-level', 'WARNING'])"
    )
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    result = run("import newsroom.settings", SECRET_KEY="")
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr


def test_debug_is_off_unless_set_to_true():
    assert read_settings("DEBUG", DEBUG="False")["DEBUG"] is False
    assert read_settings("DEBUG", DEBUG="maybe")["DEBUG"] is False


def test_https_can_be_turned_off_to_serve_plain_http_locally():
    values = read_settings("SECURE_SSL_REDIRECT", "SESSION_COOKIE_SECURE", "SECURE_HSTS_SECONDS", HTTPS="false")
    assert values == {"SECURE_SSL_REDIRECT": False, "SESSION_COOKIE_SECURE": False, "SECURE_HSTS_SECONDS": 0}


def test_postgres_connections_are_kept_and_checked_before_reuse():
    database = read_settings("DATABASES")["DATABASES"]["default"]
    assert (database["CONN_MAX_AGE"], database["CONN_HEALTH_CHECKS"]) == (60, True)


def test_redis_url_selects_the_cache_that_survives_redis_outages():
    cache = read_settings("CACHES")["CACHES"]["default"]
    assert (cache["BACKEND"], cache["LOCATION"]) == ("newsroom.cache.FailSoftRedisCache", PRODUCTION_ENV["REDIS_URL"])


def test_without_redis_the_processes_share_a_file_cache():
    cache = read_settings("CACHES", REDIS_URL="", CACHE_DIR="/tmp/newsroom-cache")["CACHES"]["default"]
    assert (cache["BACKEND"], cache["LOCATION"]) == (
        "django.core.cache.backends.filebased.FileBasedCache",
        "/tmp/newsroom-cache",
    )


def test_an_import_in_another_process_reaches_a_running_site_without_redis(tmp_path):
    """The versions of the pages' surrogate keys, changed by saves, are read from the shared cache."""
    key = "import django; django.setup(); from reader.caching import SITE, reader_cache, version_key; "
    env = {"REDIS_URL": "", "CACHE_DIR": str(tmp_path)}
    before = run(key + "print(reader_cache().get_or_set(version_key(SITE), 'first'))", **env).stdout
    run("import django; django.setup(); from reader.caching import forget_site; forget_site()", **env)
    after = run(key + "print(reader_cache().get(version_key(SITE)))", **env).stdout
    assert before.strip() == "first" and after.strip() not in ("", "first", "None")


def test_the_content_security_policy_is_strict_and_upgrades_http_images():
    policy = read_settings("CONTENT_SECURITY_POLICY")["CONTENT_SECURITY_POLICY"]
    assert "script-src 'self';" in policy and "style-src 'self';" in policy
    assert "unsafe-inline" not in policy
    assert policy.endswith("upgrade-insecure-requests")


def test_debug_pages_may_use_inline_styles_and_scripts():
    policy = read_settings("CONTENT_SECURITY_POLICY", DEBUG="true", SECRET_KEY="")["CONTENT_SECURITY_POLICY"]
    assert "style-src 'self' 'unsafe-inline'" in policy and "script-src 'self' 'unsafe-inline'" in policy
    assert "upgrade-insecure-requests" not in policy  # the development server speaks plain http


def test_replica_url_adds_a_replica_and_its_router():
    values = read_settings(
        "DATABASES", "DATABASE_ROUTERS", DATABASE_REPLICA_URL="postgres://newsroom@replica:5432/newsroom"
    )
    assert values["DATABASES"]["replica"]["HOST"] == "replica"
    assert values["DATABASES"]["replica"]["TEST"] == {"MIRROR": "default"}
    assert values["DATABASE_ROUTERS"] == ["newsroom.db_routers.ReplicaRouter"]


def test_media_goes_to_s3_when_a_bucket_is_set():
    code = (
        "import django; django.setup(); from django.core.files.storage import storages; s = storages['default']; "
        "print(type(s).__module__, s.bucket_name, s.url('images/a.jpg'))"
    )
    result = run(code, MEDIA_S3_BUCKET="newsroom-media", MEDIA_S3_CUSTOM_DOMAIN="media.example.com")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["storages.backends.s3", "newsroom-media", "https://media.example.com/images/a.jpg"]


def test_media_stays_on_local_disk_without_a_bucket():
    storages = read_settings("STORAGES")["STORAGES"]
    assert storages["default"]["BACKEND"] == "django.core.files.storage.FileSystemStorage"
