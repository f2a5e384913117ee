"""Render on write: turn an article's source (HTML or Markdown) into the stored
body readers get, plus the text-derived bits (excerpt, reading time).

The importer and the admin both call :func:`render_body`; templates then only
output the stored body.
"""

import html
import re
from dataclasses import dataclass

import markdown
from django.db import models
from django.utils.html import strip_tags

from articles.body_repairs import BodyOrigin, repair_body
from articles.sanitizer import clean_html

EXCERPT_LENGTH = 120
# A sentence end this close to the cut is worth stopping at instead of
# leaving half a sentence behind.
EXCERPT_SENTENCE_SLACK = 40
SENTENCE_ENDS = "。！？!?"
# Chinese readers take in roughly 400 characters a minute.
CHARACTERS_PER_MINUTE = 400
MARKDOWN_EXTENSIONS = ["extra", "sane_lists", "nl2br"]
BLOCK_BOUNDARY = re.compile(r"<br\s*/?>|</(?:p|div|h[1-6]|li|blockquote|pre|tr|td|th|figcaption|dd|dt)>", re.I)


class BodyFormat(models.TextChoices):
    HTML = "html", "HTML"
    MARKDOWN = "markdown", "Markdown"


@dataclass(frozen=True)
class RenderedBody:
    html: str
    excerpt: str


def render_body(source: str, body_format: str, origin: BodyOrigin = BodyOrigin.EDITOR) -> RenderedBody:
    """Markdown (if asked), the sanitiser, then the readers' repairs
    (``articles.body_repairs``); never Markdown over HTML."""
    if body_format == BodyFormat.MARKDOWN:
        source = markdown.markdown(source, extensions=MARKDOWN_EXTENSIONS)
    body = repair_body(clean_html(source), origin)
    return RenderedBody(html=body, excerpt=make_excerpt(body))


def visible_text(body_html: str) -> str:
    """The text a reader sees, whitespace collapsed (U+3000 kept as text).

    Line breaks and block boundaries become spaces, so the last word of one
    paragraph does not run into the first word of the next."""
    text = html.unescape(strip_tags(BLOCK_BOUNDARY.sub(" ", body_html)))
    return re.sub(r"[ \t\r\n\f\v\xa0]+", " ", text).strip()


def make_excerpt(body_html: str, length: int = EXCERPT_LENGTH) -> str:
    """The first ``length`` characters of visible text, cut on a character
    boundary (CJK has no spaces to cut at), ending at a full stop if one is near."""
    text = visible_text(body_html)
    if len(text) <= length:
        return text
    head = text[:length]
    stop = max(head.rfind(mark) for mark in SENTENCE_ENDS)
    if stop >= length - EXCERPT_SENTENCE_SLACK:
        return head[: stop + 1]
    return head.rstrip() + "…"


def reading_minutes(body_html: str) -> int:
    return max(1, round(len(visible_text(body_html)) / CHARACTERS_PER_MINUTE))
