"""Reader-side queries of the site's pages, all reading published articles
only (``Article.objects.published()``, or its two conditions where the SQL is
written out) so no draft or scheduled article leaks out.

Each one reads the first rows of an index, so its cost does not grow with the
number of articles: the home page's pins then the date index, previous/next and
related articles from bounded index ranges. The category and tag lists that
the API and the desk share are in ``content.queries``."""

import datetime as dt
from functools import cached_property, lru_cache

from django.db import connection
from django.db.models import Max, Min, QuerySet
from django.utils import timezone

from content.models import Article, CategoryListing, TaggedArticle

RELATED_LIMIT = 5
ARCHIVE_MONTHS = 12
# Related articles are picked among the newest this many articles of each of
# the article's tags and categories: a bounded read.
RELATED_CANDIDATES = 10
# What a related or previous/next link shows; nothing else is loaded for them.
LINK_FIELDS = ("title", "slug", "published_at")


class PinsThenNewest:
    """The home page's articles, as its paginator reads them: 头条 (pinned, in
    pin order) then the newest of the others.

    Ordered as one list ("pinned first, then by date"), PostgreSQL read and
    sorted every published article: 140 ms at 100,000. The pins are a short
    list of their own (a partial index) and the rest are read from the date
    index; a page takes what it needs of each, and its cards' categories and
    tags are prefetched together."""

    def __init__(self, articles: QuerySet):
        self._pins = articles.pinned()
        self.newest = articles.exclude(pk__in=self._pins.values("pk")).order_by("-published_at", "-pk")

    @cached_property
    def pins(self) -> list[Article]:
        return list(self._pins)

    def count_up_to(self, limit: int) -> int:
        """How many articles there are, counting at most ``limit`` (see ``BoundedPaginator``)."""
        pinned = len(self.pins)
        return pinned + self.newest[: max(limit - pinned, 0)].count()

    def __getitem__(self, window: slice) -> list[Article]:
        start, stop, pinned = window.start or 0, window.stop, len(self.pins)
        return self.pins[start:stop] + list(self.newest[max(start - pinned, 0) : max(stop - pinned, 0)])


class CountedByRows:
    """A category's or tag's articles, as its paginator reads them, counted off
    the list's own index rows: a row is dated only while its article is
    published, so they are as many as the articles listed, and counting them
    needs no join to the articles (at 100,000 articles the joined count took
    10 ms, most of it starting a parallel plan; the rows alone take one index
    range)."""

    def __init__(self, articles: QuerySet, rows: QuerySet):
        self.articles, self.rows = articles, rows

    def count_up_to(self, limit: int) -> int:
        return self.rows[:limit].count()

    def __getitem__(self, window: slice) -> list[Article]:
        return list(self.articles[window])


def neighbours(article: Article) -> tuple[Article | None, Article | None]:
    """The published articles just before and just after ``article`` (older, newer)."""
    if article.published_at is None:  # an undated draft in preview
        return None, None
    date, pk, now = article.published_at, article.pk, database_time(timezone.now())
    side = [Article.Status.PUBLISHED, now, database_time(date), database_time(date), pk]
    found = list(Article.objects.raw(NEIGHBOURS_SQL, [*side, *side]))
    place = (date, pk)
    return (
        next((near for near in found if (near.published_at, near.pk) < place), None),
        next((near for near in found if (near.published_at, near.pk) > place), None),
    )


def related_articles(article: Article, limit: int = RELATED_LIMIT) -> list[Article]:
    """Articles sharing the most tags with ``article``, then those in the same
    category, newest first: one query, using the article's prefetched tags and
    categories. Candidates are the newest few of each tag and category, so the
    cost is the same for any number of articles."""
    tag_ids = [tag.pk for tag in article.tags.all()]
    category_ids = [category.pk for category in article.categories.all()]
    if not tag_ids and not category_ids:
        return []
    now = database_time(timezone.now())
    params = [
        *tag_ids,
        *category_ids,
        *(value for tag_id in tag_ids for value in (tag_id, now)),
        *(value for category_id in category_ids for value in (category_id, now)),
        Article.Status.PUBLISHED,
        now,
        article.pk,
        limit,
    ]
    return list(Article.objects.raw(related_sql(len(tag_ids), len(category_ids)), params))


# The article page's two link queries, written out once rather than built by
# the ORM on every request: compiling them cost three times what running them
# does (2.6 of 4 ms for the related articles). Both are plain SQL that
# PostgreSQL and SQLite read alike; each ``SELECT * FROM (…)`` wrapper lets
# SQLite take a LIMIT inside a UNION ALL, and one IN over the union lets
# PostgreSQL start from the few rows it names.
ARTICLE = Article._meta.db_table
TAGGED = TaggedArticle._meta.db_table
LISTING = CategoryListing._meta.db_table
FILED = Article.categories.through._meta.db_table
LINK_COLUMNS = "id, title, slug, published_at"
# One side of an article: the first published row of the date index past
# (published_at, id), which the parameters give twice (the same date is set
# apart by id).
OLDER = (
    f"SELECT * FROM (SELECT id FROM {ARTICLE} WHERE status = %s AND published_at <= %s"
    " AND published_at <= %s AND NOT (published_at = %s AND id >= %s)"
    " ORDER BY published_at DESC, id DESC LIMIT 1) AS older"
)
NEWER = (
    f"SELECT * FROM (SELECT id FROM {ARTICLE} WHERE status = %s AND published_at <= %s"
    " AND published_at >= %s AND NOT (published_at = %s AND id <= %s)"
    " ORDER BY published_at, id LIMIT 1) AS newer"
)
NEIGHBOURS_SQL = f"SELECT {LINK_COLUMNS} FROM {ARTICLE} WHERE id IN ({OLDER} UNION ALL {NEWER})"


@lru_cache(maxsize=64)
def related_sql(tags: int, categories: int) -> str:
    """The related-articles query for an article with this many tags and categories."""

    def shared(table: str, column: str, key: str, count: int) -> str:
        if not count:
            return "0"
        marks = ", ".join(["%s"] * count)
        return f"(SELECT COUNT(*) FROM {table} WHERE {column} = a.id AND {key} IN ({marks}))"

    def newest(table: str, column: str, key: str, name: str) -> str:
        return (
            f"SELECT * FROM (SELECT {column} FROM {table} WHERE {key} = %s AND published_at <= %s"
            f" ORDER BY published_at DESC, {column} DESC LIMIT {RELATED_CANDIDATES}) AS {name}"
        )

    candidates = [newest(TAGGED, "content_object_id", "tag_id", f"tag{n}") for n in range(tags)] + [
        newest(LISTING, "article_id", "category_id", f"category{n}") for n in range(categories)
    ]
    return (
        f"SELECT a.id, a.title, a.slug, a.published_at,"
        f" {shared(TAGGED, 'content_object_id', 'tag_id', tags)} AS shared_tags,"
        f" {shared(FILED, 'article_id', 'category_id', categories)} AS same_category"
        f" FROM {ARTICLE} a WHERE a.id IN ({' UNION ALL '.join(candidates)})"
        " AND a.status = %s AND a.published_at <= %s AND a.id <> %s"
        " ORDER BY shared_tags DESC, same_category DESC, a.published_at DESC, a.id DESC LIMIT %s"
    )


def lists_of(article_ids: list[int]) -> list[tuple[int, str, int]]:
    """``(article id, "category" or "tag", list id)`` for every category and tag
    list these articles are on: one query, written out because the ORM took
    longer compiling its two (or their union) than the database running them,
    on every article change."""
    if not article_ids:
        return []
    with connection.cursor() as cursor:
        cursor.execute(lists_sql(len(article_ids)), [*article_ids, *article_ids])
        return cursor.fetchall()


@lru_cache(maxsize=64)
def lists_sql(count: int) -> str:
    marks = ", ".join(["%s"] * count)
    return (
        f"SELECT article_id, 'category', category_id FROM {LISTING} WHERE article_id IN ({marks})"
        f" UNION ALL SELECT content_object_id, 'tag', tag_id FROM {TAGGED} WHERE content_object_id IN ({marks})"
    )


def database_time(moment: dt.datetime):
    """``moment`` as the database compares it in raw SQL (SQLite keeps text in UTC)."""
    return connection.ops.adapt_datetimefield_value(moment)


def latest_articles(exclude: Article | None = None, limit: int = RELATED_LIMIT) -> list[Article]:
    """The newest published articles (links only)."""
    articles = Article.objects.published().only(*LINK_FIELDS)
    if exclude is not None:
        articles = articles.exclude(pk=exclude.pk)
    return list(articles.order_by("-published_at", "-pk")[:limit])


def archive_months(limit: int = ARCHIVE_MONTHS) -> list[dt.date]:
    """The latest months, newest first, from the newest published article's
    back to the oldest's at most: one index lookup at each end, rather than
    reading every published date (a month without articles is rare in news)."""
    span = Article.objects.published().aggregate(first=Min("published_at"), last=Max("published_at"))
    if span["first"] is None:
        return []
    first, month = timezone.localdate(span["first"]).replace(day=1), timezone.localdate(span["last"]).replace(day=1)
    months = []
    while month >= first and len(months) < limit:
        months.append(month)
        month = (month - dt.timedelta(days=1)).replace(day=1)
    return months
