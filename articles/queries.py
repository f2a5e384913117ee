"""Reader-side queries shared by views and feeds, all built on
``Article.objects.published()`` so no draft or scheduled article leaks out."""

import datetime as dt

from django.core.cache import caches
from django.db.models import Count, Q, QuerySet

from articles.models import Article, Category

RELATED_LIMIT = 5
ARCHIVE_MONTHS = 12
ARCHIVE_MONTHS_SECONDS = 3600
# What a related or previous/next link shows; nothing else is loaded for them.
LINK_FIELDS = ("title", "slug", "published_at")


def in_category(articles: QuerySet, category: Category) -> QuerySet:
    """``articles`` filed under ``category`` or any category below it."""
    subtree = Category.objects.filter(Q(pk=category.pk) | Q(path__startswith=f"{category.path}/"))
    # A subquery rather than a join: an article filed twice in the subtree is listed once, with no DISTINCT.
    filed = Article.categories.through.objects.filter(category__in=subtree).values("article_id")
    return articles.filter(pk__in=filed)


def neighbours(article: Article) -> tuple[Article | None, Article | None]:
    """The published articles just before and just after ``article`` (older, newer)."""
    if article.published_at is None:  # an undated draft in preview
        return None, None
    published = Article.objects.published().only(*LINK_FIELDS)
    date, pk = article.published_at, article.pk
    older = published.filter(Q(published_at__lt=date) | Q(published_at=date, pk__lt=pk))
    newer = published.filter(Q(published_at__gt=date) | Q(published_at=date, pk__gt=pk))
    return older.order_by("-published_at", "-pk").first(), newer.order_by("published_at", "pk").first()


def related_articles(article: Article, limit: int = RELATED_LIMIT) -> list[Article]:
    """Articles sharing the most tags with ``article``, then those in the same
    category, newest first: one query, using the article's prefetched tags and
    categories."""
    tag_ids = [tag.pk for tag in article.tags.all()]
    category_ids = [category.pk for category in article.categories.all()]
    if not tag_ids and not category_ids:
        return []
    tagged = Article.tags.through.objects.filter(tag_id__in=tag_ids).values("content_object_id")
    filed = Article.categories.through.objects.filter(category_id__in=category_ids).values("article_id")
    candidates = (
        Article.objects.published()
        .exclude(pk=article.pk)
        .filter(Q(pk__in=tagged) | Q(pk__in=filed))
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
    """The latest months with published articles, newest first. Cached for an
    hour: finding them reads every published date."""

    def months():
        return list(Article.objects.published().dates("published_at", "month", order="DESC")[:limit])

    return caches["default"].get_or_set("archive-months", months, ARCHIVE_MONTHS_SECONDS)
