"""``manage.py cluster_stories`` files an archive saved before stories existed,
oldest first, and carries on where an interrupted run stopped."""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from content.models import Article
from stories.models import Fingerprint, StoryMember
from tests.builders import make_author
from tests.stories.posts import SAME_SUBJECT, STORY, html, republished

pytestmark = pytest.mark.django_db


def archive() -> list[Article]:
    """Articles stored in bulk, as an old archive is: no story filed yet."""
    now = timezone.now()
    bodies = [
        ("第一财经", html(STORY), 3),
        ("极客观察", republished(STORY, outlet="极客观察"), 2),
        ("新浪科技", republished(STORY, outlet="新浪科技"), 1),
        ("第一财经", html(SAME_SUBJECT), 2),
    ]
    articles = [
        Article(
            title=f"文章{n}",
            slug=f"a{n}",
            author=make_author(source),
            body=body,
            status="published",
            published_at=now - dt.timedelta(days=days),
        )
        for n, (source, body, days) in enumerate(bodies)
    ]
    return Article.objects.bulk_create(articles)


def run(*args) -> str:
    out = StringIO()
    call_command("cluster_stories", *args, stdout=out)
    return out.getvalue()


def test_the_archive_is_filed_with_the_first_outlet_leading():
    first, copy, other_copy, other_story = archive()
    assert "filed 4 articles" in run("--batch-size", "2")
    story = StoryMember.objects.get(article=first).story
    assert set(story.members.values_list("article", flat=True)) == {first.pk, copy.pk, other_copy.pk}
    assert (story.lead_id, story.source_count) == (first.pk, 3)
    assert StoryMember.objects.get(article=other_story).story != story


def test_a_second_run_carries_on_where_the_first_stopped():
    articles = archive()
    Fingerprint.objects.create(article=articles[0], dated_at=articles[0].published_at)  # filed before the stop
    assert "filed 3 articles" in run()
    assert "filed 0 articles" in run()


def test_a_dry_run_counts_and_files_nothing():
    archive()
    assert "would file 4 articles" in run("--dry-run")
    assert not StoryMember.objects.exists()


def test_a_batch_size_below_one_is_refused():
    with pytest.raises(CommandError, match="batch-size"):
        run("--batch-size", "0")


def test_a_batch_read_a_few_bodies_at_a_time_files_every_article(monkeypatch):
    monkeypatch.setattr("stories.reads.CHUNK", 2)  # bodies are read two at a time
    first, copy, other_copy, other_story = archive()
    assert "filed 4 articles" in run("--batch-size", "4")
    story = StoryMember.objects.get(article=first).story
    assert set(story.members.values_list("article", flat=True)) == {first.pk, copy.pk, other_copy.pk}
    assert story.lead_id == first.pk
