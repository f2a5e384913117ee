"""Stories follow their articles: a changed article is filed again once the
change has committed (``content.signals``). A few articles (an editor's save,
a feed item) are filed at once, so the article has its story when the editor
looks; a bigger change (an import) goes to the worker. Whatever goes wrong is
logged: the save has committed and stays."""

import logging
from functools import partial

from django.conf import settings
from django.db import transaction
from django.db.models.signals import post_delete

from content.signals import articles_changed
from newsroom.work import now_or_queued
from stories.detection import announce, detect, refresh
from stories.models import StoryMember
from stories.tasks import detect_stories

logger = logging.getLogger(__name__)


def file_changed_articles(sender, articles, deleted=False, **kwargs) -> None:
    if not deleted:  # else their memberships went with them (member_left)
        ids = [article.pk for article in articles]
        now_or_queued(ids, limit=settings.STORIES_INLINE_LIMIT, run=detect, task=detect_stories, what="story detection")


def member_left(sender, instance, **kwargs) -> None:
    """A member deleted (with its article): its story picks a lead and counts again after commit."""
    transaction.on_commit(partial(_refresh_and_announce, instance.story_id))


def _refresh_and_announce(story_id: int) -> None:
    try:
        announce(refresh([story_id]))
    except Exception:
        logger.exception("could not refresh story %s after a member left", story_id)


def connect() -> None:
    articles_changed.connect(file_changed_articles, dispatch_uid="stories-file-articles")
    post_delete.connect(member_left, sender=StoryMember, dispatch_uid="stories-member-left")
