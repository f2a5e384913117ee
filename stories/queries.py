"""What the reader's site, the API and the desk read of stories.

Lists show one card per story (:func:`one_per_story`: a member that is not
its story's lead is left out, by an anti-join on this app's primary key), and
a page of cards learns the other sources of its stories in one query
(:func:`attach_sources`), whatever its length.
"""

from django.db.models import Exists, OuterRef, QuerySet

from content.models import Article
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
    """``articles`` without the copies whose story another article leads."""
    return articles.exclude(Exists(StoryMember.objects.filter(article=OuterRef("pk"), is_lead=False)))


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


def attach_sources(cards: list[Article], visible: QuerySet) -> None:
    """Give each card ``other_sources``: the other ``visible`` copies of its
    story, first published first (empty for a story of its own). One query,
    which reads the cards' own memberships with their copies."""
    stories = StoryMember.objects.filter(article_id__in=[card.pk for card in cards]).values("story_id")
    grouped: dict[int, list[Article]] = {}
    story_of = {}
    for member in _members_in(visible, stories):
        grouped.setdefault(member.story_membership.story_id, []).append(member)
        story_of[member.pk] = member.story_membership.story_id
    for card in cards:
        card.other_sources = [copy for copy in grouped.get(story_of.get(card.pk), []) if copy.pk != card.pk]


def newest(min_articles: int = 2) -> QuerySet:
    """Stories of at least ``min_articles`` articles, most recently joined first."""
    return Story.objects.filter(article_count__gte=min_articles, last_published_at__isnull=False)
