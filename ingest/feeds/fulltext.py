"""Full text for feeds that give only a summary: the item's own page, fetched
and reduced to the article (text and pictures, no navigation, adverts, share
bars or comments).

Extraction is trafilatura's (maintained, the best-scoring open extractor in
published comparisons); a source whose pages it misreads can name the
article's elements with a CSS selector instead. Pages come from anywhere a
feed links to, so they are fetched with the guarded client of
``newsroom.http`` (http(s) only, no private addresses on any hop unless
``FEEDS_ALLOW_PRIVATE_HOSTS``), within ``FULL_TEXT_TIMEOUT`` seconds and
``FULL_TEXT_MAX_BYTES``; the result goes through the one sanitiser when the
article is saved. Whatever fails leaves the feed's summary in place, with a
warning (the task's result, and the log).

It runs as a task (:func:`fetch_full_text`, queued by the fetcher for each
new or changed item of a feed set to), so pages are fetched by the worker,
never inside a feed round or a request.
"""

import logging
import time
import urllib.request

import lxml.html
import trafilatura
from cssselect import GenericTranslator
from cssselect import SelectorError as CssSelectorError
from django.conf import settings
from django.db import transaction
from django_tasks import task

from content.body_repairs import BodyOrigin
from content.models import Article, ArticleSource
from content.rendering import BodyFormat, visible_text
from ingest.errors import ParseError
from ingest.feeds.fetch import FeedError, check_url
from ingest.records import render_checked_body
from newsroom.http import ERRORS, ascii_url, failure, opener, read

logger = logging.getLogger(__name__)

USER_AGENT = "Mozilla/5.0 (compatible; NewsroomFeeds/1.0; full text)"


class FullTextError(Exception):
    """Why an item's page gave no full text (the summary is kept)."""


class SelectorError(Exception):
    """A CSS selector that cannot be used."""


def check_selector(selector: str) -> None:
    if selector.strip():
        try:
            GenericTranslator().css_to_xpath(selector)
        except CssSelectorError as exc:
            raise SelectorError(f"CSS 选择器无效：{exc}") from exc


def fetch_page(url: str) -> bytes:
    timeout = settings.FULL_TEXT_TIMEOUT
    try:
        request = urllib.request.Request(ascii_url(url), headers={"User-Agent": USER_AGENT, "Accept": "text/html"})
        guarded = opener(allow_private=settings.FEEDS_ALLOW_PRIVATE_HOSTS, max_redirects=settings.FEEDS_MAX_REDIRECTS)
        with guarded.open(request, timeout=timeout) as response:
            return read(response, time.monotonic() + timeout, settings.FULL_TEXT_MAX_BYTES)
    except ERRORS as exc:
        raise FullTextError(failure(exc, timeout)) from exc


def extract(page: bytes, url: str, selector: str = "") -> str:
    """The article of ``page`` as HTML, with links and pictures made absolute against ``url``."""
    if selector.strip():
        return _selected(page, url, selector)
    text = trafilatura.extract(
        page,
        url=url,
        output_format="html",
        include_images=True,
        include_links=True,
        include_comments=False,
        include_tables=True,
    )
    if not text:
        raise FullTextError("no article found on the page")
    return text


def _selected(page: bytes, url: str, selector: str) -> str:
    document = lxml.html.document_fromstring(page, base_url=url)
    document.make_links_absolute(url, resolve_base_href=True)
    found = document.cssselect(selector)
    if not found:
        raise FullTextError(f"the selector {selector!r} matches nothing on the page")
    return "\n".join(lxml.html.tostring(element, encoding="unicode", with_tail=False) for element in found)


@task()
def fetch_full_text(source_key: str) -> list[str]:
    """Replace the summary of the feed item ``source_key`` by its page's article;
    returns the warnings (none when the full text was kept)."""
    source = ArticleSource.objects.select_related("article", "feed__full_text").filter(key=source_key).first()
    if source is None:
        return [f"{source_key}: the item is no longer there"]
    article, url = source.article, source.file_name
    options = getattr(source.feed, "full_text", None)
    if options is None or not options.enabled:
        return [f"{url}: full text is not on for this feed"]
    if article.edited_in_admin:
        return [f"{url}: an editor has changed the article; left as it is"]
    try:
        check_url(url)
        body = extract(fetch_page(url), url, options.selector)
        rendered = render_checked_body(body, BodyFormat.HTML, BodyOrigin.FEED)
    except (FeedError, FullTextError, ParseError) as exc:
        return _summary_kept(url, str(exc))
    if len(visible_text(rendered.html)) <= len(visible_text(article.body)):
        return _summary_kept(url, "the page has no more text than the summary")
    with transaction.atomic():
        current = Article.objects.select_for_update().get(pk=article.pk)
        if current.body != article.body or current.edited_in_admin:
            return [f"{url}: the article changed while its page was fetched; left as it is"]
        current.body_format, current.body_source = BodyFormat.HTML, body
        current.render(rendered)
        current.save()
    return []


def _summary_kept(url: str, reason: str) -> list[str]:
    warning = f"{url}: no full text ({reason}); the feed's summary is kept"
    logger.warning(warning)
    return [warning]
