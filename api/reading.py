"""The read API: articles, categories, tags, authors and search.

Anonymous callers see exactly what readers see (``Article.objects.published()``);
a staff token with the change permission may also open drafts and scheduled
articles by slug, as the admin's preview does. Lists cost a fixed number of
queries whatever their length (tested).
"""

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.http import http_date
from ninja import Field, Query, Router, Schema
from ninja.decorators import decorate_view
from ninja.errors import ValidationError

from api import pagination, schemas
from api.auth import token_or_anonymous, token_user
from api.conditional import cacheable
from api.schemas import Moment, Text
from content.models import Article, Author, Category, Tag
from content.queries import in_category
from search.query import Search
from search.results import ranked
from stories import queries as stories

# Reads by default; api.writing adds the writes (with their own auth) to this router.
router = Router(auth=token_or_anonymous, tags=["read"])
# A bad token (401) or a parameter that cannot be used (422, naming it).
# 429: over the caller's rate limit (api/throttles.py); Retry-After says in how many seconds to try again.
REFUSED = {401: schemas.Message, 422: schemas.ValidationErrors, 429: schemas.Message}
# Added to the token scheme ninja lists for reads: {} says a token is optional.
TOKEN_OPTIONAL = {"security": [{}]}


def read(path: str, answer, summary: str, also: dict | None = None):
    """Registers a read: a token is optional, answers are cacheable, refusals documented."""

    def register(view):
        responses = {200: answer, **(also or {}), **REFUSED}
        operation = router.get(path, openapi_extra=TOKEN_OPTIONAL, response=responses, summary=summary)
        return operation(decorate_view(cacheable)(view))

    return register


class Limit(Schema):
    limit: int = Field(settings.API_PAGE_SIZE, ge=1, le=settings.API_MAX_PAGE_SIZE)


class Page(Limit):
    cursor: Text | None = Field(None, description="next_cursor from the previous page")


class SearchParams(Limit):
    q: Text = Field(description="words to find, separated by spaces; every one must match")


class ArticleFilters(Page):
    category: Text | None = Field(None, description="a category path, e.g. 新媒体/36kr: its sub-categories too")
    tag: Text | None = Field(None, description="a tag slug")
    author: Text | None = Field(None, description="an author slug (sources are authors too)")
    published_after: Moment | None = Field(None, description="published at or after this time")
    published_before: Moment | None = Field(None, description="published before this time")
    updated_since: Moment | None = Field(None, description="changed at or after this time")


@read("/articles", schemas.ArticlePage, "Published articles, newest first")
def list_articles(request, filters: Query[ArticleFilters]):
    articles = Article.objects.published().for_listing().defer("body", "body_source")
    items, next_cursor = pagination.page(
        pagination.newest_first(_filtered(articles, filters), filters.cursor),
        filters.limit,
        key=lambda article: (article.published_at, article.pk),
    )
    # An ETag only: the newest date among the items says nothing of an article that left the list.
    return _page(request, [schemas.article_summary(article, request) for article in items], next_cursor)


@read("/articles/{slug}", schemas.ArticleDetail, "One article", also={404: schemas.Message})
def get_article(request, response: HttpResponse, slug: Text):
    user = token_user(request)
    may_preview = user is not None and user.has_perm("articles.change_article")
    visible = Article.objects.all() if may_preview else Article.objects.published()
    article = get_object_or_404(visible.for_listing(), slug=slug)
    members = stories.members(article, visible)
    # The answer changes when its story does (a source joins or leaves), not only when the article does.
    changed = max([article.updated_at, *(member.story_membership.story.updated_at for member in members[:1])])
    response["Last-Modified"] = http_date(changed.timestamp())
    return {**schemas.article_detail(article, request), "story": schemas.story_ref(members)}


@read("/stories", schemas.StoryPage, "Stories carried by more than one source, most recently joined first")
def list_stories(request, page: Query[Page]):
    found, next_cursor = pagination.page(
        pagination.newest_first(stories.newest(), page.cursor, field="last_published_at"),
        page.limit,
        key=lambda story: (story.last_published_at, story.pk),
    )
    members = stories.members_of_stories(found, Article.objects.published())
    items = [schemas.story_out(story, members.get(story.pk, [])) for story in found]
    return _page(request, items, next_cursor)


@read("/categories", list[schemas.CategoryNode], "The category tree")
def category_tree(request):
    return schemas.category_tree(list(Category.objects.all()), request)


@read("/tags", schemas.TagPage, "Tags, oldest first")
def list_tags(request, page: Query[Page]):
    return _page_by_id(request, Tag.objects.all(), page, schemas.tag_out)


@read("/authors", schemas.AuthorPage, "Authors and sources, oldest first")
def list_authors(request, page: Query[Page]):
    return _page_by_id(request, Author.objects.all(), page, schemas.author_out)


@read("/search", list[schemas.ArticleSummary], "Published articles matching q, best first")
def search(request, params: Query[SearchParams]):
    query = Search.parse(params.q)
    if query.problem:
        raise ValidationError([{"loc": ["query", "q"], "msg": query.problem, "type": "value_error"}])
    found, _ = ranked(Article.objects.published().for_listing().defer("body_source"), query)
    return [schemas.article_summary(article, request) for article in found[: params.limit]]


def _filtered(articles, filters: ArticleFilters):
    if filters.category is not None:
        found = Category.objects.filter(path=filters.category.strip("/")).first()
        articles = in_category(articles, found) if found else articles.none()
    if filters.tag is not None:
        articles = articles.filter(tags__slug=filters.tag)
    if filters.author is not None:
        articles = articles.filter(author__slug=filters.author)
    if filters.published_after is not None:
        articles = articles.filter(published_at__gte=filters.published_after)
    if filters.published_before is not None:
        articles = articles.filter(published_at__lt=filters.published_before)
    if filters.updated_since is not None:
        articles = articles.filter(updated_at__gte=filters.updated_since)
    return articles


def _page_by_id(request, rows, page: Page, represent) -> dict:
    found, next_cursor = pagination.page(pagination.by_id(rows, page.cursor), page.limit, key=lambda row: (row.pk,))
    return _page(request, [represent(row, request) for row in found], next_cursor)


def _page(request, items: list[dict], next_cursor: str | None) -> dict:
    next_url = None
    if next_cursor:
        query = request.GET.copy()
        query["cursor"] = next_cursor
        next_url = request.build_absolute_uri(f"{request.path}?{query.urlencode()}")
    return {"items": items, "next_cursor": next_cursor, "next": next_url}
