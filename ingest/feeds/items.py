"""Feed bytes → items → :class:`PostRecord`, the record the file parser makes.

Like the parser, it writes nothing (rendering reads the media library; see ``ingest.records``). An item is built
with the parser's own helpers (text cleaning, category levels, keyword-link
tags, rendering through the one sanitiser, the image-proxy unwrap, the
excerpt), so a feed item and a seed file of the same post load identically.
"""

import re
from dataclasses import dataclass

import feedparser

from content.body_repairs import BodyOrigin
from content.limits import FILE_NAME_MAX_LENGTH, TITLE_MAX_LENGTH
from ingest.dates import parse_date
from ingest.errors import ParseError
from ingest.feeds.fetch import FeedError, Response
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

HTML_PAGE = re.compile(rb"^\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html)[\s>]", re.I | re.S)
# feedparser reports these for documents it read correctly anyway.
HARMLESS = (feedparser.CharacterEncodingOverride, feedparser.NonXMLContentType)


@dataclass(frozen=True)
class ParsedFeed:
    """A feed's entries, and the WebSub hub it advertises (``<link rel="hub">``) for its topic (``rel="self"``)."""

    entries: list[dict]
    hub: str = ""
    topic: str = ""


def parse_feed(response: Response) -> ParsedFeed:
    """The entries of an RSS or Atom document; anything else is a :class:`FeedError`."""
    if HTML_PAGE.match(response.body.lstrip(b"\xef\xbb\xbf")):
        raise FeedError(f"an HTML page ({response.content_type or 'no type'}), not an RSS or Atom feed")
    # Our own sanitiser cleans every body: feedparser's would drop markup we read (keyword links).
    parsed = feedparser.parse(
        response.body, response_headers={"content-type": response.content_type}, sanitize_html=False
    )
    if parsed.bozo and not isinstance(parsed.bozo_exception, HARMLESS):
        raise FeedError(f"malformed feed ({_first_line(parsed.bozo_exception)})")
    if not parsed.version:
        raise FeedError("not an RSS or Atom feed")
    links = {link.get("rel"): link.get("href", "") for link in reversed(parsed.feed.get("links") or [])}
    return ParsedFeed(parsed.entries, hub=links.get("hub", ""), topic=links.get("self", ""))


def item_record(entry: dict, *, feed_id: int, author: str, category_path: list[str]) -> PostRecord:
    """One item of feed ``feed_id`` as a record. Its identity is its GUID (else
    its link), within its feed (one feed's items never collide with another's:
    the same post in two feeds merges by fingerprint, as crawled files do)."""
    identity = clean_text(entry.get("id") or entry.get("link"))
    if not identity:
        raise ParseError("guid", "the item has neither a GUID nor a link")
    title = _title(entry)
    body_source = normalise_body(_content(entry))
    body_format = detect_body_format(None, body_source)
    rendered = render_checked_body(body_source, body_format, BodyOrigin.FEED)
    raw_date = entry.get("published") or entry.get("updated")
    published_at, date_warning = parse_date(raw_date)
    head_image = _enclosed_image(entry) or first_image(rendered.html)
    tags = collect_tags([tag.get("term") for tag in entry.get("tags") or []], body_source)
    link = clean_text(entry.get("link"))
    return PostRecord(
        source_key=f"feed:{feed_id}:{sha256_hex(identity.encode())}",
        file_name=(link or identity)[:FILE_NAME_MAX_LENGTH],
        content_hash=sha256_hex("\n".join([title, str(raw_date), link, ",".join(tags), body_source]).encode()),
        title=title,
        author=author,
        category_paths=category_paths(category_path),
        tags=tags,
        body_format=body_format,
        body_source=body_source,
        body_html=rendered.html,
        excerpt=rendered.excerpt,
        head_image=head_image,
        thumbnail=head_image,
        published_at=published_at,
        is_published=published_at is not None,
        allow_comments=False,
        warnings=[date_warning] if date_warning else [],
        feed_id=feed_id,
    )


def _title(entry: dict) -> str:
    title = re.sub(r"\s+", " ", clean_text(entry.get("title")))
    if not title:
        raise ParseError("title", "missing or blank")
    return title[:TITLE_MAX_LENGTH]


def _content(entry: dict) -> str:
    """Atom ``content`` (or RSS ``content:encoded``) when present, else the summary/description."""
    contents = [c.get("value", "") for c in entry.get("content") or []]
    return next((value for value in contents if value.strip()), "") or entry.get("summary", "")


def _enclosed_image(entry: dict) -> str:
    """An image enclosure or ``media:thumbnail``, which feeds use for the head image."""
    candidates = [e.get("href", "") for e in entry.get("enclosures") or [] if e.get("type", "").startswith("image/")]
    candidates += [m.get("url", "") for m in entry.get("media_thumbnail") or []]
    return next((url for url in map(image_url, candidates) if url), "")


def _first_line(error: Exception) -> str:
    return str(error).splitlines()[0][:200] if str(error) else type(error).__name__
