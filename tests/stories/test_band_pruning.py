"""Only the recent weeks keep their LSH band rows: older rows are pruned as
detection goes on, and an old article still finds its story by its window's
stored signatures."""

import datetime as dt

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.utils import timezone

from content.models import Article
from stories.detection import ARCHIVE_FILING
from stories.models import Band, Fingerprint, Story, StoryMember
from tests.builders import make_article, make_author
from tests.stories.posts import SAME_SUBJECT, STORY, html, republished

pytestmark = pytest.mark.django_db


@pytest.fixture
def prune_on_next_commit(monkeypatch):
    """Detection prunes at most once a minute per process: let every commit prune."""
    monkeypatch.setattr("stories.detection.PRUNE_INTERVAL", 0.0)
    monkeypatch.setattr("stories.detection._next_prune", 0.0)


def story_of(article: Article) -> Story:
    return StoryMember.objects.select_related("story").get(article=article).story


def first_and_copy(days_ago: float) -> tuple[Article, Article]:
    first = make_article("发布", body=html(STORY), author=make_author("第一财经"), days_ago=days_ago + 0.5)
    outlet = make_author("极客观察")
    copy = make_article("转载", body=republished(STORY, outlet="极客观察"), author=outlet, days_ago=days_ago)
    return first, copy


def test_band_rows_of_articles_past_the_kept_days_are_pruned_as_detection_goes_on(settings, prune_on_next_commit):
    first, copy = first_and_copy(days_ago=5)
    assert Band.objects.filter(article__in=[first, copy]).exists()
    settings.STORIES_BANDS_KEPT_DAYS = 3
    fresh = make_article("另一条", body=html(SAME_SUBJECT), author=make_author("新浪科技"))
    assert not Band.objects.filter(article__in=[first, copy]).exists()
    assert Band.objects.filter(article=fresh).exists()
    assert story_of(copy) == story_of(first)  # what editors and readers see stays
    assert Fingerprint.objects.filter(article__in=[first, copy]).count() == 2


def test_a_new_copy_still_joins_a_recent_story_after_pruning(settings, prune_on_next_commit):
    settings.STORIES_WINDOW_DAYS = settings.STORIES_BANDS_KEPT_DAYS = 2
    old_first, old_copy = first_and_copy(days_ago=10)
    first = make_article("交付", body=html(SAME_SUBJECT), author=make_author("第一财经"), days_ago=1)
    copy = make_article("交付转载", body=republished(SAME_SUBJECT, outlet="新浪科技"), author=make_author("新浪科技"))
    assert not Band.objects.filter(article__in=[old_first, old_copy]).exists()
    assert story_of(copy) == story_of(first)
    assert story_of(first).article_count == 2


def test_an_old_article_is_filed_with_its_windows_copies_without_band_rows():
    first, copy = first_and_copy(days_ago=60)
    assert story_of(copy) == story_of(first)
    assert story_of(first).lead_id == first.pk
    assert not Band.objects.filter(article__in=[first, copy]).exists()


def test_an_old_article_edited_keeps_its_story_or_leaves_it_by_its_own_window(settings, prune_on_next_commit):
    first, copy = first_and_copy(days_ago=5)
    settings.STORIES_BANDS_KEPT_DAYS = 3
    other = make_article("另一条", body=html(SAME_SUBJECT), author=make_author("新浪科技"))  # prunes their rows
    copy.body_source = republished(STORY, outlet="极客观察") + "<p>更正：发布会时间为上午十点。</p>"
    copy.save()
    assert story_of(copy) == story_of(first)
    assert not Band.objects.filter(article=copy).exists()
    copy.body_source = html(SAME_SUBJECT)
    copy.save()
    assert story_of(copy) == story_of(other)  # its new text's story, dated within its window
    assert story_of(first).article_count == 1


def test_an_archive_run_keeps_band_rows_of_the_recent_weeks_only():
    now, outlets = timezone.now(), ["第一财经", "极客观察"]
    dated = [(20.5, html(STORY)), (20, republished(STORY, outlet="极客观察"))]
    dated += [(1.5, html(SAME_SUBJECT)), (1, republished(SAME_SUBJECT, outlet="极客观察"))]
    articles = Article.objects.bulk_create(
        Article(
            title=f"文章{n}",
            slug=f"a{n}",
            author=make_author(outlets[n % 2]),
            body=body,
            status="published",
            published_at=now - dt.timedelta(days=days),
        )
        for n, (days, body) in enumerate(dated)
    )
    call_command("cluster_stories", "--batch-size", "1", verbosity=0)
    assert story_of(articles[1]) == story_of(articles[0])
    assert story_of(articles[3]) == story_of(articles[2]) != story_of(articles[0])
    assert set(Band.objects.values_list("article", flat=True)) == {articles[2].pk, articles[3].pk}


def test_while_an_archive_run_files_detection_leaves_the_pruning_to_it(settings, prune_on_next_commit):
    first, copy = first_and_copy(days_ago=5)
    settings.STORIES_BANDS_KEPT_DAYS = 3
    cache.set(ARCHIVE_FILING, True)
    try:
        make_article("另一条", body=html(SAME_SUBJECT), author=make_author("新浪科技"))
    finally:
        cache.delete(ARCHIVE_FILING)
    assert Band.objects.filter(article__in=[first, copy]).exists()
