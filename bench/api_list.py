#!/usr/bin/env python
"""The API's article list: median time per request at 1,000 and 100,000 articles.

    .venv/bin/python bench/api_list.py [--sizes 1000 100000] [--requests 30] [--database-url postgres://…/api_bench]

Builds each size in a scratch database with bulk inserts (articles, their
categories and tags; no import pipeline, so it is quick), then requests
through Django's test client, with production settings (DEBUG off):

- the first page of /api/v1/articles;
- a deep page (a cursor half-way down the list): keyset pagination costs the same;
- the first page filtered by a category subtree, and by a tag.

and prints the median milliseconds and queries per request for each, side by
side per size. SQLite by default (a file in a temporary folder); with
``--database-url`` a PostgreSQL database that is emptied first (never one
holding data you want).
"""

import argparse
import statistics
import tempfile
import time
from pathlib import Path

BATCH = 5000
CATEGORIES = [
    ("新媒体", "36氪", "快讯"),
    ("新媒体", "36氪", "深度"),
    ("新媒体", "OFweek", "新闻"),
    ("汽车", "电动汽车"),
]
TAGS = [f"标签{n}" for n in range(50)]


def set_up(database_url: str, workdir: Path) -> None:
    from pages import set_up as production_settings  # bench/pages.py, beside this script

    production_settings(workdir, database_url)
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def build(size: int) -> None:
    """``size`` published articles over two years, each in one category with two tags."""
    import datetime as dt

    from django.db import connection
    from django.utils import timezone

    from content.models import Article, Author, Category, Tag, TaggedArticle

    Article.objects.all().delete()
    authors = [Author.objects.get_or_create(name=f"来源{n}", defaults={"kind": "source"})[0] for n in range(10)]
    categories = [Category.objects.get_or_create_path(list(path)) for path in CATEGORIES]
    tags = [Tag.objects.get_or_create(name=name, defaults={"slug": name})[0] for name in TAGS]
    now = timezone.now()
    body = "<p>" + "正文内容，用来测量接口列表的速度。" * 20 + "</p>"
    for start in range(0, size, BATCH):
        articles = Article.objects.bulk_create(
            Article(
                title=f"文章 {n}",
                slug=f"article-{n}",
                author=authors[n % len(authors)],
                body_source=body,
                body=body,
                excerpt="正文内容，用来测量接口列表的速度。",
                status=Article.Status.PUBLISHED,
                published_at=now - dt.timedelta(minutes=10 * n + 1),
            )
            for n in range(start, min(start + BATCH, size))
        )
        Article.categories.through.objects.bulk_create(
            Article.categories.through(article_id=a.pk, category_id=categories[a.pk % len(categories)].pk)
            for a in articles
        )
        TaggedArticle.objects.bulk_create(
            TaggedArticle(content_object_id=a.pk, tag_id=tags[(a.pk + k * 7) % len(tags)].pk)
            for a in articles
            for k in range(2)
        )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # planner statistics, as autovacuum would gather them after a load


def measure(path: str, requests: int) -> tuple[float, int]:
    """Median milliseconds and queries per request for ``path``."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    assert client.get(path).status_code == 200, path
    times = []
    for _ in range(requests):
        start = time.perf_counter()
        client.get(path)
        times.append((time.perf_counter() - start) * 1000)
    with CaptureQueriesContext(connection) as queries:
        client.get(path)
    return statistics.median(times), len(queries)


def deep_cursor(size: int) -> str:
    from api import pagination
    from content.models import Article

    middle = Article.objects.published().order_by("-published_at", "-id")[size // 2]
    return pagination.encode(middle.published_at, middle.pk)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 100_000])
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--database-url", help="a scratch PostgreSQL database (emptied first); default SQLite")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as workdir:
        set_up(options.database_url or "", Path(workdir))
        from django.db import connection

        print(f"API article list, {connection.vendor}, median of {options.requests} requests")
        print(f"{'articles':>9}  {'page':<24} {'ms':>7} {'queries':>7}")
        for size in options.sizes:
            started = time.perf_counter()
            build(size)
            print(f"{size:>9}  (built in {time.perf_counter() - started:.1f} s)")
            pages = {
                "first page": "/api/v1/articles",
                "deep page (cursor)": f"/api/v1/articles?cursor={deep_cursor(size)}",
                "category 新媒体/36氪": "/api/v1/articles?category=新媒体/36氪",
                "tag 标签7": "/api/v1/articles?tag=标签7",
            }
            for label, path in pages.items():
                ms, queries = measure(path, options.requests)
                print(f"{size:>9}  {label:<24} {ms:>7.1f} {queries:>7}")


if __name__ == "__main__":
    main()
