"""The write API, for staff tokens: create, update, publish, schedule,
unpublish and delete articles, with the admin's permissions.

Every write goes through the one write path (``Article.save_as_editor``),
inside one transaction and one announcement (``content.changes.batch``), and
is recorded in the article's admin history and as a revision with who and why
(``content.revisions``), as an editor's save in the admin is. Errors name the field:
``{"detail": [{"loc": ["body", "categories"], "msg": "…"}]}`` with 422.
"""

import reversion
from django.contrib.admin.models import ADDITION, CHANGE, DELETION, LogEntry
from django.core.exceptions import ValidationError as ModelValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, Schema
from ninja.errors import HttpError, ValidationError

from api import schemas
from api.auth import token_auth
from api.reading import REFUSED, router
from api.schemas import Moment, Text
from content import changes, revisions
from content.limits import TAG_MAX_LENGTH
from content.models import Article, Author, Category
from content.rendering import BodyFormat

# Writes need a token. They join the read API's router: one path's operations share a router.
WRITE = {"auth": token_auth, "tags": ["write"]}
PUBLISH = "articles.publish_article"
# 400: a body that is not JSON.
ERRORS = {400: schemas.Message, 403: schemas.Message, 404: schemas.Message, **REFUSED}
CHANGED = {200: schemas.ArticleDetail, **ERRORS}
# What a write may set; the rest (body, dates, provenance) is derived or the admin's.
CONTENT_FIELDS = ("title", "slug", "body_format", "body_source", "excerpt", "head_image", "thumbnail", "allow_comments")


class ArticleIn(Schema):
    title: Text
    slug: Text = ""
    body_format: BodyFormat = BodyFormat.HTML
    body_source: Text = ""
    excerpt: Text = Field("", description="empty: derived from the body")
    head_image: Text = ""
    thumbnail: Text = ""
    allow_comments: bool = False
    author: Text | None = Field(None, description="an author slug; default: the token user's author profile")
    categories: list[Text] = Field([], description="category paths, e.g. 新媒体/36kr/快讯")
    tags: list[Text] = Field([], description="tag names")


class ArticleChanges(Schema):
    """Only the fields sent are changed."""

    title: Text | None = None
    slug: Text | None = None
    body_format: BodyFormat | None = None
    body_source: Text | None = None
    excerpt: Text | None = None
    head_image: Text | None = None
    thumbnail: Text | None = None
    allow_comments: bool | None = None
    author: Text | None = None
    categories: list[Text] | None = None
    tags: list[Text] | None = None


class Schedule(Schema):
    published_at: Moment = Field(description="a future time; readers see the article from then on")


@router.post("/articles", response={201: schemas.ArticleDetail, **ERRORS}, **WRITE, summary="Create a draft")
def create_article(request, payload: ArticleIn):
    _require(request, "articles.add_article")
    article = _write(request, Article(), payload.dict(), ADDITION, "通过接口创建。")
    return 201, article


@router.patch("/articles/{slug}", response=CHANGED, **WRITE, summary="Change an article")
def update_article(request, slug: Text, payload: ArticleChanges):
    _require(request, "articles.change_article")
    fields = {name: value for name, value in payload.dict(exclude_unset=True).items() if value is not None}
    return _write(request, _article(slug), fields, CHANGE, f"通过接口修改：{'、'.join(fields) or '无'}。")


@router.post("/articles/{slug}/publish", response=CHANGED, **WRITE, summary="Publish now")
def publish(request, slug: Text):
    _require(request, "articles.change_article", PUBLISH)
    article = _article(slug)
    if article.is_live:
        return _detail(request, article)
    fields = {"status": Article.Status.PUBLISHED, "published_at": timezone.now()}
    return _write(request, article, fields, CHANGE, "通过接口立即发布。")


@router.post("/articles/{slug}/schedule", response=CHANGED, **WRITE, summary="Schedule")
def schedule(request, slug: Text, payload: Schedule):
    _require(request, "articles.change_article", PUBLISH)
    if payload.published_at <= timezone.now():
        _invalid("published_at", "must be in the future (to publish now, use /publish)")
    fields = {"status": Article.Status.PUBLISHED, "published_at": payload.published_at}
    return _write(request, _article(slug), fields, CHANGE, f"通过接口定时发布：{payload.published_at.isoformat()}。")


@router.post("/articles/{slug}/unpublish", response=CHANGED, **WRITE, summary="Back to draft")
def unpublish(request, slug: Text):
    _require(request, "articles.change_article", PUBLISH)
    return _write(request, _article(slug), {"status": Article.Status.DRAFT}, CHANGE, "通过接口撤回为草稿。")


@router.delete("/articles/{slug}", response={204: None, **ERRORS}, **WRITE, summary="Delete an article")
def delete_article(request, slug: Text):
    _require(request, "articles.delete_article")
    article = _article(slug)
    with transaction.atomic():
        _log(request, article, DELETION, "通过接口删除。")
        article.delete()
    return 204, None


def _require(request, *permissions: str) -> None:
    user = request.auth
    if not user.is_staff or not user.has_perms(permissions):
        raise HttpError(403, f"this token's user lacks the permission {' and '.join(permissions)}")


def _article(slug: str) -> Article:
    return get_object_or_404(Article, slug=slug)


def _write(request, article: Article, fields: dict, action: int, message: str) -> dict:
    """Set ``fields`` on ``article`` and save it through the one write path, announced once."""
    relations = _relations(request, article, fields)
    for name, value in fields.items():
        if name in CONTENT_FIELDS or name in ("status", "published_at"):
            setattr(article, name, value)
    if "author" in relations:
        article.author = relations["author"]
    _validate(article)
    with transaction.atomic(), changes.batch(), reversion.create_revision():
        article.save_as_editor()
        if "categories" in relations:
            article.categories.set(relations["categories"])
        if "tags" in relations:
            article.tags.set(relations["tags"])
        _log(request, article, action, message)
        revisions.record(request.auth, message)
    return _detail(request, article)


def _relations(request, article: Article, fields: dict) -> dict:
    """The author, categories and tags ``fields`` name, found (or refused, naming the field)."""
    found = {}
    if fields.get("author") is not None:
        found["author"] = Author.objects.filter(slug=fields["author"]).first() or _invalid(
            "author", f"no author with the slug {fields['author']!r}"
        )
    elif article.pk is None:
        found["author"] = Author.objects.filter(user=request.auth).first() or _invalid(
            "author", "required: the token's user has no author profile"
        )
    if fields.get("categories") is not None:
        paths = [path.strip("/") for path in fields["categories"]]
        categories = list(Category.objects.filter(path__in=paths))
        missing = sorted(set(paths) - {category.path for category in categories})
        if missing:
            _invalid("categories", f"no category with the path {', '.join(missing)}")
        found["categories"] = categories
    if fields.get("tags") is not None:
        names = [name.strip() for name in fields["tags"]]
        if any(not name or len(name) > TAG_MAX_LENGTH for name in names):
            _invalid("tags", f"a tag name must have 1 to {TAG_MAX_LENGTH} characters")
        found["tags"] = names
    return found


def _validate(article: Article) -> None:
    """The model's own checks (lengths, slug, image URLs), reported by field."""
    try:
        article.full_clean(exclude=["author", "categories", "tags", "body", "fingerprint"])
    except ModelValidationError as exc:
        raise ValidationError(
            [
                {"loc": ["body", field], "msg": " ".join(messages), "type": "value_error"}
                for field, messages in exc.message_dict.items()
            ]
        ) from exc


def _invalid(field: str, message: str):
    raise ValidationError([{"loc": ["body", field], "msg": message, "type": "value_error"}])


def _log(request, article: Article, action: int, message: str) -> None:
    LogEntry.objects.log_actions(
        user_id=request.auth.pk, queryset=[article], action_flag=action, change_message=message
    )


def _detail(request, article: Article) -> dict:
    return schemas.article_detail(Article.objects.for_listing().get(pk=article.pk), request)
