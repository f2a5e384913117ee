"""Synthetic datasets for bench/scale.py, written straight into the tables.

The shape the scale issue asks for: 10 top-level categories with 5 sources
each and 3 channels per source (150 leaves), 500 source authors (a few write
most articles), 20,000 tags with a long tail (log-uniform: a handful of tags
are on a tenth of the articles, most on a few), 2–6 tags and one channel per
article (3 % filed twice), bodies of 1–50 KB (log-uniform, so most are short)
recombined from the paragraphs of ../shared/corpus/posts ($NEWSROOM_SHARED to
look elsewhere; without it, paragraphs of random common characters), five
years of dates up to now, 1 % drafts and a few scheduled articles.

Rows go in with COPY on PostgreSQL and executemany on SQLite, the same rows
for both (seeded), 20,000 articles per transaction. Derived data is built
afterwards by the product's own bulk functions (see ``scale.build``).
"""

import datetime as dt
import math
import os
import random
import re
from collections.abc import Iterator
from pathlib import Path

SHARED = Path(os.environ.get("NEWSROOM_SHARED", Path(__file__).resolve().parent.parent.parent / "shared"))
CORPUS = SHARED / "corpus" / "posts"
PARAGRAPH = re.compile(r"<p\b[^>]*>.*?</p>", re.S | re.I)
KEYWORDS = ["电动汽车", "芯片", "人工智能", "云计算", "数据库", "开源", "充电", "电池", "自动驾驶", "半导体"]
TOP_CATEGORIES, SOURCES_PER_TOP, CHANNELS_PER_SOURCE = 10, 5, 3
AUTHORS, TAGS = 500, 20_000
BODY_POOL = 2_000
SPAN = dt.timedelta(days=5 * 365)
CHUNK = 20_000
ARTICLE_COLUMNS = (
    "id",
    "title",
    "slug",
    "author_id",
    "body_format",
    "body_source",
    "body",
    "excerpt",
    "head_image",
    "thumbnail",
    "head_image_file",
    "thumbnail_file",
    "status",
    "published_at",
    "allow_comments",
    "edited_in_admin",
    "junk_reason",
    "created_at",
    "updated_at",
)


def paragraphs() -> list[str]:
    found = []
    for path in sorted(CORPUS.glob("*.md")):
        found += [p for p in PARAGRAPH.findall(path.read_text(errors="replace")) if 20 < len(p) < 4000]
    if found:
        return found
    # No corpus on this machine: paragraphs of the keywords and random common
    # characters, which compress about as badly as real text.
    rng, common = random.Random(5), [chr(code) for code in range(0x4E00, 0x4E00 + 3000)]
    return [
        f"<p>{rng.choice(KEYWORDS)}{''.join(rng.choices(common, k=rng.randint(40, 400)))}。</p>" for _ in range(500)
    ]


def body_pool(rng: random.Random) -> list[str]:
    """BODY_POOL bodies of 1–50 KB (UTF-8), log-uniform."""
    source, pool = paragraphs(), []
    for _ in range(BODY_POOL):
        target = math.exp(rng.uniform(math.log(1_000), math.log(50_000)))
        parts, size = [], 0
        while size < target:
            part = rng.choice(source)
            parts.append(part)
            size += len(part.encode())
        pool.append("".join(parts))
    return pool


def categories() -> list[tuple[str, str, int | None]]:
    """(name, slug, parent index) in insertion order: tops, then sources, then channels."""
    rows = [(f"分类{t}", f"c{t}", None) for t in range(TOP_CATEGORIES)]
    for t in range(TOP_CATEGORIES):
        rows += [(f"来源{t}-{s}", f"s{s}", t) for s in range(SOURCES_PER_TOP)]
    for source in range(TOP_CATEGORIES, TOP_CATEGORIES * (1 + SOURCES_PER_TOP)):
        rows += [(f"频道{c}", f"ch{c}", source) for c in range(CHANNELS_PER_SOURCE)]
    return rows


def long_tail(rng: random.Random, n: int, skew: float) -> int:
    """An index below n; low indexes far more often (skew > 1)."""
    return min(n - 1, int(n * rng.random() ** skew))


class Dataset:
    """The rows of a dataset of ``size`` articles, ids 1..size, oldest first."""

    def __init__(self, size: int, now: dt.datetime):
        self.size, self.now = size, now
        self.rng = random.Random(size)
        self.pool = body_pool(self.rng)
        self.step = SPAN / size

    def articles(self, first: int, last: int, author_ids, leaf_ids, tag_ids) -> tuple[list, list, list]:
        """Article rows, category link rows and tag link rows for ids first..last."""
        rng, articles, filed, tagged = self.rng, [], [], []
        for n in range(first, last + 1):
            published_at = self.now - SPAN + self.step * n - dt.timedelta(minutes=rng.randint(0, 30))
            status = "draft" if n % 100 == 37 else "published"
            if n > self.size - 3:
                published_at = self.now + dt.timedelta(days=self.size - n + 1)  # scheduled
            keyword = KEYWORDS[n % len(KEYWORDS)]
            title = f"{keyword}观察：第{n}期行业动态"
            body = f"<p>本期关注{keyword}。</p>{self.pool[(n * 7919) % BODY_POOL]}"
            image = f"https://img.example.com/{published_at:%Y/%m}/{n}.png"
            articles.append(
                (n, title, f"a-{n}", author_ids[long_tail(rng, len(author_ids), 2)], "html", body, body,
                 f"本期关注{keyword}的最新进展，第{n}期。", image, image, "", "", status, published_at,
                 False, False, "", published_at, published_at)
            )  # fmt: skip
            leaves = {leaf_ids[long_tail(rng, len(leaf_ids), 1.5)]}
            if rng.random() < 0.03:
                leaves.add(rng.choice(leaf_ids))
            filed += [(n, leaf) for leaf in leaves]
            tags = {tag_ids[long_tail(rng, len(tag_ids), 1) if k else int(len(tag_ids) ** rng.random()) - 1]
                    for k in range(2 + n % 5)}  # fmt: skip
            tagged += [(n, tag) for tag in tags]
        return articles, filed, tagged

    def chunks(self) -> Iterator[tuple[int, int]]:
        for first in range(1, self.size + 1, CHUNK):
            yield first, min(first + CHUNK - 1, self.size)


def load(size: int) -> None:
    """Write a dataset of ``size`` articles into the empty tables of the current database."""
    from django.db import connection, transaction
    from django.utils import timezone

    from content.models import Article, Author, Category, Tag

    dataset = Dataset(size, timezone.now().replace(microsecond=0))
    authors = Author.objects.bulk_create(
        Author(name=f"来源作者{n}", slug=f"source-{n}", kind=Author.Kind.SOURCE) for n in range(AUTHORS)
    )
    made: list[Category] = []
    for name, slug, parent in categories():
        parent_row = made[parent] if parent is not None else None
        path = f"{parent_row.path}/{slug}" if parent_row else slug
        made.append(Category.objects.create(name=name, slug=slug, parent=parent_row, path=path))
    leaf_ids = [category.pk for category in made[TOP_CATEGORIES * (1 + SOURCES_PER_TOP) :]]
    tags = Tag.objects.bulk_create(Tag(name=f"标签{n}", slug=f"标签{n}") for n in range(TAGS))
    author_ids, tag_ids = [a.pk for a in authors], [t.pk for t in tags]
    link_tables = {
        Article.categories.through._meta.db_table: ("article_id", "category_id"),
        Article.tags.through._meta.db_table: ("content_object_id", "tag_id"),
    }
    for first, last in dataset.chunks():
        rows = dataset.articles(first, last, author_ids, leaf_ids, tag_ids)
        with transaction.atomic(), connection.cursor() as cursor:
            write(cursor, Article._meta.db_table, ARTICLE_COLUMNS, rows[0])
            for (table, columns), links in zip(link_tables.items(), rows[1:], strict=True):
                write(cursor, table, columns, links)
        print(f"  {last:,} / {size:,} articles", flush=True)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT setval(pg_get_serial_sequence(%s, 'id'), %s)", [Article._meta.db_table, size])


def write(cursor, table: str, columns: tuple[str, ...], rows: list[tuple]) -> None:
    """COPY on PostgreSQL, executemany elsewhere."""
    from django.db import connection

    names = ", ".join(columns)
    if connection.vendor == "postgresql":
        with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
    else:
        marks = ", ".join(["%s"] * len(columns))
        cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", rows)
