"""Whole-page caching for anonymous readers, forgotten page by page.

A page is forgotten when something it shows changes, not when anything does.
While building a page, the view names what it shows with surrogate keys
(``mark(request, "article:12", "tag:9")``; every page also has ``site``):
``article:<id>`` for an article's page and pages linking to it, ``page:<id>``
for an article's page alone (its previous/next links change), and one
key per list: ``home``, ``category:<id>``, ``tag:<id>``, ``author:<id>``,
``archive:<yyyy>``, ``archive:<yyyy-mm>``, ``search``, ``sitemap``. Each key
has a version in the cache; a page is stored with the versions its keys had,
and a hit is served only while they are unchanged (one ``get_many``).

``forget_articles()`` (on ``articles_changed``) bumps the keys of the lists
the articles are on now and were on at their previous change, their own
pages and those of their neighbours; ``forget_site()`` (an author, category
or tag renamed, which shows on most pages) bumps ``site``. The keys also go
out in a ``Surrogate-Key`` header, and every forgotten key is announced
(``reader.signals.pages_forgotten``), so an edge cache is purged the same way
(the ``edge`` app).
This works the same in the local-memory cache and in Redis, where the import
command and the web processes share the versions.

A page is keyed on its address and the query parameters it reads (``page``,
``q``), so requests adding others cannot fill the cache with copies.

Signed-in users (staff, previews) never read or fill the cache, and a response
that asks not to be cached (a preview, a 404, one setting a cookie) is not kept.
A scheduled article appears on cached pages within ``READER_CACHE_SECONDS``.
"""

import hashlib
import time
from collections.abc import Iterable
from functools import wraps
from uuid import uuid4

from django.conf import settings
from django.core.cache import caches
from django.http import QueryDict
from django.utils import timezone
from django.utils.cache import patch_cache_control

from content.models import Article
from reader.queries import lists_of, neighbours
from reader.signals import pages_forgotten

SITE = "site"
# Up to this many articles changed at once are forgotten page by page.
PRECISE_BATCH = 100
HEADER = "Surrogate-Key"
HIT_HEADER = "X-Cache"  # hit or miss: what bench/load.sh counts
# Set in a request's environ when the cache was asked for its page and had none.
LOOKED_UP = "reader.page_cache_missed"
# The only query parameters reader pages read: list pages ``page``, search the
# fields of its form too (articles/search/forms.py), sitemap sections ``p``.
PAGE_PARAMETERS = ("page", "q", "sort", "category", "source", "start", "end", "p")


def reader_cache():
    return caches["default"]


def version_key(key: str) -> str:
    return f"reader-key:{key}"


def lists_key(article_id: int) -> str:
    """Where the keys of the lists an article was on at its last change are kept."""
    return f"reader-article-lists:{article_id}"


def list_key(obj) -> str:
    """The key of a category's, tag's or author's list: ``category:4``."""
    return f"{obj._meta.model_name}:{obj.pk}"


def mark(request, *keys: str) -> None:
    """The page being built for ``request`` shows what these keys name."""
    request.surrogate_keys = [*getattr(request, "surrogate_keys", [SITE]), *keys]


def forget(keys: Iterable[str]) -> None:
    """Pages tagged with any of ``keys`` are stale here, and at the edge (``pages_forgotten``)."""
    keys, version = set(keys), new_version()  # one for them all: it only has to differ from each key's last
    reader_cache().set_many(dict.fromkeys(map(version_key, keys), version), timeout=None)
    pages_forgotten.send(sender=forget, keys=keys)


def new_version(forgotten_ns: int | None = None) -> str:
    """A key's version: when it was forgotten (ns; now by default), made unique."""
    return f"{time.time_ns() if forgotten_ns is None else forgotten_ns}-{uuid4().hex[:8]}"


def forgotten_since(versions: dict[str, str | None], started_ns: int) -> bool:
    """Whether any of these keys was forgotten after ``started_ns`` (less
    ``READER_CACHE_CLOCK_SKEW_MS``, for web processes on machines whose clocks differ):
    a page built meanwhile may show what was there before the change."""
    since = started_ns - settings.READER_CACHE_CLOCK_SKEW_MS * 1_000_000
    for version in versions.values():
        stamp = (version or "").partition("-")[0]
        if stamp.isdigit() and int(stamp) >= since:
            return True
    return False


def forget_site() -> None:
    forget([SITE])


def forget_story_articles(articles: list) -> None:
    """These articles' story changed (one joined, left, or leads now): the
    pages showing them name other sources, and the lists folding a story into
    one card list other cards. Previous/next links and the sitemap show no
    story, so they stay, and where the articles are listed has not moved."""
    forget(key for keys in showing_keys(articles).values() for key in keys)


def forget_articles(articles: list, *, deleted: bool = False) -> None:
    """Forget the pages showing these articles, as they are now and as they were
    at their previous change.

    A big batch (an import) forgets every page and remembers nothing per
    article: per-article work would cost more than the import itself in a file
    cache. A list such an article leaves at its next change may show it until
    ``READER_CACHE_SECONDS`` have passed."""
    if len(articles) > PRECISE_BATCH:
        forget_site()
        return
    cache, ids = reader_cache(), [article.pk for article in articles]
    now = {pk: [f"article:{pk}"] for pk in ids} if deleted else article_keys(articles)
    before = cache.get_many([lists_key(pk) for pk in ids])
    keys = {key for listed in [*before.values(), *now.values()] for key in listed}
    if deleted and len(before) < len(ids):
        keys.add(SITE)  # where a deleted article whose lists were not remembered was shown is unknown
    forget(keys)
    if deleted:
        cache.delete_many([lists_key(pk) for pk in ids])
    else:  # kept until the next change: pages cached until then show these lists
        cache.set_many({lists_key(pk): listed for pk, listed in now.items()}, timeout=None)


def page_query(request) -> QueryDict:
    """The query parameters a reader page uses (pagination, the search); any others change nothing on it."""
    query = QueryDict(mutable=True)
    for name in PAGE_PARAMETERS:
        if name in request.GET:
            query[name] = request.GET[name]  # the last value, as the view reads it
    return query


def page_key(request) -> str:
    """One entry per page as readers see it: ``?x=1`` or ``?utm_source=…`` make no new entry."""
    query = page_query(request).urlencode() if request.META.get("QUERY_STRING") else ""
    page = f"{request.scheme}://{request.get_host()}{request.path}?{query}"
    return f"reader-page:{hashlib.sha256(page.encode()).hexdigest()}"


def current_versions(keys: list[str]) -> dict[str, str]:
    found = reader_cache().get_many([version_key(key) for key in keys])
    return {key: found.get(version_key(key)) for key in keys}


def known_versions(keys: list[str]) -> dict[str, str]:
    """The keys' versions, giving one to each key that has none yet (never
    forgotten, or evicted): what is kept under "no version" could otherwise
    outlive a change forgotten while its version was missing."""
    versions = current_versions(keys)
    # Stamped 0: a first version forgets nothing, so pages being built meanwhile are kept.
    missing = {version_key(key): new_version(0) for key, version in versions.items() if version is None}
    if missing:
        reader_cache().set_many(missing, timeout=None)
        versions = current_versions(keys)
    return versions


def is_storable(response) -> bool:
    cache_control = response.get("Cache-Control", "")
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not any(word in cache_control for word in ("no-cache", "no-store", "private"))
    )


def cached_page(key: str):
    """The stored response if none of its keys changed since, else None.

    One round trip to the cache: the page and its keys' versions are asked for
    together, the keys being those the page had when this process last saw it
    (``_keys_seen``). A page seen for the first time here, or whose keys have
    changed, takes a second round trip for the versions."""
    seen, seen_at = _keys_seen.get(key, ((), ()))
    found = reader_cache().get_many([key, *seen_at])
    entry = found.get(key)
    if entry is None:
        return None
    versions, response = entry
    if tuple(versions) == seen:
        unchanged = all(found.get(at) == version for at, version in zip(seen_at, versions.values(), strict=True))
    else:
        unchanged = current_versions(list(versions)) == versions
        _remember_keys(key, list(versions))
    return response if unchanged else None


# Page key → its surrogate keys and where their versions are kept, as this
# process last saw them (bounded: emptied when full).
_keys_seen: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {}
KEYS_SEEN_MAX = 20_000


def _remember_keys(key: str, keys: list[str]) -> None:
    if len(_keys_seen) >= KEYS_SEEN_MAX:
        _keys_seen.clear()
    _keys_seen[key] = (tuple(keys), tuple(map(version_key, keys)))


def page_cache_on() -> bool:
    """``READER_CACHE_SECONDS=0`` turns the page cache off: pages are neither looked up nor kept."""
    return settings.READER_CACHE_SECONDS > 0


def page_keys(request) -> list[str]:
    return list(dict.fromkeys(getattr(request, "surrogate_keys", [SITE])))


def name_keys(request, response) -> None:
    """Send the page's surrogate keys, which the edge reads whether this cache keeps the page or not."""
    response[HEADER] = " ".join(page_keys(request))
    response[HIT_HEADER] = "miss"


def store_page(key: str, request, response, started_ns: int) -> None:
    """Keep the page under its keys' versions, unless one of them was forgotten while
    it was being built (a change committed meanwhile): then it is served but kept
    neither here nor at the edge, or the old page would outlive the change."""
    name_keys(request, response)
    if not is_storable(response):
        return
    versions = current_versions(page_keys(request))
    if forgotten_since(versions, started_ns):
        patch_cache_control(response, private=True)
        return
    if None in versions.values():
        versions = known_versions(list(versions))
    reader_cache().set(key, (versions, response), settings.READER_CACHE_SECONDS)


def cache_for_readers(view):
    """Serve ``view`` from the cache to anonymous readers' GET requests."""

    @wraps(view)
    def cached_view(request, *args, **kwargs):
        if request.method != "GET" or request.user.is_authenticated:
            return view(request, *args, **kwargs)
        if not page_cache_on():
            return keys_named_when_rendered(request, view(request, *args, **kwargs))
        key = page_key(request)
        response = None if LOOKED_UP in request.META else cached_page(key)
        if response is not None:
            response[HIT_HEADER] = "hit"
            return response
        started_ns = time.time_ns()
        response = view(request, *args, **kwargs)
        return after_render(response, lambda rendered: store_page(key, request, rendered, started_ns))

    return cached_view


def keys_named_when_rendered(request, response):
    return after_render(response, lambda rendered: name_keys(request, rendered))


def after_render(response, callback):
    """Call ``callback`` with the response once it is rendered (a TemplateResponse renders later)."""
    if hasattr(response, "add_post_render_callback"):
        response.add_post_render_callback(callback)
    else:
        callback(response)
    return response


def archive_keys(published_at) -> list[str]:
    local = timezone.localtime(published_at)
    return [f"archive:{local:%Y}", f"archive:{local:%Y-%m}"]


def article_keys(articles: list[Article]) -> dict[int, list[str]]:
    """For each article, the surrogate keys of the pages that show it
    (:func:`showing_keys`), the sitemap, and the pages of the articles whose
    previous/next links lead to it now (``page:<id>``). Two queries, plus one
    per article for its neighbours."""
    keys = showing_keys(articles)
    for article in articles:
        keys[article.pk] += ["sitemap", *(f"page:{near.pk}" for near in neighbours(article) if near is not None)]
    return keys


def showing_keys(articles: list[Article]) -> dict[int, list[str]]:
    """For each article, the surrogate keys of its page and those linking to it
    (``article:<id>``) and of every list it is on: one query."""
    keys = {
        article.pk: [f"article:{article.pk}", "home", "search", f"author:{article.author_id}"]
        + (archive_keys(article.published_at) if article.published_at else [])
        for article in articles
    }
    for article_id, kind, list_id in lists_of(list(keys)):
        keys[article_id].append(f"{kind}:{list_id}")
    return keys
