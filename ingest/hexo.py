"""Hexo-style seed post (YAML front matter + HTML or Markdown body) → :class:`PostRecord`.

Turns bytes into a record and writes nothing (rendering reads the media library; see ``records``). Images that ship
beside a post (its asset folder) are found through ``asset_dir``.
"""

import re
import unicodedata
from pathlib import Path

from content.limits import NAME_MAX_LENGTH, TITLE_MAX_LENGTH
from ingest.assets import localise_images
from ingest.dates import parse_date
from ingest.errors import ParseError
from ingest.frontmatter import FrontMatter, split_front_matter
from ingest.records import (
    PostRecord,
    category_paths,
    clean_text,
    collect_tags,
    detect_body_format,
    first_image,
    image_url,
    normalise_body,
    render_checked_body,
    sha256_hex,
)

POST_SUFFIXES = (".md", ".markdown", ".txt")
TRUE_WORDS, FALSE_WORDS = {"true", "yes", "on"}, {"false", "no", "off"}


def source_key(file_name: str, title: str) -> str:
    """The post's identity: its path relative to the imported folder plus its
    title (file names are lossy, so the title disambiguates)."""
    return sha256_hex(f"{file_name}\n{title}".encode())


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
        author=_text(fields, "author", NAME_MAX_LENGTH),
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
    title = re.sub(r"\s*\n\s*", " ", _text(front.fields, "title", TITLE_MAX_LENGTH))
    if not title and front.lenient:
        raise ParseError("front matter", f"invalid YAML ({front.yaml_error}) and no readable title")
    if not title:
        raise ParseError("title", "missing or blank")
    if not any(unicodedata.category(char)[0] in "LN" for char in title):
        raise ParseError("title", f"{title!r} has no letters or digits")
    return title


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
