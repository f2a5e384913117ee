"""Builders for test data, shared by every test module: articles, authors,
categories, feeds, API tokens, crawler-style post text, images, the admin's
article form and the article admin's addresses."""

import datetime as dt
import io
import struct
import zlib

from django.urls import reverse
from django.utils import timezone
from PIL import Image

from api.models import ApiToken
from content.models import Article, Author, Category, Feed
from tests.stories.posts import STORY, html, republished


def make_author(name="编辑部", **fields) -> Author:
    return Author.objects.get_or_create(name=name, defaults=fields)[0]


def make_category(*path: str) -> Category:
    parent = None
    for name in path:
        parent = Category.objects.get_or_create(parent=parent, name=name)[0]
    return parent


def make_article(title="测试文章", *, body="<p>正文内容。</p>", status=Article.Status.PUBLISHED, days_ago=1, **fields):
    """A rendered article; ``days_ago`` < 0 schedules it in the future, None leaves it undated."""
    article = Article(
        title=title,
        author=fields.pop("author", None) or make_author(),
        body_source=body,
        status=status,
        published_at=None if days_ago is None else timezone.now() - dt.timedelta(days=days_ago),
        **fields,
    )
    article.render()
    article.save()
    return article


def crawled_post(
    title="'测试文章'",
    *,
    body="<p>正文内容。</p>",
    date="Mon, 29 Aug 2022 04:01:00 GMT",
    categories=("新媒体", "测试来源", "新闻"),
    author="测试来源",
    headimg="''",
    thumbnail="''",
    front="",
) -> str:
    """A post laid out the way the crawler writes them: an empty first line, its
    seven keys in its order, the body in a ``<div>`` with the crawler's whitespace.

    ``title``, ``date``, ``headimg`` and ``thumbnail`` are written as given, YAML
    scalars quoted or not (``yaml_quoted`` quotes a plain title); ``front`` adds
    lines of its own before the closing ``---``. The one builder of post text:
    the ``write_post`` fixture writes what this returns."""
    listed = "".join(f"\n - {name}" for name in categories)
    return (
        f"\n---\ntitle: {title}\ncategories: {listed}\nheadimg: {headimg}\nauthor: {author}\n"
        f"comments: false\ndate: {date}\nthumbnail: {thumbnail}\n{front}---\n\n"
        f"<div>   \n{body}\n  \n</div>\n            "
    )


def yaml_quoted(text: str) -> str:
    """``text`` as a single-quoted YAML scalar, as the crawler quotes titles."""
    return "'" + text.replace("'", "''") + "'"


def make_feed(url="https://example.com/feed", path=("新媒体", "OFweek", "新闻"), source="OFweek", **fields) -> Feed:
    """A subscribed feed filed under the category ``path`` (created if missing), by ``source``."""
    return Feed.objects.create(
        url=url,
        category=Category.objects.get_or_create_path(list(path)),
        source=make_author(source, kind=Author.Kind.SOURCE),
        **fields,
    )


def article_form(**fields):
    """What the article change form posts: a new draft unless ``fields`` say otherwise."""
    data = {
        "title": "新文章",
        "slug": "",
        "author": "",
        "tags": "",
        "body_format": "html",
        "body_source": "<p>正文。</p>",
        "excerpt": "",
        "head_image": "",
        "thumbnail": "",
        "status": Article.Status.DRAFT,
        "published_at_0": "",
        "published_at_1": "",
        "sources-TOTAL_FORMS": "0",
        "sources-INITIAL_FORMS": "0",
    }
    return {**data, **fields}


def edit_form(article, **changes):
    """What the change form posts for ``article`` as it stands (dated 2024-01-02 10:00), with ``changes``."""
    data = article_form(
        title=article.title,
        slug=article.slug,
        author=article.author_id,
        body_format=article.body_format,
        body_source=article.body_source,
        excerpt=article.excerpt,
        head_image=article.head_image,
        thumbnail=article.thumbnail,
        status=article.status,
        published_at_0="2024-01-02",
        published_at_1="10:00:00",
    )
    return {**data, **changes}


def changelist_url() -> str:
    """The admin's article list (reversed when called: the URLconf may not be ready at import)."""
    return reverse("admin:articles_article_changelist")


def add_url() -> str:
    """The admin's form for a new article."""
    return reverse("admin:articles_article_add")


def change_url(article) -> str:
    """The admin's change form of ``article``."""
    return reverse("admin:articles_article_change", args=[article.pk])


def make_token(user, name="测试令牌") -> str:
    """A usable API token for ``user``; returns the secret a caller sends."""
    token = ApiToken(user=user, name=name)
    secret = token.generate()
    token.save()
    return secret


def bearer(secret: str) -> dict:
    """Test-client headers that send ``secret`` as the API token."""
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def autocomplete(client, field_name: str, term: str) -> list[dict]:
    """What the admin's autocomplete answers for the article form's ``field_name`` (its search boxes)."""
    query = {"app_label": "articles", "model_name": "article", "field_name": field_name, "term": term}
    return client.get(reverse("admin:autocomplete"), query).json()["results"]


def image_bytes(width=1200, height=800, image_format="JPEG") -> bytes:
    buffer = io.BytesIO()
    Image.radial_gradient("L").resize((width, height)).convert("RGB").save(buffer, image_format)
    return buffer.getvalue()


def png_declaring(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims ``width`` × ``height`` pixels: a decompression bomb."""
    data = bytearray(image_bytes(1, 1, "PNG"))
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)  # IHDR starts at byte 16
    data[16:29] = header
    data[29:33] = struct.pack(">I", zlib.crc32(b"IHDR" + header))
    return bytes(data)


def make_story(
    *outlets: str, title="某车企发布第三款纯电轿车", first_days_ago=3, apart_days=0.5, paragraphs=STORY
) -> list[Article]:
    """One story (``paragraphs``) as each of ``outlets`` ran it, the first outlet
    first (it leads); the others re-run it ``apart_days`` after each other (see
    ``tests.stories.posts``). Filed into one story as they are saved."""
    return [
        make_article(
            title if n == 0 else f"{outlet}：{title}",
            body=html(paragraphs) if n == 0 else republished(paragraphs, outlet=outlet),
            author=make_author(outlet, kind=Author.Kind.SOURCE),
            days_ago=first_days_ago - n * apart_days,
        )
        for n, outlet in enumerate(outlets)
    ]
