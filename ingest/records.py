"""The record every import format produces, and the normalisers they share.

A format module (``hexo`` for seed files, ``ingest.feeds.items`` for feed
items) turns its input into a :class:`PostRecord`; the loader turns records
into articles. Nothing here reads files or writes to the database, so a new
format is one new module that builds records with these helpers. Rendering a
body does read: the media library (renditions of library pictures) and the
sizes of images already stored, so a record depends on those too.
"""

import hashlib
import html
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property

from content.body_repairs import BodyOrigin
from content.limits import NAME_MAX_LENGTH, TAG_MAX_LENGTH, URL_MAX_LENGTH
from content.rendering import BodyFormat, BodyRefused, RenderedBody, render_body, visible_text
from content.sanitizer import unwrap_image_proxy
from content.text import TAG_SEPARATORS, without_controls
from ingest.assets import LocalImage
from ingest.errors import ParseError

FORMAT_NAMES = {"html": BodyFormat.HTML, "markdown": BodyFormat.MARKDOWN, "md": BodyFormat.MARKDOWN}
# An entity only with its ";": without one, "R&D&notes" must not become "R&D¬es".
ENTITY = re.compile(r"&(?:#\d+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);")
CRAWLER_BRACES = {"&#123;": "{", "&#125;": "}"}
NO_IMAGE = re.compile(r"picsum\.photos|/blank\.(?:png|gif)(?:[?#]|$)", re.I)
# An <img> in sanitised HTML. The sanitiser writes double-quoted attributes with
# `"` escaped, but `>` may appear inside a value (alt="a>b"), so quoted values
# are skipped as a whole.
IMAGE_SRC = re.compile(r'(?P<start><img\b(?:[^>"]|"[^"]*")*?\ssrc=")(?P<src>[^"]*)"', re.I)
KEYWORD_LINK = re.compile(r"""<span[^>]*class=["']?hrefStyle["']?[^>]*>\s*<a\b[^>]*?\btitle=["']([^"']+)["']""", re.I)
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
    feed_id: int | None = None  # the feed a feed item came from

    @cached_property
    def fingerprint(self) -> str:
        """Same title, date and body means the same article, whichever feed it came from."""
        date = self.published_at.isoformat() if self.published_at else ""
        return sha256_hex(f"{self.title}\n{date}\n{self.body_html}".encode())


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def decode_entities(text: str) -> str:
    return ENTITY.sub(lambda match: html.unescape(match.group()), text)


def clean_text(value) -> str:
    """Crawled text: entities decoded (``&#123;`` → ``{``, ``&reg;``), NFC, no control characters."""
    if value is None:
        return ""
    return without_controls(unicodedata.normalize("NFC", decode_entities(str(value)))).strip()


def detect_body_format(declared, body: str) -> str:
    """A declared format (``format:``) wins; otherwise a body starting with ``<`` is HTML."""
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


def render_checked_body(body_source: str, body_format: str, origin: BodyOrigin = BodyOrigin.IMPORT) -> RenderedBody:
    """Render and sanitise a post's body; one with neither text nor images is junk."""
    try:
        rendered = render_body(body_source, body_format, origin)
    except BodyRefused as exc:
        raise ParseError("body", str(exc)) from None
    if not rendered.excerpt and "<img" not in rendered.html:
        raise ParseError("body", "is empty (no text or images)")
    return rendered


def junk_reason(title: str, body_html: str, min_length: int) -> str:
    """Why a post looks like junk (a crawler stub such as ``gsjdbdjdndb``, or
    the title again as the body), or "" when it does not. The importer keeps
    such a post as a draft, with this reason, for an editor to look at."""
    text = visible_text(body_html)
    unspaced_text, unspaced_title = (re.sub(r"\s+", "", value) for value in (text, title))
    if unspaced_title and unspaced_text and not unspaced_text.replace(unspaced_title, ""):
        return "正文只是标题"
    if len(text) < min_length:
        return f"正文只有 {len(text)} 个字（少于 {min_length}）"
    return ""


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
    if len(level) > NAME_MAX_LENGTH:
        raise ParseError("categories", f"{level[:20]!r}… is longer than {NAME_MAX_LENGTH} characters")
    return level


def collect_tags(value, body_source: str) -> list[str]:
    """Declared tags (a list, or a string split at commas) plus the keyword
    links the source site put in the body."""
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
            unique.setdefault(name.casefold(), name[:TAG_MAX_LENGTH])
    return list(unique.values())


def image_url(value: str) -> str:
    """A usable image URL, or "" for none: placeholders, picsum fillers and
    anything that is not http(s) or site-relative mean "no image"."""
    url = unwrap_image_proxy(value.strip())
    if url.startswith("//"):
        url = f"https:{url}"
    if not url.startswith(("http://", "https://", "/")) or NO_IMAGE.search(url) or len(url) > URL_MAX_LENGTH:
        return ""
    return url


def image_sources(body_html: str) -> list[str]:
    """Every ``<img src>`` of sanitised HTML, unescaped, in order."""
    return [html.unescape(match["src"]) for match in IMAGE_SRC.finditer(body_html)]


def first_image(body_html: str) -> str:
    """The first real image in the (sanitised) body, skipping placeholders."""
    return next((url for url in map(image_url, image_sources(body_html)) if url), "")
