"""Article cards rendered once per change, kept in the reader cache.

A list page is mostly cards, and building a card each time costs most of the
page: its categories loaded for every article on it, and the card template
rendered twenty times. A card is kept instead, under the versions its article's
key and ``site`` had when it was built (the keys of ``reader.caching``: an edit
of the article, its categories or tags forgets ``article:<id>``, a renamed
author or category ``site``), and used while they and the story line it shows
are unchanged. The versions are read before the card is built, so a change
committed meanwhile leaves a card that is never used. One ``get_many`` asks for
the cards and the versions together; only the missing cards load their
categories and are rendered.

Search results (highlighted titles, snippets) are rendered each time, and
``READER_FRAGMENT_SECONDS=0`` turns the kept cards off.
"""

import hashlib
from functools import lru_cache

from django.conf import settings
from django.db.models import Prefetch, prefetch_related_objects
from django.template.loader import get_template
from django.utils.safestring import SafeString

from content.models import Category
from reader.caching import SITE, known_versions, reader_cache, version_key

# All a card shows besides the article's own fields and its author (loaded with it): one query.
CARD_CATEGORIES = Prefetch("categories", queryset=Category.objects.with_ancestry())
CARD_TEMPLATES = {"card": "includes/article_card.html", "featured": "includes/featured_card.html"}
# Templates the cards include: a change to any of them makes new cards.
INCLUDED_TEMPLATES = ("includes/card_meta.html", "includes/story_sources.html")


def article_cards(articles, kind: str = "card", search=None) -> list[SafeString]:
    """The HTML of each article's card, in order; ``featured`` cards mark the first as the lead."""
    articles = list(articles)
    if search or not settings.READER_FRAGMENT_SECONDS:
        return build_cards(articles, kind, search)
    names = [card_key(article.pk, kind, first=n == 0) for n, article in enumerate(articles)]
    keys = {SITE, *(f"article:{article.pk}" for article in articles)}
    found = reader_cache().get_many([*names, *map(version_key, keys)])
    versions = {key: found.get(version_key(key)) for key in keys}
    if None in versions.values():
        versions = known_versions(list(keys))
    pairs = zip(names, articles, strict=True)
    wanted = {name: (versions[f"article:{article.pk}"], versions[SITE], story_line(article)) for name, article in pairs}
    cards = {name: SafeString(found[name][1]) for name in names if found.get(name, (None,))[0] == wanted[name]}
    missing = [n for n, name in enumerate(names) if name not in cards]
    if missing:
        built = build_cards([articles[n] for n in missing], kind, lead=0 in missing)
        new = {names[n]: card for n, card in zip(missing, built, strict=True)}
        reader_cache().set_many(
            {name: (wanted[name], str(card)) for name, card in new.items()}, settings.READER_FRAGMENT_SECONDS
        )
        cards.update(new)
    return [cards[name] for name in names]


def build_cards(articles: list, kind: str, search=None, *, lead: bool = True) -> list[SafeString]:
    """Render the cards, loading the categories of the articles that lack them;
    ``lead``: the first of ``articles`` is the first of its list."""
    prefetch_related_objects([article for article in articles if not _prefetched(article)], CARD_CATEGORIES)
    return [render_card(article, kind, lead and n == 0, search) for n, article in enumerate(articles)]


def story_line(article) -> tuple:
    """What a card shows that no key names: "N 家媒体报道" and the other sources,
    decided as the page is built (a scheduled copy appears when its time comes)."""
    return getattr(article, "source_count", 0), tuple(getattr(article, "other_sources", ()))


def _prefetched(article) -> bool:
    return "categories" in getattr(article, "_prefetched_objects_cache", {})


def render_card(article, kind: str, first: bool, search=None) -> SafeString:
    context = {"article": article, "forloop": {"first": first}, "search": search}
    return SafeString(get_template(CARD_TEMPLATES[kind]).render(context))


def card_key(pk: int, kind: str, *, first: bool) -> str:
    variant = f"{kind}-lead" if kind == "featured" and first else kind
    return f"reader-card:{templates_fingerprint()}:{variant}:{pk}"


@lru_cache(maxsize=1)
def templates_fingerprint() -> str:
    """A digest of the card templates' source: a deploy that changes them does not reuse old cards."""
    sources = [get_template(name).template.source for name in (*CARD_TEMPLATES.values(), *INCLUDED_TEMPLATES)]
    return hashlib.sha256("\0".join(sources).encode()).hexdigest()[:12]
