#!/usr/bin/env python
"""Reader page speed: SQL queries and median time per request, with and without the page cache.

    .venv/bin/python bench/pages.py [--posts ../shared/corpus/posts] [--extra 400] [--requests 50]

Imports the posts into a scratch SQLite database (plus ``--extra`` synthetic
posts from ../shared/tools/make_corpus.py, to see how the figures scale), then
requests home, article, category, tag and search pages through Django's test
client with production settings (DEBUG off) and prints, per page, the queries
per request and the median milliseconds per request:

- without cache: every request builds the page;
- with cache: requests after the first are served from the cache (Redis when
  REDIS_URL is set, as in production, else the local-memory cache).
"""

import argparse
import contextlib
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
CORPUS = PROJECT.parent / "shared" / "corpus" / "posts"
MAKE_CORPUS = PROJECT.parent / "shared" / "tools" / "make_corpus.py"
LOCAL_MEMORY = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
NO_CACHE = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}


def set_up(workdir: Path, database_url: str = "") -> None:
    """Production settings (DEBUG off) over a scratch database: SQLite in ``workdir`` unless ``database_url``."""
    os.environ.update(
        DJANGO_SETTINGS_MODULE="newsroom.settings",
        DATABASE_URL=database_url or f"sqlite:///{workdir / 'bench.sqlite3'}",
        MEDIA_ROOT=str(workdir / "media"),
        STATIC_ROOT=str(workdir / "static"),
        SECRET_KEY="bench-only",
        DEBUG="false",
        HTTPS="false",
        ALLOWED_HOSTS="testserver",
        LOG_LEVEL="WARNING",
    )
    for shared_service in ("DATABASE_REPLICA_URL", "REDIS_URL"):  # the bench's own database and cache only
        os.environ.pop(shared_service, None)
    sys.path.insert(0, str(PROJECT))
    import django

    django.setup()


def import_posts(folders: list[Path]) -> str:
    from io import StringIO

    from django.core.management import CommandError, call_command

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)  # the manifest that production uses
    out, err = StringIO(), StringIO()
    # Some corpus files are malformed on purpose: the import fails them and keeps the rest.
    with contextlib.suppress(CommandError):
        call_command("import_posts", *map(str, folders), stdout=out, stderr=err)
    return out.getvalue().strip().splitlines()[-1]


def pages() -> dict[str, str]:
    """One URL per kind of page, chosen to be busy: the most-tagged article, the biggest category and tag."""
    from django.db.models import Count

    from content.models import Article, Category, Tag

    published = Article.objects.published()
    article = published.annotate(n=Count("tags")).order_by("-n", "-published_at").first()
    category = Category.objects.filter(parent=None).annotate(n=Count("children__children__articles")).order_by("-n")
    tag = Tag.objects.annotate(n=Count("tagged_articles")).order_by("-n").first()
    return {
        "home": "/",
        "article": article.get_absolute_url(),
        "category": category.first().get_absolute_url(),
        "tag": tag.get_absolute_url(),
        "search": "/search/?q=电动汽车",
    }


def measure(url: str, requests: int) -> tuple[int, float]:
    """(queries of the last request, median ms per request) after one warm-up request."""
    from django.test import Client

    client = Client()
    assert client.get(url).status_code == 200, url
    return timed(client, url, requests)


def timed(client, url: str, requests: int) -> tuple[int, float]:
    """(queries of the last request, median ms per request) of ``requests`` requests."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    times = []
    for _ in range(requests):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            client.get(url)
            times.append((time.perf_counter() - started) * 1000)
    return len(queries), statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--posts", type=Path, default=CORPUS, help="folder of seed-format posts to import")
    parser.add_argument("--extra", type=int, default=0, help="synthetic posts to add (make_corpus.py)")
    parser.add_argument("--requests", type=int, default=50, help="timed requests per page")
    args = parser.parse_args()
    if not args.posts.is_dir():
        sys.exit(f"no posts at {args.posts}")
    with tempfile.TemporaryDirectory(prefix="newsroom-pages-") as scratch:
        workdir = Path(scratch)
        folders = [args.posts]
        if args.extra:
            folders.append(workdir / "extra")
            make = [sys.executable, str(MAKE_CORPUS), str(folders[-1]), "--count", str(args.extra)]
            subprocess.run(make, check=True, stdout=subprocess.DEVNULL)
        set_up(workdir)
        from django.conf import settings
        from django.test.utils import override_settings

        from content.models import Article

        print(f"import: {import_posts(folders)}")
        print(f"{Article.objects.published().count()} published articles, {args.requests} requests per page")
        cached = settings.CACHES if os.environ.get("REDIS_URL") else LOCAL_MEMORY
        print(f"cache: {cached['default']['BACKEND']}\n")
        print(f"{'page':10} {'no cache: queries':>18} {'ms':>8} {'cached: queries':>17} {'ms':>8}")
        for name, url in pages().items():
            with override_settings(CACHES=NO_CACHE):
                cold_queries, cold_ms = measure(url, args.requests)
            with override_settings(CACHES=cached):
                warm_queries, warm_ms = measure(url, args.requests)
            print(f"{name:10} {cold_queries:>18} {cold_ms:>8.2f} {warm_queries:>17} {warm_ms:>8.2f}")


if __name__ == "__main__":
    main()
