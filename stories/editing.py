"""The desk's decisions on stories: merge, take an article out, choose the lead.

Detection never undoes them: every article an editor placed (merged, taken
out) is marked ``placed_by_editor`` and stays where it was put, and a lead an
editor chose stays the lead while it is a member (``stories.detection``).
Each decision is one transaction, announced (``stories_changed``) once it
commits; the admin records who made it in the story's history.
"""

from functools import partial

from django.db import transaction
from django.utils import timezone

from content.models import Article
from stories.detection import announce, refresh
from stories.models import Story, StoryMember


def merge(stories: list[Story]) -> Story:
    """Put the members of all ``stories`` into the earliest one (returned)."""
    target = min(stories, key=lambda story: (story.first_published_at is None, story.first_published_at, story.pk))
    others = [story.pk for story in stories if story.pk != target.pk]
    with transaction.atomic():
        StoryMember.objects.filter(story_id__in=others).update(story=target, is_lead=False)
        StoryMember.objects.filter(story=target).update(placed_by_editor=True)
        changed = refresh([target.pk, *others]) | {target.pk}
        transaction.on_commit(partial(announce, changed))
    target.refresh_from_db()
    return target


def take_out(story: Story, article: Article) -> Story:
    """Move ``article`` out of ``story`` into a story of its own (returned)."""
    with transaction.atomic():
        member = StoryMember.objects.select_for_update().get(story=story, article=article)
        alone = Story.objects.create()
        member.story, member.is_lead, member.placed_by_editor, member.similarity = alone, False, True, None
        member.save()
        changed = refresh([story.pk, alone.pk]) | {story.pk, alone.pk}
        transaction.on_commit(partial(announce, changed))
    alone.refresh_from_db()
    return alone


def choose_lead(story: Story, article: Article, editor) -> None:
    """Make ``article`` (a member) the story's lead, chosen by ``editor``."""
    with transaction.atomic():
        StoryMember.objects.get(story=story, article=article)  # a member, or DoesNotExist
        Story.objects.filter(pk=story.pk).update(lead=article, lead_chosen_by=editor, updated_at=timezone.now())
        StoryMember.objects.filter(story=story, is_lead=True).update(is_lead=False)
        StoryMember.objects.filter(article=article).update(is_lead=True)
        transaction.on_commit(partial(announce, {story.pk}))
    story.refresh_from_db()
