"""The sitemap: an index (``/sitemap.xml``) of small sections, so no request
lists more than a day of articles or a thousand other pages, whatever the
size of the site.

Articles are in one section per day (local time) from the first published
article to the newest, the index found from those two dates alone; tags in
sections of a thousand tag ids; the category and author pages in paginated
sections of their own.
``/sitemap-news.xml`` is the Google News sitemap of the last 48 hours.
Locations come from ``get_absolute_url``.
"""

import datetime as dt

from django.contrib.sitemaps import Sitemap
from django.db.models import Exists, Max, Min, OuterRef
from django.urls import reverse
from django.utils import timezone

from content.models import Article, Author, Category, Tag, TaggedArticle

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
SECTION_LIMIT = 1000  # pages per section of categories, tags or authors


class DaySitemap(Sitemap):
    """The articles published on one day."""

    changefreq = "weekly"
    priority = 0.8

    def __init__(self, day: dt.date):
        self.day = day

    def items(self):
        start = timezone.make_aware(dt.datetime.combine(self.day, dt.time()))
        published = Article.objects.published().filter(
            published_at__gte=start, published_at__lt=start + dt.timedelta(days=1)
        )
        return published.only("slug", "updated_at").order_by("-published_at", "-id")

    def lastmod(self, article):
        return article.updated_at


class CategorySitemap(Sitemap):
    changefreq = "daily"
    limit = SECTION_LIMIT

    def items(self):
        return Category.objects.only("path").order_by("path")


class TagSitemap(Sitemap):
    """Tags with a published article among a block of ``SECTION_LIMIT`` tag ids:
    blocks of ids, unlike pages of a filtered list, need no count of every tag
    in use (a probe of the tag rows' index per tag)."""

    changefreq = "daily"

    def __init__(self, block: int):
        self.block = block

    def items(self):
        live = TaggedArticle.objects.filter(tag=OuterRef("pk"), published_at__lte=timezone.now())
        first = self.block * SECTION_LIMIT
        in_block = Tag.objects.filter(pk__gte=first, pk__lt=first + SECTION_LIMIT)
        return in_block.filter(Exists(live)).only("slug").order_by("pk")


class AuthorSitemap(Sitemap):
    changefreq = "daily"
    limit = SECTION_LIMIT

    def items(self):
        live = Article.objects.published().filter(author=OuterRef("pk"))
        return Author.objects.filter(Exists(live)).only("slug").order_by("slug")


class NewsSitemap(Sitemap):
    """Google News reads articles of the last two days, at most 1,000 (one page)."""

    limit = 1000
    window = dt.timedelta(hours=48)

    def items(self):
        recent = Article.objects.published().filter(published_at__gte=timezone.now() - self.window)
        return recent.only("slug", "title", "published_at").order_by("-published_at", "-id")


SECTIONS = {"categories": CategorySitemap, "authors": AuthorSitemap}


def index_locations(request) -> list[str]:
    """Every section's pages, then one section per day with articles, newest first."""
    locations = []
    for name, sitemap in SECTIONS.items():
        url = request.build_absolute_uri(reverse("articles:sitemap-section", args=[name]))
        pages = sitemap().paginator.num_pages
        locations += [url if page == 1 else f"{url}?p={page}" for page in range(1, pages + 1)]
    last_tag = Tag.objects.aggregate(last=Max("pk"))["last"]
    blocks = range(last_tag // SECTION_LIMIT + 1) if last_tag is not None else range(0)
    locations += [request.build_absolute_uri(reverse("articles:sitemap-tags", args=[block])) for block in blocks]
    # One reverse() for thousands of days: the address with a placeholder date.
    day_url = request.build_absolute_uri(reverse("articles:sitemap-day", args=[0, 0, 0]))
    return locations + [day_url.replace("0000-00-00", f"{day:%Y-%m-%d}") for day in publishing_days()]


def publishing_days() -> list[dt.date]:
    """The days from the first published article to the newest, newest first."""
    span = Article.objects.published().aggregate(first=Min("published_at"), last=Max("published_at"))
    if span["first"] is None:
        return []
    first, last = (timezone.localdate(span[end]) for end in ("first", "last"))
    return [last - dt.timedelta(days=n) for n in range((last - first).days + 1)]


# The sitemap view's arguments for /sitemap-news.xml (news: namespace, title and date per article).
NEWS_SITEMAP = {"sitemaps": {"news": NewsSitemap}, "template_name": "sitemap_news.xml"}
