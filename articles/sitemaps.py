"""``/sitemap.xml``: published articles, and the category, tag and author
pages that list them; ``/sitemap-news.xml``: the Google News sitemap of the
last 48 hours. Locations come from ``get_absolute_url``."""

import datetime as dt

from django.contrib.sitemaps import Sitemap
from django.utils import timezone

from articles.models import Article, Author, Category, Tag


class ArticleSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.8

    def items(self):
        return Article.objects.published().only("slug", "updated_at").order_by("-published_at", "-id")

    def lastmod(self, article):
        return article.updated_at


class CategorySitemap(Sitemap):
    changefreq = "daily"

    def items(self):
        return Category.objects.only("path").order_by("path")


class TagSitemap(Sitemap):
    changefreq = "daily"

    def items(self):
        in_use = Tag.objects.filter(tagged_articles__content_object__in=Article.objects.published())
        return in_use.distinct().only("slug").order_by("slug")


class AuthorSitemap(Sitemap):
    changefreq = "daily"

    def items(self):
        return Author.objects.filter(articles__in=Article.objects.published()).distinct().only("slug").order_by("slug")


class NewsSitemap(Sitemap):
    """Google News reads articles of the last two days, at most 1,000 (one page)."""

    limit = 1000
    window = dt.timedelta(hours=48)

    def items(self):
        recent = Article.objects.published().filter(published_at__gte=timezone.now() - self.window)
        return recent.only("slug", "title", "published_at").order_by("-published_at", "-id")


SITEMAPS = {
    "articles": ArticleSitemap,
    "categories": CategorySitemap,
    "tags": TagSitemap,
    "authors": AuthorSitemap,
}

# The sitemap view's arguments for /sitemap-news.xml (news: namespace, title and date per article).
NEWS_SITEMAP = {"sitemaps": {"news": NewsSitemap}, "template_name": "sitemap_news.xml"}
