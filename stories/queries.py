"""What the reader's site, the API and the desk read of stories.

Lists show one card per story (:func:`one_per_story`: a member that is not
its story's lead is left out, by an anti-join on this app's primary key), and
each card's row brings its story's copies along (``Story.copies``, kept on
write), so naming the other sources costs a page no query at all
(:func:`attach_sources`), whatever its length.
"""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Exists, JSONField, OuterRef, QuerySet, Subquery
from django.utils import timezone

from content.models import Article
from newsroom.addresses import address
from stories.models import Story, StoryMember

# What a link to another source's copy shows, and which story it is in.
MEMBER_FIELDS = (
    "pk",
    "title",
    "slug",
    "published_at",
    "author__name",
    "author__slug",
    "author__kind",
    "story_membership__is_lead",
    "story_membership__story__lead_id",
    "story_membership__story__updated_at",
)


def one_per_story(articles: QuerySet) -> QuerySet:
    """``articles`` without the copies whose story another article leads, each
    with its story's copies (see :func:`with_copies`)."""
    return with_copies(articles.exclude(Exists(StoryMember.objects.filter(article=OuterRef("pk"), is_lead=False))))


def with_copies(articles: QuerySet) -> QuerySet:
    """``articles``, each with its story's copies (``story_copies``) for :func:`attach_sources`."""
    copies = StoryMember.objects.filter(article=OuterRef("pk")).values("story__copies")
    return articles.annotate(story_copies=Subquery(copies, output_field=JSONField()))


@dataclass(frozen=True)
class Copy:
    """Another outlet's copy of a card's story, as the card links it."""

    slug: str
    source: str

    def get_absolute_url(self) -> str:
        return address("articles:detail", self.slug)


def _members_in(visible: QuerySet, stories) -> list[Article]:
    """The ``visible`` members of ``stories`` (ids or a subquery of them), first published first."""
    return list(
        visible.filter(story_membership__story_id__in=stories)
        .select_related("author", "story_membership__story")
        .only(*MEMBER_FIELDS)
        .order_by("published_at", "pk")
    )


def members(article: Article, visible: QuerySet) -> list[Article]:
    """Every member of ``article``'s story among ``visible`` articles (itself
    included), each with its author and membership loaded: one query. Empty
    when the article has no story yet."""
    return _members_in(visible, StoryMember.objects.filter(article=article).values("story_id"))


def members_of_stories(stories: list[Story], visible: QuerySet) -> dict[int, list[Article]]:
    """The ``visible`` members of each of ``stories``, by story id: one query."""
    grouped: dict[int, list[Article]] = {}
    for member in _members_in(visible, [story.pk for story in stories]):
        grouped.setdefault(member.story_membership.story_id, []).append(member)
    return grouped


def attach_sources(cards: list[Article]) -> None:
    """Give each card of ``one_per_story`` ``other_sources``: the other copies
    of its story readers may open, first published first (empty for a story
    of its own), and ``source_count``, how many outlets carry it. No query."""
    now = timezone.now()
    for card in cards:
        copies = [
            copy
            for copy in getattr(card, "story_copies", None) or []
            if copy["id"] != card.pk and copy["published"] and dt.datetime.fromisoformat(copy["published_at"]) <= now
        ]
        card.other_sources = [Copy(copy["slug"], copy["source"]) for copy in copies]
        card.source_count = len({card.author_id, *(copy["author_id"] for copy in copies)})


def newest(min_articles: int = 2) -> QuerySet:
    """Stories of at least ``min_articles`` articles, most recently joined first."""
    return Story.objects.filter(article_count__gte=min_articles, last_published_at__isnull=False)
