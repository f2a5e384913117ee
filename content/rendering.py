"""Render on write: turn an article's source (HTML or Markdown) into the stored
body readers get, plus the text-derived bits (excerpt, reading time).

The importer and the admin both call :func:`render_body`; templates then only
output the stored body.

Any body up to ``BODY_MAX_CHARS`` renders in a bounded time, whatever its
shape: the sanitiser flattens deep HTML nesting, and Markdown that Python-Markdown
would recurse through too deeply (lists and quotes nested hundreds of levels)
or scan quadratically (thousands of unclosed ``[`` or ``<tag`` in one
paragraph) is refused with :class:`BodyRefused` instead.
"""

import html
import re
from collections.abc import Iterator
from dataclasses import dataclass

import markdown
from django.db import models
from django.utils.safestring import SafeString, mark_safe

from content.body_repairs import BodyOrigin, repair_body
from content.images import with_renditions
from content.sanitizer import clean_html

# A link or image address on this site without its origin: /articles/…, /media/….
SITE_RELATIVE = re.compile(r'(\s(?:href|src)=")(/(?!/)[^"]*)"')

# Five times the longest real post: longer bodies are refused, not rendered.
BODY_MAX_CHARS = 256_000
# List and quote levels Markdown may nest (it recurses per level; real posts use under 10).
MARKDOWN_MAX_DEPTH = 32
# The work Python-Markdown does on a body, in units of about 0.2 µs (see
# _markdown_work): 2 million is about 0.4 s on a 2-core machine.
MARKDOWN_MAX_WORK = 2_000_000
# Inline markup per paragraph costs its length each (placeholders spliced in):
# that much cheaper per character than reading ahead from a "[".
INLINE_WORK_DIVISOR = 300
EXCERPT_LENGTH = 120
# A sentence end this close to the cut is worth stopping at instead of
# leaving half a sentence behind.
EXCERPT_SENTENCE_SLACK = 40
SENTENCE_ENDS = "。！？!?"
# Chinese readers take in roughly 400 characters a minute.
CHARACTERS_PER_MINUTE = 400
MARKDOWN_EXTENSIONS = ["extra", "sane_lists", "nl2br"]
MARKDOWN_NESTING = re.compile(r"^([ \t]*)((?:>[ \t]*|(?:[-*+]|\d{1,9}[.)])[ \t]+)*)", re.M)
NESTING_MARKER = re.compile(r">|[-*+]|\d{1,9}[.)]")
SQUARE_BRACKET = re.compile(r"[\[\]]")
UNCLOSED_TAG = re.compile(r"<[A-Za-z/][^<>]*(?=<|\Z)")
INLINE_MARKUP = re.compile(r"[\n*_`\[<&\\]")
PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")
# A tag, its quoted attribute values skipped whole (they may hold a ">").
TAG = re.compile(r"""<[^>"']*(?:"[^"]*"[^>"']*|'[^']*'[^>"']*)*>""")
BLOCK_BOUNDARY = re.compile(r"<br\s*/?>|</(?:p|div|h[1-6]|li|blockquote|pre|tr|td|th|figcaption|dd|dt)>", re.I)


class BodyFormat(models.TextChoices):
    HTML = "html", "HTML"
    MARKDOWN = "markdown", "Markdown"


class BodyRefused(ValueError):
    """A body too long or too pathological to render; the message says why."""


@dataclass(frozen=True)
class RenderedBody:
    html: str
    excerpt: str


def render_body(source: str, body_format: str, origin: BodyOrigin = BodyOrigin.EDITOR) -> RenderedBody:
    """Markdown (if asked), the sanitiser, then the readers' repairs
    (``content.body_repairs``) and the media library's renditions
    (``content.images``); never Markdown over HTML."""
    check_body(source, body_format)
    if body_format == BodyFormat.MARKDOWN:
        source = render_markdown(source)
    body = with_renditions(repair_body(clean_html(source), origin))
    return RenderedBody(html=body, excerpt=make_excerpt(body))


def check_body(source: str, body_format: str) -> None:
    """Raises :class:`BodyRefused` for a body too long or too pathological to render in time."""
    if len(source) > BODY_MAX_CHARS:
        raise BodyRefused(f"is {len(source):,} characters long, over the {BODY_MAX_CHARS:,} limit")
    if body_format == BodyFormat.MARKDOWN:
        check_markdown_shape(source)


def render_markdown(source: str) -> str:
    try:
        return markdown.markdown(source, extensions=MARKDOWN_EXTENSIONS)
    except RecursionError:
        raise BodyRefused("Markdown nested too deeply to render") from None


def check_markdown_shape(source: str) -> None:
    """Refuses Markdown that Python-Markdown would recurse or scan through for too long."""
    depth = max((_nesting(match) for match in MARKDOWN_NESTING.finditer(source)), default=0)
    if depth > MARKDOWN_MAX_DEPTH:
        raise BodyRefused(f"Markdown nests lists or quotes {depth} levels deep (at most {MARKDOWN_MAX_DEPTH})")
    work = sum(_markdown_work(block) for block in PARAGRAPH_BREAK.split(source))
    if work > MARKDOWN_MAX_WORK:
        raise BodyRefused("Markdown too pathological to render in time (unclosed '[' or '<', too much inline markup)")


def _markdown_work(block: str) -> int:
    """Python-Markdown reads ahead from each ``[`` to its ``]`` (or the end of
    the paragraph) and from each unclosed ``<tag`` to the end; and every piece
    of inline markup (emphasis, code, links, line breaks) costs about the
    paragraph's length once more."""
    work, opened = 0, []
    for match in SQUARE_BRACKET.finditer(block):
        if match.group() == "[":
            opened.append(match.start())
        elif opened:
            work += match.start() - opened.pop()
    work += sum(len(block) - start for start in opened)
    work += len(UNCLOSED_TAG.findall(block)) * len(block)
    return work + len(INLINE_MARKUP.findall(block)) * len(block) // INLINE_WORK_DIVISOR


def _nesting(line: re.Match) -> int:
    """List levels (four columns of indentation each) plus the quote and list
    markers at the start of a line (``- - - x`` is three lists deep)."""
    indent, markers = line.groups()
    return len(indent.expandtabs(4)) // 4 + len(NESTING_MARKER.findall(markers))


def visible_text(body_html: str) -> str:
    """The text a reader sees, whitespace collapsed (U+3000 kept as text).

    Line breaks and block boundaries become spaces, so the last word of one
    paragraph does not run into the first word of the next. The body is
    sanitised, so ``<`` is escaped everywhere but in tags: a regex finds them
    (an HTML parser costs more than the sanitiser itself)."""
    text = html.unescape(TAG.sub("", BLOCK_BOUNDARY.sub(" ", body_html)))
    return re.sub(r"[ \t\r\n\f\v\xa0]+", " ", text).strip()


def paragraphs(body_html: str) -> list[str]:
    """The visible text a paragraph (or other block) a line, for comparing two versions."""
    return list(iter_paragraphs(body_html))


def iter_paragraphs(body_html: str) -> Iterator[str]:
    """:func:`paragraphs` one at a time, for a reader that may stop early."""
    return (line for line in map(visible_text, BLOCK_BOUNDARY.split(body_html)) if line)


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


def with_absolute_links(body_html: str, origin: str) -> SafeString:
    """A sanitised body with its site-relative links and images made absolute
    (``origin`` is ``https://host``), for readers elsewhere: feeds, the API."""
    return mark_safe(SITE_RELATIVE.sub(rf'\1{origin}\2"', body_html))  # only adds an origin to sanitised HTML
