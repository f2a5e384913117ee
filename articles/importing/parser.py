"""Seed post file → :class:`PostRecord`. Pure: reads bytes, never the database.

The record carries everything the loader writes, already rendered and
sanitised, so parsing and sanitising can be measured on their own.
"""

import hashlib
import html
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from pathlib import Path

from articles.importing.assets import LocalImage, localise_images
from articles.importing.dates import parse_date
from articles.importing.errors import ParseError
from articles.importing.frontmatter import FrontMatter, split_front_matter
from articles.models import Article, Author, Category, Tag
from articles.rendering import BodyFormat, RenderedBody, render_body
from articles.sanitizer import unwrap_image_proxy

POST_SUFFIXES = (".md", ".markdown", ".txt")
FORMAT_NAMES = {"html": BodyFormat.HTML, "markdown": BodyFormat.MARKDOWN, "md": BodyFormat.MARKDOWN}
TRUE_WORDS, FALSE_WORDS = {"true", "yes", "on"}, {"false", "no", "off"}
# Longer values would not fit their database columns.
TITLE_MAX = Article._meta.get_field("title").max_length
AUTHOR_MAX = Author._meta.get_field("name").max_length
CATEGORY_MAX = Category._meta.get_field("name").max_length
TAG_MAX = Tag._meta.get_field("name").max_length
IMAGE_URL_MAX = Article._meta.get_field("head_image").max_length

# An entity only with its ";": without one, "R&D&notes" must not become "R&D¬es".
ENTITY = re.compile(r"&(?:#\d+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);")
CRAWLER_BRACES = {"&#123;": "{", "&#125;": "}"}
NO_IMAGE = re.compile(r"picsum\.photos|/blank\.(?:png|gif)(?:[?#]|$)", re.I)
IMAGE_SOURCE = re.compile(r"<img\b[^>]*?\ssrc=\"([^\"]+)\"", re.I)
KEYWORD_LINK = re.compile(r"""<span[^>]*class=["']?hrefStyle["']?[^>]*>\s*<a\b[^>]*?\btitle=["']([^"']+)["']""", re.I)
TAG_SEPARATORS = re.compile(r"[,，、]")
CRAWLER_LEVEL_PREFIX = re.compile(r"^(?:—\s*)+")


@dataclass
class PostRecord:
    """One post, ready to load. ``source_key`` is its identity across re-crawls."""

    source_key: str
    file_name: str
    content_hash: str
    title: str
    author: str
    category_paths: list[list[str]]
    tags: list[str]
    body_format: str
    body_source: str
    body_html: str
    excerpt: str
    head_image: str
    thumbnail: str
    published_at: datetime | None
    is_published: bool
    allow_comments: bool
    local_images: list[LocalImage] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @cached_property
    def fingerprint(self) -> str:
        """Same title, date and body means the same article, whichever feed it came from."""
        date = self.published_at.isoformat() if self.published_at else ""
        return sha256_hex(f"{self.title}\n{date}\n{self.body_html}".encode())


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def source_key(file_name: str, title: str) -> str:
    """The post's identity: its path relative to the imported folder plus its
    title (file names are lossy, so the title disambiguates)."""
    return sha256_hex(f"{file_name}\n{title}".encode())


def decode_entities(text: str) -> str:
    return ENTITY.sub(lambda match: html.unescape(match.group()), text)


def clean_text(value) -> str:
    """Front-matter text: entities decoded (``&#123;`` → ``{``, ``&reg;``), NFC."""
    if value is None:
        return ""
    return unicodedata.normalize("NFC", decode_entities(str(value))).strip()


def decode_text(data: bytes) -> str:
    if not data.strip():
        raise ParseError("file", "is empty")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ParseError("file", "is UTF-16 text; save it as UTF-8")
    if b"\0" in data:
        raise ParseError("file", "is binary, not a text post")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ParseError("file", f"is not UTF-8 text (byte {data[exc.start]:#x} at offset {exc.start})") from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def parse_post(data: bytes, file_name: str, asset_dir: Path | None = None) -> PostRecord:
    """Parse one post. ``asset_dir`` is where relative image paths are looked up."""
    front = split_front_matter(decode_text(data))
    fields = front.fields
    warnings = [f"front matter: invalid YAML ({front.yaml_error}); read line by line"] if front.lenient else []
    title = _title(front)
    body_format = detect_body_format(fields.get("format"), front.body)
    source = localise_images(
        normalise_body(front.body), _text(fields, "headimg"), _text(fields, "thumbnail"), asset_dir
    )
    warnings += source.warnings
    rendered = render_checked_body(source.body, body_format)
    published_at, date_warning = parse_date(fields.get("date"))
    warnings += [date_warning] if date_warning else []
    head_image = image_url(source.head_image) or image_url(source.thumbnail) or first_image(rendered.html)
    return PostRecord(
        source_key=source_key(file_name, title),
        file_name=file_name,
        content_hash=sha256_hex(data),
        title=title,
        author=_text(fields, "author", AUTHOR_MAX),
        category_paths=category_paths(fields.get("categories")),
        tags=collect_tags(fields.get("tags"), source.body),
        body_format=body_format,
        body_source=source.body,
        body_html=rendered.html,
        excerpt=_text(fields, "excerpt") or _text(fields, "description") or rendered.excerpt,
        head_image=head_image,
        thumbnail=image_url(source.thumbnail) or head_image,
        published_at=published_at,
        is_published=published_at is not None and _flag(fields, "published", True, warnings),
        allow_comments=_flag(fields, "comments", False, warnings),
        local_images=source.images,
        warnings=warnings,
    )


def _text(fields: dict, key: str, limit: int | None = None) -> str:
    """A front-matter value that must be a single piece of text."""
    value = fields.get(key)
    if isinstance(value, (list, dict)):
        raise ParseError(key, f"must be text, not a {'list' if isinstance(value, list) else 'mapping'}")
    text = clean_text(value)
    if limit and len(text) > limit:
        raise ParseError(key, f"is longer than {limit} characters")
    return text


def _title(front: FrontMatter) -> str:
    """The title as written: never rebuilt from the file name, which the
    crawler made lossy (dots and ``#`` removed)."""
    title = re.sub(r"\s*\n\s*", " ", _text(front.fields, "title", TITLE_MAX))
    if not title and front.lenient:
        raise ParseError("front matter", f"invalid YAML ({front.yaml_error}) and no readable title")
    if not title:
        raise ParseError("title", "missing or blank")
    if not any(unicodedata.category(char)[0] in "LN" for char in title):
        raise ParseError("title", f"{title!r} has no letters or digits")
    return title


def detect_body_format(declared, body: str) -> str:
    """A ``format:`` key wins; otherwise a body starting with ``<`` is HTML."""
    if declared is not None:
        name = str(declared).strip().lower()
        if name not in FORMAT_NAMES:
            raise ParseError("format", f"unknown body format {declared!r} (html or markdown)")
        return FORMAT_NAMES[name]
    return BodyFormat.HTML if body.lstrip().startswith("<") else BodyFormat.MARKDOWN


def normalise_body(body: str) -> str:
    """NFC, with the crawler's escaped braces back as real ones: in code blocks
    Markdown would show ``&#123;`` literally, and HTML ``<pre>`` keeps ``{``."""
    for escaped, brace in CRAWLER_BRACES.items():
        body = body.replace(escaped, brace)
    return unicodedata.normalize("NFC", body).strip()


def render_checked_body(body_source: str, body_format: str) -> RenderedBody:
    """Render and sanitise a post's body; one with neither text nor images is junk."""
    rendered = render_body(body_source, body_format)
    if not rendered.excerpt and "<img" not in rendered.html:
        raise ParseError("body", "is empty (no text or images)")
    return rendered


def _flag(fields: dict, key: str, default: bool, warnings: list[str]) -> bool:
    """``true``/``false`` (also yes/no, on/off); anything else keeps the default, with a warning."""
    value = fields.get(key)
    if value is None or isinstance(value, bool):
        return default if value is None else value
    word = str(value).strip().lower()
    if word in TRUE_WORDS or word in FALSE_WORDS:
        return word in TRUE_WORDS
    warnings.append(f"{key}: cannot read {str(value)[:60]!r} as true or false; using {str(default).lower()}")
    return default


def category_paths(value) -> list[list[str]]:
    """Hexo semantics: a list is ONE path (top level first); a list containing
    lists is several, each element a path of its own."""
    if not value:
        return []
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        raise ParseError("categories", "must be a name or a list")
    several = any(isinstance(v, list) for v in value)
    raw_paths = [v if isinstance(v, list) else [v] for v in value] if several else [value]
    paths = []
    for raw in raw_paths:
        path = [_category_level(level) for level in raw if _is_scalar(level)]
        path = [level for level in path if level]
        if path and path not in paths:
            paths.append(path)
    return paths


def _is_scalar(value) -> bool:
    return value is not None and not isinstance(value, (list, dict))


def _category_level(name) -> str:
    """One level, without the ``— `` some crawler versions put in front."""
    level = CRAWLER_LEVEL_PREFIX.sub("", clean_text(name))
    if len(level) > CATEGORY_MAX:
        raise ParseError("categories", f"{level[:20]!r}… is longer than {CATEGORY_MAX} characters")
    return level


def collect_tags(value, body_source: str) -> list[str]:
    """Front-matter ``tags`` (a list, or a string split at commas) plus the
    keyword links the source site put in the body."""
    if value is None:
        value = []
    elif isinstance(value, str):
        value = TAG_SEPARATORS.split(value)
    elif not isinstance(value, list):
        raise ParseError("tags", "must be a name or a list")
    names = [clean_text(v) for v in value if _is_scalar(v)]
    names += [clean_text(m) for m in KEYWORD_LINK.findall(body_source)]
    unique: dict[str, str] = {}
    for name in names:
        if name:
            unique.setdefault(name.casefold(), name[:TAG_MAX])
    return list(unique.values())


def image_url(value: str) -> str:
    """A usable image URL, or "" for none: placeholders, picsum fillers and
    anything that is not http(s) or site-relative mean "no image"."""
    url = unwrap_image_proxy(value.strip())
    if url.startswith("//"):
        url = f"https:{url}"
    if not url.startswith(("http://", "https://", "/")) or NO_IMAGE.search(url) or len(url) > IMAGE_URL_MAX:
        return ""
    return url


def first_image(body_html: str) -> str:
    """The first real image in the (sanitised) body, skipping placeholders."""
    for source in IMAGE_SOURCE.findall(body_html):
        if url := image_url(html.unescape(source)):
            return url
    return ""
