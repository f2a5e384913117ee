"""Copies of one story from many outlets are filed together as they are saved;
other stories, short posts and text shingling does not suit stay apart."""

import datetime as dt

import opencc
import pytest
from django.db import connection
from django.test import override_settings

from content.models import Article
from stories.models import Band, Story, StoryMember
from stories.signatures import BANDS
from tests.builders import make_article, make_author
from tests.stories.posts import SAME_SUBJECT, STORY, html, republished

pytestmark = pytest.mark.django_db


def story_of(article: Article) -> Story:
    return StoryMember.objects.select_related("story").get(article=article).story


def copy_of_story(outlet: str, days_ago: float = 1, body: str | None = None) -> Article:
    return make_article(
        f"{outlet}：新车发布",
        body=body or republished(STORY, outlet=outlet),
        author=make_author(outlet),
        days_ago=days_ago,
    )


def test_a_rerun_story_joins_the_first_outlets_story():
    first = make_article("某车企发布第三款纯电轿车", body=html(STORY), author=make_author("第一财经"), days_ago=2)
    rerun = copy_of_story("极客观察")
    story = story_of(first)
    assert story_of(rerun) == story
    assert (story.lead_id, story.article_count, story.source_count) == (first.pk, 2, 2)


def test_a_copy_in_traditional_characters_joins_the_story():
    first = make_article("发布", body=html(STORY), author=make_author("第一财经"))
    traditional = opencc.OpenCC("s2t.json").convert(republished(STORY, outlet="香港科技网"))
    copy = copy_of_story("香港科技网", body=traditional)
    assert story_of(copy) == story_of(first)


def test_a_different_story_on_the_same_subject_is_a_story_of_its_own():
    first = make_article("发布", body=html(STORY), author=make_author("第一财经"))
    other = make_article("交付", body=html(SAME_SUBJECT), author=make_author("第一财经"))
    assert story_of(other) != story_of(first)
    assert story_of(other).article_count == 1


def test_the_earliest_live_copy_leads_and_the_others_are_not_leads():
    later = copy_of_story("极客观察", days_ago=1)
    earliest = make_article("发布", body=html(STORY), author=make_author("第一财经"), days_ago=3)
    draft = copy_of_story("草稿站", days_ago=5)
    draft.status = Article.Status.DRAFT
    draft.save()
    story = story_of(earliest)
    assert story.lead_id == earliest.pk
    assert set(StoryMember.objects.filter(story=story, is_lead=True).values_list("article", flat=True)) == {earliest.pk}
    assert {later.pk, draft.pk} <= set(story.members.values_list("article", flat=True))


def test_copies_further_apart_than_the_window_are_separate_stories():
    with override_settings(STORIES_WINDOW_DAYS=7):
        old = make_article("发布", body=html(STORY), author=make_author("第一财经"), days_ago=30)
        new = copy_of_story("极客观察", days_ago=1)
    assert story_of(old) != story_of(new)


def test_short_posts_sharing_only_boilerplate_never_form_a_story():
    boilerplate = "<p>来源：极客观察</p><p>点击查看原文</p><p>© 2026 极客观察 版权所有，未经许可禁止转载。</p>"
    one = make_article("图集一", body=f"<p><img src='https://example.com/a.jpg'></p>{boilerplate}")
    two = make_article("图集二", body=f"<p><img src='https://example.com/b.jpg'></p>{boilerplate}")
    assert story_of(one) != story_of(two)
    assert not Band.objects.filter(article__in=[one, two]).exists()


def test_a_post_shingling_does_not_suit_still_gets_a_story_of_its_own():
    emoji = make_article("表情", body="<p>" + "🚗⚡🔋🎉" * 60 + "</p>")
    assert story_of(emoji).article_count == 1
    assert story_of(emoji).lead_id == emoji.pk


def test_an_article_keeps_one_set_of_band_rows_through_saves():
    article = make_article("发布", body=html(STORY), author=make_author("第一财经"))
    article.title = "新标题"
    article.save()
    article.body_source = html(STORY[:4])
    article.save()
    assert Band.objects.filter(article=article).count() <= BANDS


def test_saving_an_article_again_unchanged_keeps_its_stored_bands():
    article = make_article("发布", body=html(STORY), author=make_author("第一财经"))
    before = set(Band.objects.filter(article=article).values_list("pk", flat=True))
    article.title = "只改了标题"
    article.save()
    assert set(Band.objects.filter(article=article).values_list("pk", flat=True)) == before


def test_an_edited_body_that_no_longer_matches_leaves_the_story():
    first = make_article("发布", body=html(STORY), author=make_author("第一财经"))
    copy = copy_of_story("极客观察")
    copy.body_source = html(SAME_SUBJECT)
    copy.save()
    assert story_of(copy) != story_of(first)
    assert story_of(first).article_count == 1


@pytest.mark.django_db(transaction=True)  # moved in its own, pipelined transaction, as in production
def test_a_lead_whose_edit_makes_it_a_copy_of_another_story_follows_that_storys_lead():
    other = make_article("交付", body=html(SAME_SUBJECT), author=make_author("第一财经"), days_ago=3)
    lead = make_article("发布", body=html(STORY), author=make_author("极客观察"), days_ago=2)
    copy = copy_of_story("新浪科技")
    lead.body_source = html(SAME_SUBJECT)  # the editor replaced the text
    lead.save()
    assert story_of(lead) == story_of(other)
    assert set(StoryMember.objects.filter(story=story_of(other), is_lead=True).values_list("article", flat=True)) == {
        other.pk
    }
    assert story_of(copy).lead_id == copy.pk


def test_a_story_written_from_its_copies_as_copies_join_is_what_reading_its_members_gives():
    from stories.detection import refresh

    first = make_article("发布", body=html(STORY), author=make_author("第一财经"), days_ago=2)
    copy = copy_of_story("极客观察", days_ago=1)
    earlier = copy_of_story("新浪科技", days_ago=3)  # imported late: it leads now
    story = story_of(first)
    assert (story.lead_id, story.article_count, story.source_count) == (earlier.pk, 3, 3)
    assert [member["id"] for member in story.copies] == [earlier.pk, first.pk, copy.pk]
    assert set(StoryMember.objects.filter(story=story, is_lead=True).values_list("article", flat=True)) == {earlier.pk}
    assert refresh([story.pk]) == set()  # read from its members, nothing differs


def test_deleting_the_lead_hands_the_story_to_the_next_copy():
    first = make_article("发布", body=html(STORY), author=make_author("第一财经"), days_ago=3)
    copy = copy_of_story("极客观察")
    story = story_of(first)
    first.delete()
    story.refresh_from_db()
    assert (story.lead_id, story.article_count) == (copy.pk, 1)


def test_a_failure_in_detection_never_fails_the_save(monkeypatch, caplog):
    def broken(*args, **kwargs):
        raise RuntimeError("signature store unavailable")

    monkeypatch.setattr("stories.detection.signature", broken)
    article = make_article("发布", body=html(STORY))
    assert Article.objects.filter(pk=article.pk).exists()
    assert not StoryMember.objects.filter(article=article).exists()
    assert "story detection failed" in caplog.text


def test_an_import_sized_change_is_left_to_the_worker():
    from django_tasks_db.models import DBTaskResult

    from content.changes import batch

    with override_settings(STORIES_INLINE_LIMIT=2), batch():
        articles = [make_article(f"文章{n}", body=html(STORY), author=make_author(f"来源{n}")) for n in range(3)]
    assert not StoryMember.objects.filter(article__in=articles).exists()
    queued = DBTaskResult.objects.get(task_path="stories.tasks.detect_stories")
    assert sorted(queued.args_kwargs["args"][0]) == sorted(article.pk for article in articles)


def test_articles_match_only_within_each_others_dates(settings):
    settings.STORIES_WINDOW_DAYS = 2
    first = make_article("发布", body=html(STORY), author=make_author("第一财经"), days_ago=10)
    copy = copy_of_story("极客观察", days_ago=9)
    assert story_of(copy) == story_of(first)
    assert story_of(first).first_published_at < story_of(first).last_published_at
    assert dt.timedelta(days=0.9) < story_of(first).last_published_at - story_of(first).first_published_at


@pytest.mark.django_db(transaction=True)
def test_a_save_outside_any_transaction_is_filed_and_later_commits_still_wait_for_the_disk():
    first = make_article("发布", body=html(STORY), author=make_author("第一财经"), days_ago=2)
    copy = copy_of_story("极客观察")
    assert story_of(copy) == story_of(first)
    if connection.vendor == "postgresql":  # detection's own transactions commit asynchronously, no other
        with connection.cursor() as cursor:
            cursor.execute("SHOW synchronous_commit")
            assert cursor.fetchone() == ("on",)


@pytest.mark.django_db(transaction=True)  # each article its own transaction, as in production
def test_an_article_the_database_refuses_to_file_leaves_the_others_filed(monkeypatch, caplog, settings):
    from content.changes import batch
    from stories import detection
    from stories.models import Fingerprint, insert

    settings.STORIES_INLINE_LIMIT = 0  # filed below, not as they are saved
    with batch():
        refused = make_article("另一篇报道", body=html(SAME_SUBJECT), author=make_author("甲"))
        first, copy = copy_of_story("乙", days_ago=2), copy_of_story("丙")
    remember = detection.remember

    def remember_twice(article, *args, **kwargs):
        stored_again = remember(article, *args, **kwargs)
        if article.pk == refused.pk:  # a second fingerprint of one article: the database refuses it
            insert(Fingerprint(article_id=article.pk, dated_at=article.published_at))
        return stored_again

    monkeypatch.setattr(detection, "remember", remember_twice)
    assert detection.detect([refused.pk, first.pk, copy.pk]) == 3
    assert not Fingerprint.objects.filter(article=refused).exists()
    assert not StoryMember.objects.filter(article=refused).exists()
    assert story_of(first) == story_of(copy)
    assert f"story detection failed for article {refused.pk}" in caplog.text
