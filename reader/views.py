"""Reader pages: thin views over ``Article.objects.published()``."""

import datetime as dt
from pathlib import PurePosixPath

import segno
from django.conf import settings
from django.contrib.sitemaps.views import sitemap
from django.core.paginator import Paginator
from django.db.models import Max, Min
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.html import escape
from django.utils.text import slugify
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from django.views.generic import DetailView, ListView, MonthArchiveView, TemplateView, YearArchiveView

from content.models import Article, Author, Category, Tag
from content.queries import listed_in, listing_rows, tag_rows, tagged
from newsroom.pagination import BoundedPaginator
from reader import most_read
from reader.caching import list_key, mark
from reader.queries import CountedByRows, PinsThenNewest, archive_months, latest_articles, neighbours, related_articles
from reader.sitemaps import SECTIONS, SITEMAP_NS, DaySitemap, TagSitemap, index_locations
from search.forms import SearchForm
from stories import queries as stories


class PublishedArticleListMixin:
    """Paginated article cards, newest first, readers' articles only; the
    archive views also take their date field from here."""

    paginate_by = settings.ARTICLES_PER_PAGE
    paginator_class = BoundedPaginator
    date_field = "published_at"
    # Lists mixing outlets show a story once, as its lead's card; a source's
    # category, an author and a tag list each of their own articles.
    one_card_per_story = True

    def get_queryset(self):
        # The cards come from reader.fragments, which loads categories only for those it has to build.
        articles = Article.objects.published().for_cards().prefetch_related(None)
        return stories.one_per_story(articles) if self.one_card_per_story else stories.with_copies(articles)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        stories.attach_sources(list(context["object_list"]))  # "N 家媒体报道" and the other sources
        return context

    def list_keys(self) -> list[str]:
        """The surrogate keys of this list (see reader.caching)."""
        return ["home"]

    def render_to_response(self, context, **kwargs):
        mark(self.request, *self.list_keys())
        return super().render_to_response(context, **kwargs)


class HomeView(PublishedArticleListMixin, ListView):
    """The newest articles, led by those editors pinned as 头条."""

    template_name = "articles/home.html"

    def get_queryset(self):
        return PinsThenNewest(super().get_queryset())

    def get_context_data(self, **kwargs):
        return super().get_context_data(most_read=most_read.most_read(), months=archive_months(), **kwargs)


class CategoryView(PublishedArticleListMixin, ListView):
    """A category and everything filed under its sub-categories."""

    one_card_per_story = False

    template_name = "articles/category.html"

    def get_queryset(self):
        categories = Category.objects.with_ancestry().prefetch_related("children")
        self.category = get_object_or_404(categories, path=self.kwargs["path"])
        return CountedByRows(listed_in(super().get_queryset(), self.category), listing_rows(self.category))

    def list_keys(self):
        return [list_key(self.category)]

    def get_context_data(self, **kwargs):
        ancestry = self.category.ancestry()
        parents = ancestry[:-1]  # the heading names the category itself
        return super().get_context_data(
            category=self.category, section=ancestry[0], breadcrumbs=[parents] if parents else [], **kwargs
        )


class TagView(PublishedArticleListMixin, ListView):
    one_card_per_story = False

    template_name = "articles/tag.html"

    def get_queryset(self):
        self.tag = get_object_or_404(Tag, slug=self.kwargs["slug"])
        return CountedByRows(tagged(super().get_queryset(), self.tag), tag_rows(self.tag))

    def list_keys(self):
        return [list_key(self.tag)]

    def get_context_data(self, **kwargs):
        return super().get_context_data(tag=self.tag, **kwargs)


class AuthorView(PublishedArticleListMixin, ListView):
    one_card_per_story = False

    template_name = "articles/author.html"

    def get_queryset(self):
        self.author = get_object_or_404(Author, slug=self.kwargs["slug"])
        return super().get_queryset().filter(author=self.author)

    def list_keys(self):
        return [list_key(self.author)]

    def get_context_data(self, **kwargs):
        return super().get_context_data(author=self.author, **kwargs)


class YearView(PublishedArticleListMixin, YearArchiveView):
    """A year's articles, with links to its months. Empty years are 404."""

    template_name = "articles/archive_year.html"
    make_object_list = True

    # Django looks up the nearest non-empty years for previous/next links, a
    # query each; the month pages' links already cross years, so none here
    # (this keeps the page within the query budget).
    def get_next_year(self, date):
        return None

    def get_previous_year(self, date):
        return None

    def list_keys(self):
        return [f"archive:{self.get_year()}"]

    def get_date_list(self, queryset, date_type=None, ordering="ASC"):
        """The months from the year's first article to its last: two index
        lookups rather than grouping every article of the year."""
        span = queryset.aggregate(first=Min(self.date_field), last=Max(self.date_field))
        if span["first"] is None:
            raise Http404("no articles this year")
        first, last = (timezone.localtime(span[end]) for end in ("first", "last"))
        return [dt.date(first.year, month, 1) for month in range(first.month, last.month + 1)]


class MonthView(PublishedArticleListMixin, MonthArchiveView):
    """A month's articles, with links to the nearest months that have some."""

    template_name = "articles/archive_month.html"
    month_format = "%m"

    def get_date_list(self, queryset, date_type=None, ordering="ASC"):
        return None  # the days of the month, which the page does not show: one query saved

    # Django finds the nearest months with articles by loading an article with
    # the list's prefetches (three queries each); a date is all they need.
    def get_next_month(self, date):
        start = timezone.make_aware(dt.datetime(date.year + date.month // 12, date.month % 12 + 1, 1))
        return self._month_of(Article.objects.published().filter(published_at__gte=start).order_by("published_at"))

    def get_previous_month(self, date):
        start = timezone.make_aware(dt.datetime(date.year, date.month, 1))
        return self._month_of(Article.objects.published().filter(published_at__lt=start).order_by("-published_at"))

    @staticmethod
    def _month_of(articles) -> dt.date | None:
        found = articles.values_list("published_at", flat=True).first()
        return timezone.localdate(found).replace(day=1) if found else None

    def list_keys(self):
        return [f"archive:{self.get_year()}-{self.get_month()}"]


class SearchView(PublishedArticleListMixin, ListView):
    template_name = "articles/search.html"
    paginator_class = Paginator  # bounded by the search's own window, its count known without a query

    def get_queryset(self):
        self.form = SearchForm(self.request.GET)
        # With the body, for snippets; the cards load the categories they show (reader.fragments), nothing more.
        articles = stories.one_per_story(Article.objects.published().for_listing().prefetch_related(None))
        return self.form.results(articles)

    def list_keys(self):
        return ["search"]

    def get_context_data(self, **kwargs):
        estimate = self.form.estimate(super().get_queryset())
        return super().get_context_data(form=self.form, search=self.form.search, estimate=estimate, **kwargs)

    def get_paginator(self, *args, **kwargs):
        paginator = super().get_paginator(*args, **kwargs)
        paginator.count = self.form.in_window  # known from the search itself: no COUNT query
        return paginator


class ArticleDetailView(DetailView):
    """One article. Staff who can edit articles also see drafts and scheduled
    ones (a preview), which is never cached."""

    template_name = "articles/detail.html"

    def get_queryset(self):
        articles = Article.objects.for_listing()
        if self.request.user.has_perm("articles.change_article"):
            return articles
        return articles.published()

    def get(self, request, *args, **kwargs):
        try:
            return super().get(request, *args, **kwargs)
        except Http404:
            moved = self.get_queryset().filter(old_slugs__slug=kwargs["slug"]).first()
            if moved is None:
                raise
            return redirect(moved, permanent=True)

    def get_context_data(self, **kwargs):
        older, newer = neighbours(self.object)
        related, popular = related_articles(self.object), most_read.most_read()
        copies = [copy for copy in stories.members(self.object, Article.objects.published()) if copy != self.object]
        # The aside is never empty: the newest articles stand in when nothing is related or read yet.
        latest = latest_articles(exclude=self.object) if not related and not popular["week"] else []
        # The page shows the titles of the articles it links to: it is stale when one of them changes.
        linked = [article for article in (self.object, older, newer, *related, *latest, *copies) if article is not None]
        mark(self.request, f"page:{self.object.pk}", *(f"article:{article.pk}" for article in linked))
        if latest:
            mark(self.request, "home")  # the newest articles, as the home page lists them
        paths = self.object.category_paths()
        return super().get_context_data(
            older=older,
            newer=newer,
            related=related,
            most_read=popular,
            latest=latest,
            other_sources=copies,
            section=paths[0][0] if paths else None,
            **kwargs,
        )

    def render_to_response(self, context, **kwargs):
        response = super().render_to_response(context, **kwargs)
        if not self.object.is_live:
            add_never_cache_headers(response)
        return response


def qr_code(request, slug):
    """The QR code of a published article's address, as SVG (WeChat shares by
    scanning it). Its own small, cacheable response, fetched only when the
    reader opens the WeChat box: drawing it costs more than the rest of the page."""
    article = get_object_or_404(Article.objects.published().only("pk", "slug"), slug=slug)
    mark(request, f"article:{article.pk}")
    response = HttpResponse(content_type="image/svg+xml")
    code = segno.make(request.build_absolute_uri(article.get_absolute_url()), error="m")
    code.save(response, kind="svg", scale=4, border=2, dark="#000", light="#fff", title="本文网址的二维码")
    return response


@csrf_exempt  # a counter, sent by navigator.sendBeacon from cached pages; nothing to forge
@require_POST
@never_cache
def count_read(request, pk):
    """The read beacon of an article page: counts a read for 热门 (see ``reader.most_read``)."""
    if not Article.objects.published().filter(pk=pk).exists():
        raise Http404("no such article")
    most_read.count_read(request, pk)
    most_read.refresh_if_stale()
    return HttpResponse(status=204)


class RobotsView(TemplateView):
    template_name = "robots.txt"
    content_type = "text/plain; charset=utf-8"

    def get_context_data(self, **kwargs):
        absolute = self.request.build_absolute_uri
        return super().get_context_data(
            sitemap_url=absolute(reverse("articles:sitemap")),
            news_sitemap_url=absolute(reverse("articles:sitemap-news")),
            **kwargs,
        )


def sitemap_index(request):
    """Written out rather than through a template: thousands of entries take a
    template ~100 ms and a join 1 ms."""
    mark(request, "sitemap")
    entries = "".join(f"<sitemap><loc>{escape(location)}</loc></sitemap>\n" for location in index_locations(request))
    index = f'<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex xmlns="{SITEMAP_NS}">\n{entries}</sitemapindex>\n'
    return HttpResponse(index, content_type="application/xml")


def day_sitemap(request, year, month, day):
    """One day's articles (an empty list for a day without any)."""
    try:
        date = dt.date(year, month, day)
    except ValueError as exc:
        raise Http404("no such day") from exc
    mark(request, "sitemap")
    return sitemap(request, {"articles": DaySitemap(date)})


def tag_sitemap(request, block):
    """The tags in use among a block of tag ids."""
    mark(request, "sitemap")
    return sitemap(request, {"tags": TagSitemap(block)})


def section_sitemap(request, section):
    """Categories or authors, a page of them (``?p=``)."""
    mark(request, "sitemap")
    return sitemap(request, SECTIONS, section=section)


def hexo_permalink(request, year, month, day, name):
    """An old Hexo link ``/YYYY/MM/DD/<name>/`` moves to its article.

    Hexo's ``name`` is the post's file name without extension, perhaps under
    its category folders. The date is the site's local day, give or take one
    (Hexo's own time zone setting is unknown).
    """
    try:
        day_start = timezone.make_aware(dt.datetime(year, month, day))
    except ValueError as exc:  # 2022/02/30
        raise Http404("no such day") from exc
    wanted = slugify(PurePosixPath(name).name, allow_unicode=True)
    that_day = Article.objects.published().filter(
        published_at__gte=day_start - dt.timedelta(days=1), published_at__lt=day_start + dt.timedelta(days=2)
    )
    for article in that_day.prefetch_related("sources"):
        names = {article.slug, slugify(article.title, allow_unicode=True)}
        names |= {slugify(PurePosixPath(source.file_name).stem, allow_unicode=True) for source in article.sources.all()}
        if wanted in names:
            return redirect(article, permanent=True)
    raise Http404("no article for this Hexo link")
