#!/usr/bin/env python
"""Every page at 1,000, 100,000 and 1,000,000 articles: queries and median ms, and how they grow.

    .venv/bin/python bench/scale.py --articles 1000 100000 [1000000] [--database pg|sqlite] [--requests 7]

$SCALE_PAGES (a regular expression) measures only the pages whose names match it;
``--without-search`` builds a dataset without its search documents (most of a
million's build time), for measuring the other rows, such as
``SCALE_PAGES='story filing'``; a later run without it adds them.

For each size it builds a dataset once and keeps it (PostgreSQL databases
``scale_1k``, ``scale_100k``, ``scale_1m`` on $BENCH_POSTGRES; SQLite files in
/tmp/scale/), so running again only measures: the rows are written in bulk
(bench/scale_data.py describes their shape), the derived data is built by
the product's own bulk functions, then the tables are vacuumed and analysed
(the steady state autovacuum keeps: index-only scans need the visibility map). When the
schema has moved on (new migrations), the dataset is migrated (a migration
adding derived data fills it) and analysed again. ``--rebuild`` starts a size afresh.
Stories are filed as a running site has them (see ``file_stories``).

Then, per page (reader pages, feeds, sitemap, search, admin), it prints the
SQL queries of one request and the median milliseconds of ``--requests``
requests through Django's test client after one warm-up (a page slower than
5 s: one request), page cache off, DEBUG off, each size measured in its own
process; and the growth factor of the largest size over the smallest. The
last two rows are the cost of filing a new article into stories
(``bench/stories.py``'s measurement: ``STORY_ARTICLES`` new articles, half
of them re-runs of recent ones joining their story), the reader forgetting
pages in memory as it would in Redis.
"""

import argparse
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
POSTGRES = os.environ.get("BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432")
SQLITE_DIR = Path("/tmp/scale")
NO_CACHE = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
ADMIN = "/admin/articles/article/"
SLOW_MS = 5_000
SEARCH_WORKERS, SEARCH_BATCH = 2, 1_000  # one worker per core
LOCAL_CACHE = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
STORY_ARTICLES = 100


def label(size: int) -> str:
    return f"{size // 1_000_000}m" if size >= 1_000_000 else f"{size // 1_000}k"


def database_url(kind: str, size: int) -> str:
    if kind == "sqlite":
        return f"sqlite:///{SQLITE_DIR / f'scale_{label(size)}.sqlite3'}"
    return f"{POSTGRES}/scale_{label(size)}"


def set_up(url: str) -> None:
    sys.path.insert(0, str(PROJECT))
    from bench.pages import set_up as set_up_django

    SQLITE_DIR.mkdir(exist_ok=True)
    set_up_django(SQLITE_DIR, url)  # media and static files under SQLITE_DIR too


def create_database(kind: str, size: int, fresh: bool) -> None:
    if kind == "sqlite":
        SQLITE_DIR.mkdir(exist_ok=True)
        path = SQLITE_DIR / f"scale_{label(size)}.sqlite3"
        if fresh:
            path.unlink(missing_ok=True)
        return
    import psycopg

    with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True) as conn:
        name = f"scale_{label(size)}"
        if fresh:
            conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f"CREATE DATABASE {name}")


def build(size: int, search: bool = True) -> None:
    """Child: migrate, load the rows if this database has none, rebuild derived data when the schema moved
    (the search documents only when ``search``: a later build without ``--without-search`` adds them)."""
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection
    from django.db.migrations.recorder import MigrationRecorder

    from bench import scale_data
    from content.models import Article, CategoryListing
    from content.search_documents import SearchDocument
    from stories.models import Fingerprint

    call_command("migrate", verbosity=0)
    leaf = MigrationRecorder.Migration.objects.filter(app="articles").order_by("-id").values_list("name", flat=True)[0]
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE IF NOT EXISTS bench_scale (size integer, schema varchar(200))")
        cursor.execute("SELECT schema FROM bench_scale")
        row = cursor.fetchone()
    if row is None:
        started = time.perf_counter()
        if Article.objects.exists():
            sys.exit(f"{connection.settings_dict['NAME']}: articles but no bench_scale row; use --rebuild")
        scale_data.load(size)
        get_user_model().objects.create_superuser("bench", password="bench")
        print(f"  rows written in {time.perf_counter() - started:.0f} s", flush=True)
    unindexed = search and not SearchDocument.objects.exists()
    if row is None or row[0] != leaf or unindexed:
        started = time.perf_counter()
        if row is None:  # a migration that adds derived data fills it itself
            CategoryListing.objects.rebuild()
        if unindexed:
            index_search(size)
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM bench_scale")
            cursor.execute("INSERT INTO bench_scale VALUES (%s, %s)", [size, leaf])
            cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
        print(f"  derived data and ANALYZE in {time.perf_counter() - started:.0f} s", flush=True)
    if not Fingerprint.objects.exists():
        file_stories()


def file_stories() -> None:
    """Stories as a running site has them: every article older than the band
    rows kept (``STORIES_BANDS_KEPT_DAYS``) a filed story of its own, written
    in bulk (its fingerprint without a signature: no new article reads it),
    then the newer ones, which new articles are compared with, filed by the
    product's own archive filing (``cluster_stories``), its time printed."""
    from django.db import connection

    from stories.archive import file_archive
    from stories.detection import band_horizon
    from stories.models import Band, Fingerprint, Story, StoryMember

    started, horizon = time.perf_counter(), connection.ops.adapt_datetimefield_value(band_horizon())
    with connection.cursor() as cursor:
        for statement in stories_of_their_own_sql(connection.vendor):
            cursor.execute(statement, [horizon] * statement.count("%s"))
    print(f"  older articles' stories written in {time.perf_counter() - started:.0f} s", flush=True)
    started = time.perf_counter()
    filed = sum(file_archive())
    elapsed = time.perf_counter() - started
    # The time includes cluster_stories walking past the older articles already filed, not only filing the recent.
    print(f"  stories: {filed:,} recent articles filed by cluster_stories in {elapsed:.0f} s")
    tables = ", ".join(model._meta.db_table for model in (Fingerprint, Story, StoryMember, Band))
    with connection.cursor() as cursor:
        cursor.execute(f"VACUUM ANALYZE {tables}" if connection.vendor == "postgresql" else "ANALYZE")


def stories_of_their_own_sql(vendor: str) -> list[str]:
    """Each article dated before the horizon (each ``%s``) a story of its own, as ``stories.detection.summarise``
    writes it."""
    from content.models import Article, Author
    from stories.models import Fingerprint, Story, StoryMember

    article, author = Article._meta.db_table, Author._meta.db_table
    old = "COALESCE(a.published_at, a.created_at) < %s"
    if vendor == "postgresql":
        copy = (
            "jsonb_build_array(jsonb_build_object('id', a.id, 'slug', a.slug, 'source', au.name, 'author_id',"
            " a.author_id, 'published', a.status = 'published', 'published_at', a.published_at))"
        )
    else:  # SQLite keeps UTC text; readers parse ISO 8601 with its offset
        copy = (
            "json_array(json_object('id', a.id, 'slug', a.slug, 'source', au.name, 'author_id', a.author_id,"
            " 'published', json(CASE WHEN a.status = 'published' THEN 'true' ELSE 'false' END), 'published_at',"
            " CASE WHEN a.published_at IS NULL THEN NULL"
            " ELSE replace(a.published_at, ' ', 'T') || '+00:00' END))"
        )
    return [
        f"INSERT INTO {Fingerprint._meta.db_table} (article_id, signature, shingles, dated_at)"
        f" SELECT a.id, NULL, 0, COALESCE(a.published_at, a.created_at) FROM {article} a WHERE {old}",
        f"INSERT INTO {Story._meta.db_table} (lead_id, article_count, source_count, first_published_at,"
        f" last_published_at, copies, created_at, updated_at) SELECT a.id, 1, 1, a.published_at, a.published_at,"
        f" {copy}, a.created_at, a.created_at FROM {article} a JOIN {author} au ON au.id = a.author_id"
        f" WHERE {old} ORDER BY a.published_at, a.id",
        f"INSERT INTO {StoryMember._meta.db_table} (article_id, story_id, is_lead, placed_by_editor, similarity)"
        f" SELECT s.lead_id, s.id, TRUE, FALSE, NULL FROM {Story._meta.db_table} s",
    ]


def index_search(size: int) -> None:
    """Every article's search document, by the product's own ``documents.index``,
    in SEARCH_WORKERS processes over stripes of ids (one on SQLite); on
    PostgreSQL the GIN index is built afterwards (as fast as a fresh rebuild can be)."""
    from django.db import connection

    postgres = connection.vendor == "postgresql"
    if postgres:
        with connection.cursor() as cursor:
            cursor.execute("DROP INDEX IF EXISTS searchdocument_vector_gin")
    stripe = -(-size // (SEARCH_WORKERS if postgres else 1))  # SQLite has one writer at a time
    workers = [
        subprocess.Popen([sys.executable, __file__, "--child", "search", "--child-size", str(size),
                          "--database", "pg" if postgres else "sqlite", "--first", str(first), "--last",
                          str(min(size, first + stripe - 1))], cwd=PROJECT)
        for first in range(1, size + 1, stripe)
    ]  # fmt: skip
    if any(worker.wait() for worker in workers):
        sys.exit("indexing the search documents failed")
    if postgres:
        with connection.cursor() as cursor:
            cursor.execute("SET maintenance_work_mem = '1GB'")
            cursor.execute("CREATE INDEX searchdocument_vector_gin ON articles_searchdocument USING gin (vector)")


def index_stripe(first: int, last: int) -> None:
    """Child: the search documents of articles first..last, in batches."""
    from search import documents

    for start in range(first, last + 1, SEARCH_BATCH):
        documents.index(range(start, min(last, start + SEARCH_BATCH - 1) + 1))
        if (start - first) % 20_000 < SEARCH_BATCH:
            print(f"  search documents: {min(last, start + SEARCH_BATCH - 1):,} of {first:,}..{last:,}", flush=True)


def pages() -> dict[str, str]:
    """One URL per kind of page; busy ones (the biggest category, tag, author) and quiet ones."""
    from django.db.models import Max, Min

    from content.models import Article, Author, Category, Tag

    published = Article.objects.published()
    span = published.aggregate(first=Min("id"), last=Max("id"))
    newest = published.order_by("-published_at", "-id").first()
    oldest = published.order_by("published_at", "id").first()
    middle = published.filter(pk__gte=(span["first"] + span["last"]) // 2).order_by("pk").first()
    leaf = Category.objects.filter(children=None).order_by("pk").first()
    top = leaf.ancestry()[0]
    busy_tag = Tag.objects.order_by("pk").first()
    rare_tag = Tag.objects.order_by("-pk").first()
    author = Author.objects.order_by("pk").first()
    day = middle.published_at
    return {
        "home": "/",
        "home page 2": "/?page=2",
        "home page 50": "/?page=50",
        "article newest": newest.get_absolute_url(),
        "article middle": middle.get_absolute_url(),
        "article oldest": oldest.get_absolute_url(),
        "category top": top.get_absolute_url(),
        "category leaf": leaf.get_absolute_url(),
        "category leaf p.2": leaf.get_absolute_url() + "?page=2",
        "tag busy": busy_tag.get_absolute_url(),
        "tag rare": rare_tag.get_absolute_url(),
        "author": author.get_absolute_url(),
        "year": f"/{day:%Y}/",
        "month": f"/{day:%Y}/{day:%m}/",
        "feed": "/feed/",
        "atom feed": "/feed/atom/",
        "category feed": f"/feed/category/{top.path}/",
        "tag feed": f"/feed/tag/{busy_tag.slug}/",
        "sitemap.xml": "/sitemap.xml",
        "sitemap section": "sitemap-section",  # the first section the index lists, found when measuring
        "search xinpian": "/search/?q=芯片",
        "search xinpian newest": "/search/?q=芯片&sort=new",
        "search dianqiche": "/search/?q=电动汽车",
        "search two terms": "/search/?q=芯片 电池",
        "search exclusion": "/search/?q=芯片 -华为",
        "search traditional": "/search/?q=電動汽車",
        "search latin": "/search/?q=Apple",
        "search one char": "/search/?q=车",
        "search rare": "/search/?q=第99999期",
        "admin list": ADMIN,
        "admin filter state": ADMIN + "?state=published",
        "admin filter category": ADMIN + f"?category={leaf.pk}",
        "admin filter author": ADMIN + f"?author={author.pk}",
        "admin search": ADMIN + "?q=芯片",
        "admin change form": f"{ADMIN}{middle.pk}/change/",
    }


def first_section(client) -> str:
    locations = re.findall(r"<loc>https?://testserver([^<]+)</loc>", client.get("/sitemap.xml").content.decode())
    return locations[0] if locations and "sitemap" in locations[0] else "/sitemap.xml"


def measure(requests: int) -> dict[str, tuple[int, float]]:
    """Child: {page: (queries, median ms)}."""
    from django.core.management import call_command
    from django.test import Client
    from django.test.utils import override_settings

    from bench.pages import timed
    from bench.stories import file_new_articles

    call_command("collectstatic", interactive=False, verbosity=0)  # the manifest that production uses
    results = {}
    with override_settings(CACHES=NO_CACHE):
        reader, editor = Client(), signed_in_editor()
        for name, url in pages().items():
            if not re.search(os.environ.get("SCALE_PAGES", ""), name):
                continue
            url = first_section(reader) if url == "sitemap-section" else url
            client = editor if url.startswith("/admin/") else reader
            started = time.perf_counter()
            status = client.get(url).status_code  # the warm-up
            first_ms = (time.perf_counter() - started) * 1000
            if status != 200:
                print(f"warning: {name} {url} answers {status}", file=sys.stderr)
            # A page slower than SLOW_MS is requested once more only, to count its queries.
            results[name] = timed(client, url, 1 if first_ms > SLOW_MS else requests)
    if re.search(os.environ.get("SCALE_PAGES", ""), "story filing"):
        with override_settings(CACHES=LOCAL_CACHE):
            for kind, (queries, median, _) in file_new_articles(STORY_ARTICLES).items():
                results[f"story filing: {kind}"] = (queries, median)
    return results


def signed_in_editor():
    """A client signed in as the superuser ``bench`` with its second factor verified, as the admin requires."""
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    user = get_user_model().objects.get(username="bench")
    device, _ = TOTPDevice.objects.get_or_create(user=user, name="bench", defaults={"confirmed": True})
    client = Client()
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def child(args) -> None:
    set_up(database_url(args.database, args.child_size))
    if args.child == "build":
        build(args.child_size, search=not args.without_search)
    elif args.child == "search":
        index_stripe(args.first, args.last)
    else:
        print("RESULT " + json.dumps(measure(args.requests)))


def run_child(args, mode: str, size: int) -> str:
    command = [sys.executable, __file__, "--child", mode, "--child-size", str(size), "--database", args.database]
    command += ["--requests", str(args.requests)] + (["--without-search"] if args.without_search else [])
    capture = subprocess.PIPE if mode == "measure" else None  # a build shows its progress as it goes
    done = subprocess.run(command, cwd=PROJECT, stdout=capture, text=True, check=False)
    if done.returncode:
        sys.exit(f"{mode} at {size:,} failed")
    return done.stdout


def report(sizes: list[int], results: dict[int, dict]) -> None:
    header = f"{'page':30}" + "".join(f"{label(s) + ' q':>7}{label(s) + ' ms':>10}" for s in sizes)
    print(header + f"{'growth':>8}")
    for page in results[sizes[-1]]:
        row = f"{page:30}"
        for size in sizes:
            queries, ms = results[size][page]
            row += f"{queries:>7}{ms:>10.1f}"
        growth = results[sizes[-1]][page][1] / results[sizes[0]][page][1]
        print(row + f"{'×' + format(growth, '.1f'):>8}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, nargs="+", default=[1_000, 100_000])
    parser.add_argument("--database", choices=["pg", "sqlite"], default="pg")
    parser.add_argument("--requests", type=int, default=7)
    parser.add_argument("--rebuild", action="store_true", help="drop the datasets and build them again")
    parser.add_argument("--build-only", action="store_true", help="build the datasets, measure nothing")
    parser.add_argument(
        "--without-search",
        action="store_true",
        help="build no search documents (an hour and a half at 1M): for the other rows, with $SCALE_PAGES",
    )
    parser.add_argument("--child", choices=["build", "measure", "search"], help=argparse.SUPPRESS)
    parser.add_argument("--first", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--last", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--child-size", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return child(args)
    sizes = sorted(args.articles)
    for size in sizes:
        print(f"== {size:,} articles on {database_url(args.database, size)}", flush=True)
        create_database(args.database, size, fresh=args.rebuild)
        run_child(args, "build", size)
    if args.build_only:
        return
    results = {}
    for size in sizes:
        out = run_child(args, "measure", size)
        results[size] = json.loads(next(line for line in out.splitlines() if line.startswith("RESULT "))[7:])
    print(f"\n{args.database}, median of {args.requests} requests, page cache off, DEBUG off\n")
    report(sizes, results)


if __name__ == "__main__":
    main()
