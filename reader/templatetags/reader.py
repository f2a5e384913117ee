"""Template helpers for reader pages and feeds: absolute URLs, pagination
links that keep the query, search highlighting, JSON-LD and sharing."""

import json
from urllib.parse import urlencode

from django import template
from django.utils import timezone
from django.utils.encoding import escape_uri_path
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from content.rendering import with_absolute_links
from reader import fragments
from reader.caching import page_query

register = template.Library()

# Site-relative link and image addresses in a sanitised body, which always
# quotes attributes with "; "//host/…" is protocol-relative and left alone.
WEIBO_SHARE = "https://service.weibo.com/share/share.php"
# As json_script does: nothing in the JSON can close the <script> element.
JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.filter
def absolute_url(url: str, request) -> str:
    """``url`` with scheme and host; absolute URLs are returned unchanged."""
    return request.build_absolute_uri(url) if url else ""


@register.filter
def absolute_links(body: str, request) -> SafeString:
    """A sanitised body with its site-relative links and images made absolute (for feeds)."""
    return with_absolute_links(body, f"{request.scheme}://{request.get_host()}")


@register.filter
def iso_datetime(value) -> str:
    """A ``datetime`` attribute: local time to the second (HTML allows no microseconds)."""
    return timezone.localtime(value).replace(microsecond=0).isoformat() if value else ""


@register.simple_tag(takes_context=True)
def canonical_url(context, path: str = "") -> str:
    """The absolute URL of this page: ``path`` or the request's, plus the page number after page 1."""
    request = context["request"]
    url = request.build_absolute_uri(path or request.path)
    page = context.get("page_obj")
    if page is not None and page.number > 1:
        url += f"?page={page.number}"
    return url


@register.simple_tag(takes_context=True)
def page_url(context, number: int) -> str:
    """A link to page ``number`` of the current list that keeps the other parameters (the search)."""
    request = context["request"]
    query = page_query(request)  # what the cached page was keyed on, nothing else
    if number == 1:
        query.pop("page", None)
    else:
        query["page"] = number
    path = escape_uri_path(request.path)
    return f"{path}?{query.urlencode()}" if query else path


@register.filter
def highlight(text: str, search) -> SafeString:
    return search.highlight(text)


@register.simple_tag
def article_cards(articles, kind: str = "card", search=None) -> list[SafeString]:
    """The cards of ``articles``, kept from one change to the next (reader/fragments.py)."""
    return fragments.article_cards(articles, kind, search)


@register.simple_tag
def search_snippet(search, article) -> SafeString:
    return search.snippet(article.body, fallback=article.excerpt)


@register.simple_tag(takes_context=True)
def news_article_json_ld(context, article) -> SafeString:
    """``<script type="application/ld+json">`` describing ``article`` as a schema.org NewsArticle."""
    request = context["request"]
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.title[:110],
        "description": article.excerpt,
        "url": request.build_absolute_uri(article.get_absolute_url()),
        "mainEntityOfPage": request.build_absolute_uri(article.get_absolute_url()),
        "inLanguage": "zh-CN",
        "author": {
            "@type": "Organization" if article.author.kind == article.author.Kind.SOURCE else "Person",
            "name": article.author.name,
            "url": request.build_absolute_uri(article.author.get_absolute_url()),
        },
        "publisher": {"@type": "Organization", "name": "Newsroom", "url": request.build_absolute_uri("/")},
        "keywords": [tag.name for tag in article.tags.all()],
        "articleSection": [category.name for category in article.categories.all()],
    }
    if article.published_at:
        data["datePublished"] = timezone.localtime(article.published_at).isoformat()
        data["dateModified"] = timezone.localtime(max(article.updated_at, article.published_at)).isoformat()
    if article.head_image or article.thumbnail:
        data["image"] = [request.build_absolute_uri(article.head_image or article.thumbnail)]
    text = json.dumps(data, ensure_ascii=False).translate(JSON_SCRIPT_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))


@register.simple_tag
def weibo_share_url(url: str, title: str) -> str:
    return f"{WEIBO_SHARE}?{urlencode({'url': url, 'title': title})}"
