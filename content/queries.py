"""The lists every app reads articles by: a category's subtree and a tag,
from the listing rows that ``content.listings`` keeps (newest first, off one
index, whatever the number of articles)."""

from django.db.models import QuerySet
from django.utils import timezone

from content.models import Category, CategoryListing, Tag, TaggedArticle


def in_category(articles: QuerySet, category: Category) -> QuerySet:
    """``articles`` filed under ``category`` or any category below it, drafts
    too if ``articles`` has them (the admin's filter, search), in their order."""
    return articles.filter(pk__in=CategoryListing.objects.filter(category=category).values("article_id"))


def listed_in(articles: QuerySet, category: Category) -> QuerySet:
    """The published ``articles`` of a category page, newest first, read from
    the category's listing rows (one per article, however many of the
    subtree's categories it is filed under) in the order of their index."""
    return articles.filter(listings__category=category, listings__published_at__lte=timezone.now()).order_by(
        "-listings__published_at", "-pk"
    )


def tagged(articles: QuerySet, tag: Tag) -> QuerySet:
    """``articles`` tagged ``tag``, newest first, in the order of the tag rows' index."""
    return articles.filter(taggedarticle__tag=tag, taggedarticle__published_at__lte=timezone.now()).order_by(
        "-taggedarticle__published_at", "-pk"
    )


def listing_rows(category: Category) -> QuerySet:
    """The listing rows of ``listed_in(…, category)``: one per article it lists."""
    return CategoryListing.objects.filter(category=category, published_at__lte=timezone.now())


def tag_rows(tag: Tag) -> QuerySet:
    """The tag rows of ``tagged(…, tag)`` on published articles: one per article it lists."""
    return TaggedArticle.objects.filter(tag=tag, published_at__lte=timezone.now())
