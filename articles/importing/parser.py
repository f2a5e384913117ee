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
from pathlib import Path

from articles.importing.assets import LocalImage, collect_local_images
from articles.importing.dates import parse_date
from articles.importing.errors import ParseError
from articles.importing.frontmatter import split_front_matter
from articles.rendering import BodyFormat, render_body
from articles.sanitizer import unwrap_image_proxy

POST_SUFFIXES = (".md", ".markdown", ".txt")
FORMAT_NAMES = {"html": BodyFormat.HTML, "markdown": BodyFormat.MARKDOWN, "md": BodyFormat.MARKDOWN}
NO_IMAGE = re.compile(r"^$|picsum\.photos|/blank\.(png|gif)$", re.I)
FIRST_IMAGE = re.compile(r'<img [^>]*?src="((?:https?:/)?/[^"]+)"')
IMAGE_REFERENCE = re.compile(r"""<img\b[^>]*?\bsrc=["']([^"']+)["']|!\[[^\]]*\]\(([^)\s]+)""", re.I)
KEYWORD_LINK = re.compile(r"""<span[^>]*class=["']?hrefStyle["']?[^>]*>\s*<a\b[^>]*?\btitle=["']([^"']+)["']""", re.I)
CRAWLER_LEVEL_PREFIX = re.compile(r"^—\s*")


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

    @property
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


def clean_text(value) -> str:
    """Front-matter text: entities decoded (``&#123;`` → ``{``, ``&reg;``), NFC."""
    if value is None:
        return ""
    return unicodedata.normalize("NFC", html.unescape(str(value))).strip()


def decode_text(data: bytes) -> str:
    if not data.strip():
        raise ParseError("file", "is empty")
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
    warnings = []
    if front.lenient:
        warnings.append(f"front matter: invalid YAML ({front.yaml_error}); read line by line")

    title = clean_text(fields.get("title"))
    if not title and front.lenient:
        raise ParseError("front matter", f"invalid YAML ({front.yaml_error}) and no readable title")
    if not title:
        raise ParseError("title", "missing or blank")

    body_format = _body_format(fields.get("format"), front.body)
    body_source = unicodedata.normalize("NFC", front.body).strip()
    head_image, thumbnail = clean_text(fields.get("headimg")), clean_text(fields.get("thumbnail"))
    local_images = []
    if asset_dir:
        in_body = [ref for pair in IMAGE_REFERENCE.findall(body_source) for ref in pair if ref]
        local_images = collect_local_images([*in_body, head_image, thumbnail], asset_dir)
    for image in local_images:
        body_source = re.sub(rf'(?<=["(]){re.escape(image.reference)}(?=[")])', image.url, body_source)
        head_image = image.url if head_image == image.reference else head_image
        thumbnail = image.url if thumbnail == image.reference else thumbnail
    rendered = render_body(body_source, body_format)
    if not rendered.excerpt and "<img" not in rendered.html:
        raise ParseError("body", "is empty")

    published_at, date_warning = parse_date(fields.get("date"))
    if date_warning:
        warnings.append(date_warning)
    head_image = _image_url(head_image) or _image_url(thumbnail) or _first_image(rendered.html)
    return PostRecord(
        source_key=source_key(file_name, title),
        file_name=file_name,
        content_hash=sha256_hex(data),
        title=title,
        author=clean_text(fields.get("author")),
        category_paths=category_paths(fields.get("categories")),
        tags=_tags(fields.get("tags"), body_source),
        body_format=body_format,
        body_source=body_source,
        body_html=rendered.html,
        excerpt=clean_text(fields.get("excerpt") or fields.get("description")) or rendered.excerpt,
        head_image=head_image,
        thumbnail=_image_url(thumbnail) or head_image,
        published_at=published_at,
        is_published=published_at is not None and fields.get("published", True) is not False,
        allow_comments=fields.get("comments") is True,
        local_images=local_images,
        warnings=warnings,
    )


def _body_format(declared, body: str) -> str:
    """A ``format:`` key wins; otherwise a body starting with ``<`` is HTML."""
    if declared is not None:
        name = str(declared).strip().lower()
        if name not in FORMAT_NAMES:
            raise ParseError("format", f"unknown body format {declared!r} (html or markdown)")
        return FORMAT_NAMES[name]
    return BodyFormat.HTML if body.lstrip().startswith("<") else BodyFormat.MARKDOWN


def category_paths(value) -> list[list[str]]:
    """Hexo semantics: a list is ONE path (top level first); a list of lists is several."""
    if not value:
        return []
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        raise ParseError("categories", "must be a name or a list")
    raw_paths = value if all(isinstance(v, list) for v in value) else [value]
    paths = []
    for raw in raw_paths:
        path = [CRAWLER_LEVEL_PREFIX.sub("", clean_text(level)) for level in raw if not isinstance(level, list)]
        path = [level for level in path if level]
        if path and path not in paths:
            paths.append(path)
    return paths


def _tags(value, body_source: str) -> list[str]:
    """Front-matter ``tags`` (a list, or a comma-separated string) plus the
    keyword links the source site put in the body."""
    if isinstance(value, str):
        value = re.split(r"[,，]", value)
    names = [clean_text(v) for v in value or [] if not isinstance(v, (list, dict))]
    names += [clean_text(m) for m in KEYWORD_LINK.findall(body_source)]
    unique = {}
    for name in names:
        if name:
            unique.setdefault(name.casefold(), name[:100])
    return list(unique.values())


def _image_url(value) -> str:
    url = unwrap_image_proxy(clean_text(value))
    if NO_IMAGE.search(url) or not url.startswith(("http://", "https://", "/")):
        return ""
    return url


def _first_image(body_html: str) -> str:
    match = FIRST_IMAGE.search(body_html)
    return html.unescape(match.group(1)) if match else ""
