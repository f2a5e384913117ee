"""What the API answers: typed schemas (they make the OpenAPI document) and
the functions that fill them from models, with absolute URLs for pages and
images (taken from the request, so they match the host the caller used)."""

import datetime as dt
from typing import Annotated

from django.utils import timezone
from ninja import Schema
from pydantic import AfterValidator

from content.models import Article, Author, Category, Tag
from content.rendering import visible_text, with_absolute_links


def storable_text(value: str) -> str:
    """Text a database can store: PostgreSQL refuses NUL, and nothing stores half a surrogate pair."""
    if "\x00" in value:
        raise ValueError("must not contain the NUL character")
    try:
        value.encode()
    except UnicodeEncodeError as exc:
        raise ValueError("is not valid Unicode text") from exc
    return value


# Every string a caller sends (query, path or body) is this, so bad text is a 422 naming the field.
Text = Annotated[str, AfterValidator(storable_text)]


def storable_moment(value: dt.datetime) -> dt.datetime:
    """A time a database can compare, in UTC: PostgreSQL refuses offsets beyond ±15:59
    (``-20:01`` is valid ISO 8601), and a time without one is read in the site's zone."""
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    try:
        return value.astimezone(dt.UTC)
    except OverflowError:
        raise ValueError("is out of range") from None


# Every time a caller sends is this.
Moment = Annotated[dt.datetime, AfterValidator(storable_moment)]


class AuthorOut(Schema):
    name: str
    slug: str
    kind: Author.Kind
    url: str


class CategoryOut(Schema):
    name: str
    path: str
    url: str


class CategoryNode(CategoryOut):
    children: list["CategoryNode"]


class TagOut(Schema):
    name: str
    slug: str
    url: str


class ArticleSummary(Schema):
    id: int
    slug: str
    title: str
    url: str
    excerpt: str
    state: Article.State
    published_at: dt.datetime | None
    updated_at: dt.datetime
    head_image: str | None
    thumbnail: str | None
    author: AuthorOut
    categories: list[CategoryOut]
    tags: list[TagOut]


class StoryRef(Schema):
    """The story an article is one copy of: every member readers may see, first published first."""

    id: int
    lead: str | None  # the lead's slug (None while the lead is not published)
    articles: list[str]


class ArticleDetail(ArticleSummary):
    body_html: str
    body_text: str
    reading_minutes: int
    story: StoryRef | None = None  # None until the article is filed into a story


class StoryOut(StoryRef):
    article_count: int
    source_count: int
    first_published_at: dt.datetime | None
    last_published_at: dt.datetime | None


class StoryPage(Schema):
    items: list[StoryOut]
    next_cursor: str | None
    next: str | None


class ArticlePage(Schema):
    items: list[ArticleSummary]
    next_cursor: str | None
    next: str | None  # the URL of the next page


class TagPage(Schema):
    items: list[TagOut]
    next_cursor: str | None
    next: str | None


class AuthorPage(Schema):
    items: list[AuthorOut]
    next_cursor: str | None
    next: str | None


class Message(Schema):
    detail: str


def author_out(author: Author, request) -> dict:
    return {"name": author.name, "slug": author.slug, "kind": author.kind, "url": _absolute(request, author)}


def category_out(category: Category, request) -> dict:
    return {"name": category.name, "path": category.path, "url": _absolute(request, category)}


def tag_out(tag: Tag, request) -> dict:
    return {"name": tag.name, "slug": tag.slug, "url": _absolute(request, tag)}


def article_summary(article: Article, request) -> dict:
    """An article as lists show it (uses its prefetched author, categories and tags)."""
    return {
        "id": article.pk,
        "slug": article.slug,
        "title": article.title,
        "url": _absolute(request, article),
        "excerpt": article.excerpt,
        "state": article.state,
        "published_at": article.published_at,
        "updated_at": article.updated_at,
        "head_image": request.build_absolute_uri(article.head_image) if article.head_image else None,
        "thumbnail": request.build_absolute_uri(article.thumbnail) if article.thumbnail else None,
        "author": author_out(article.author, request),
        "categories": [category_out(category, request) for category in article.categories.all()],
        "tags": [tag_out(tag, request) for tag in article.tags.all()],
    }


def article_detail(article: Article, request) -> dict:
    return {
        **article_summary(article, request),
        "body_html": str(with_absolute_links(article.body, f"{request.scheme}://{request.get_host()}")),
        "body_text": visible_text(article.body),
        "reading_minutes": article.reading_minutes,
    }


def story_ref(members: list[Article]) -> dict | None:
    """The story of a list of members as ``stories.queries.members`` gives them (None for none)."""
    if not members:
        return None
    lead = next((article.slug for article in members if article.story_membership.is_lead), None)
    story_id = members[0].story_membership.story_id
    return {"id": story_id, "lead": lead, "articles": [article.slug for article in members]}


def story_out(story, members: list[Article]) -> dict:
    dates = [article.published_at for article in members]
    return {
        "id": story.pk,
        "lead": next((article.slug for article in members if article.pk == story.lead_id), None),
        "articles": [article.slug for article in members],
        "article_count": len(members),
        "source_count": len({article.author_id for article in members}),
        "first_published_at": min(dates, default=None),
        "last_published_at": max(dates, default=None),
    }


def category_tree(categories: list[Category], request) -> list[dict]:
    """Categories (ordered by path, so parents come first) as nested nodes, roots first."""
    nodes, roots = {}, []
    for category in categories:
        node = {**category_out(category, request), "children": []}
        nodes[category.pk] = node
        siblings = nodes[category.parent_id]["children"] if category.parent_id in nodes else roots
        siblings.append(node)
    return roots


def _absolute(request, obj) -> str:
    return request.build_absolute_uri(obj.get_absolute_url())


class ValidationErrors(Schema):
    detail: list[dict]
