"""Reader-side queries of the site's pages, all built on
``Article.objects.published()`` so no draft or scheduled article leaks out.

Each one reads the first rows of an index, so its cost does not grow with the
number of articles: the home page's pins then the date index, previous/next and
related articles from bounded index ranges. The category and tag lists that
the API and the desk share are in ``content.queries``."""

import datetime as dt
from functools import cached_property

from django.db.models import Count, Max, Min, Q, QuerySet, prefetch_related_objects
from django.db.models.expressions import RawSQL
from django.utils import timezone

from content.models import CARD_PREFETCHES, Article, CategoryListing, TaggedArticle

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
        self._pins = articles.pinned().prefetch_related(None)
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
        newest = self.newest.prefetch_related(None)[max(start - pinned, 0) : max(stop - pinned, 0)]
        cards = self.pins[start:stop] + list(newest)
        prefetch_related_objects(cards, *CARD_PREFETCHES)
        return cards


def neighbours(article: Article) -> tuple[Article | None, Article | None]:
    """The published articles just before and just after ``article`` (older, newer)."""
    if article.published_at is None:  # an undated draft in preview
        return None, None
    published = Article.objects.published().only(*LINK_FIELDS)
    date, pk = article.published_at, article.pk
    # A bound on the date alone (the same date is set apart by exclude) lets
    # each side start at the article's place in the date index.
    older = published.filter(published_at__lte=date).exclude(published_at=date, pk__gte=pk)
    newer = published.filter(published_at__gte=date).exclude(published_at=date, pk__lte=pk)
    sides = [older.order_by("-published_at", "-pk"), newer.order_by("published_at", "pk")]
    # One query for both: each side is the first row of its index range.
    found = list(published.filter(pk__in=union_all([side.values("pk")[:1] for side in sides])))
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
    until = timezone.now()
    newest = [
        TaggedArticle.objects.filter(tag_id=tag_id, published_at__lte=until)
        .order_by("-published_at", "-content_object_id")
        .values("content_object_id")[:RELATED_CANDIDATES]
        for tag_id in tag_ids
    ] + [
        CategoryListing.objects.filter(category_id=category_id, published_at__lte=until)
        .order_by("-published_at", "-article_id")
        .values("article_id")[:RELATED_CANDIDATES]
        for category_id in category_ids
    ]
    candidates = (
        Article.objects.published()
        .exclude(pk=article.pk)
        .filter(pk__in=union_all(newest))
        .annotate(
            shared_tags=Count("tags", filter=Q(tags__in=tag_ids), distinct=True),
            same_category=Count("categories", filter=Q(categories__in=category_ids), distinct=True),
        )
        .only(*LINK_FIELDS)
    )
    return list(candidates.order_by("-shared_tags", "-same_category", "-published_at", "-pk")[:limit])


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


def union_all(querysets: list[QuerySet]) -> RawSQL:
    """The rows of all these (sliced) querysets, as one subquery.

    Written out because Django refuses LIMIT inside a compound statement on
    SQLite, which accepts it once each part is wrapped; and one IN over the
    union, unlike an OR of one IN per part, lets PostgreSQL start from the
    few rows it names."""
    parts = [queryset.query.sql_with_params() for queryset in querysets]
    sql = " UNION ALL ".join(f"SELECT * FROM ({part_sql}) AS part{n}" for n, (part_sql, _) in enumerate(parts))
    return RawSQL(sql, [param for _, params in parts for param in params])
