"""``/sitemap.xml``: published articles, and the category, tag and author
pages that list them. Locations come from ``get_absolute_url``."""

from django.contrib.sitemaps import Sitemap

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


SITEMAPS = {
    "articles": ArticleSitemap,
    "categories": CategorySitemap,
    "tags": TagSitemap,
    "authors": AuthorSitemap,
}
