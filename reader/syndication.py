"""RSS and Atom feeds: the whole site, and one per category, tag and author.

Items carry the full sanitised body; ``feeds/article_description.html`` makes
its site-relative links and images (``/media/…``) absolute, as feed readers
show them out of the site's context. A channel description is HTML to feed
readers too, so the names in it are escaped: a tag named ``<svg onload=…>``
stays text.
"""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.templatetags.static import static
from django.urls import reverse_lazy
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed, Stylesheet
from django.utils.html import escape
from django.utils.xmlutils import SimplerXMLGenerator

from content.models import Article, Author, Category, Tag
from content.queries import listed_in, tagged
from reader.caching import list_key, mark
from reader.context_processors import site_description

FEED_LENGTH = 30


class HubLink:
    """A feed naming the WebSub hub (``WEBSUB_HUB_URL``) beside its own address."""

    hub_tag = "link"

    def add_root_elements(self, handler):
        super().add_root_elements(handler)
        if settings.WEBSUB_HUB_URL:
            handler.addQuickElement(self.hub_tag, None, {"rel": "hub", "href": settings.WEBSUB_HUB_URL})


# Browsers show application/rss+xml and atom+xml as plain text; as
# application/xml they apply the feed's XSL stylesheet. Feed readers read the
# document itself (pages announce the feeds as application/rss+xml).
BROWSER_READABLE_XML = "application/xml; charset=utf-8"


class StyledRssFeed(HubLink, Rss201rev2Feed):
    hub_tag = "atom:link"
    content_type = BROWSER_READABLE_XML


class StyledAtom1Feed(HubLink, Atom1Feed):
    """Atom with the feed's stylesheets, which Django 5.2 writes for RSS only."""

    content_type = BROWSER_READABLE_XML

    def write(self, outfile, encoding):
        handler = SimplerXMLGenerator(outfile, encoding, short_empty_elements=True)
        handler.startDocument()
        self.add_stylesheets(handler)
        handler.startElement("feed", self.root_attributes())
        self.add_root_elements(handler)
        self.write_items(handler)
        handler.endElement("feed")

    def add_stylesheets(self, handler):
        for stylesheet in self.feed["stylesheets"] or []:
            handler.processingInstruction("xml-stylesheet", stylesheet)


class ArticleFeed(Feed):
    """The newest published articles; subclasses narrow them to one section."""

    link = reverse_lazy("articles:home")
    language = "zh-cn"
    feed_type = StyledRssFeed
    description_template = "feeds/article_description.html"

    def title(self, obj):
        return f"{settings.SITE_NAME}：{settings.SITE_TAGLINE}"

    def description(self, obj):
        return site_description()

    def stylesheets(self):
        """Browsers show the feed as a page (``static/feeds/feed.xsl``); feed readers ignore it."""
        return [Stylesheet(static("feeds/feed.xsl"), mimetype="text/xsl")]

    def articles(self, obj):
        return Article.objects.published().for_listing()

    def get_feed(self, obj, request):
        mark(request, list_key(obj) if obj is not None else "home")  # see reader.caching
        return super().get_feed(obj, request)

    def items(self, obj):
        return self.articles(obj)[:FEED_LENGTH]

    def item_title(self, article):
        return article.title

    def item_pubdate(self, article):
        return article.published_at

    def item_updateddate(self, article):
        return article.updated_at

    def item_author_name(self, article):
        return article.author.name

    def item_categories(self, article):
        return [category.name for category in article.categories.all()] + [tag.name for tag in article.tags.all()]


class AtomArticleFeed(ArticleFeed):
    feed_type = StyledAtom1Feed
    subtitle = ArticleFeed.description


class CategoryFeed(ArticleFeed):
    def get_object(self, request, path):
        return get_object_or_404(Category.objects.with_ancestry(), path=path)

    def title(self, category):
        return f"{category.name} · {settings.SITE_NAME}"

    def link(self, category):
        return category.get_absolute_url()

    def description(self, category):
        return f"{settings.SITE_NAME}「{escape(category)}」分类的最新文章。"

    def articles(self, category):
        return listed_in(super().articles(category), category)


class TagFeed(ArticleFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Tag, slug=slug)

    def title(self, tag):
        return f"标签：{tag.name} · {settings.SITE_NAME}"

    def link(self, tag):
        return tag.get_absolute_url()

    def description(self, tag):
        return f"{settings.SITE_NAME} 标签「{escape(tag.name)}」下的最新文章。"

    def articles(self, tag):
        return tagged(super().articles(tag), tag)


class AuthorFeed(ArticleFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Author, slug=slug)

    def title(self, author):
        return f"{author.name} · {settings.SITE_NAME}"

    def link(self, author):
        return author.get_absolute_url()

    def description(self, author):
        return f"{settings.SITE_NAME} 上来自「{escape(author.name)}」的最新文章。"

    def articles(self, author):
        return super().articles(author).filter(author=author)
