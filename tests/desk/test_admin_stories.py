"""Stories on the desk: today's stories by how many outlets carry them; an
editor merges two, takes an article out, chooses the lead; the history says
who did it, and detection never undoes it."""

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Group
from django.urls import reverse

from stories.models import Story, StoryMember
from tests.builders import make_article, make_author, make_story
from tests.stories.posts import SAME_SUBJECT, html

pytestmark = pytest.mark.django_db

LIST = "/admin/stories/story/"


@pytest.fixture
def editor(django_user_model, client):
    """An everyday editor (the Editors group), signed in."""
    user = django_user_model.objects.create_user("xiaowang", password="pw", is_staff=True)
    user.groups.add(Group.objects.get(name="Editors"))
    client.force_login(user)
    return user


def story_of(article) -> Story:
    return StoryMember.objects.get(article=article).story


def test_todays_stories_come_by_number_of_sources(client, editor):
    minutes = 1 / 24 / 60
    make_story(
        "甲", "乙", title="两家报道的新闻", first_days_ago=3 * minutes, apart_days=minutes, paragraphs=SAME_SUBJECT
    )
    make_story("丙", "丁", "戊", title="三家报道的新闻", first_days_ago=6 * minutes, apart_days=minutes)
    make_story("己", "庚", "辛", "壬", title="上周的旧闻", first_days_ago=9)
    make_story("癸", "子", title="十天后的预告", first_days_ago=-10, paragraphs=SAME_SUBJECT)
    page = client.get(LIST).content.decode()
    assert page.index("三家报道的新闻") < page.index("两家报道的新闻")
    assert "上周的旧闻" not in page and "十天后的预告" not in page
    assert "上周的旧闻" in client.get(LIST, {"period": "all"}).content.decode()


def test_merging_two_stories_is_recorded_and_survives_detection(client, editor):
    [one] = make_story("甲", title="第一个", first_days_ago=1)
    two = make_article_alone()
    stories = [story_of(one), story_of(two)]
    selected = {"action": "merge_stories", "_selected_action": [story.pk for story in stories]}
    client.post(f"{LIST}?period=all", selected)
    assert story_of(one) == story_of(two)
    two.title = "改了标题"
    two.body_source += "<p>编辑补充了一段说明文字，内容与原文无关。</p>"
    two.save()  # detected again: it stays where the editor put it
    assert story_of(two) == story_of(one)
    entry = LogEntry.objects.get(object_id=str(story_of(one).pk))
    assert entry.user == editor and "合并报道" in entry.change_message


def test_an_article_taken_out_stays_out(client, editor):
    first, second, third = make_story("甲", "乙", "丙")
    story = story_of(first)
    response = client.post(reverse("admin:stories_story_take_out", args=[story.pk]), {"article": third.pk})
    assert response.status_code == 302
    assert story_of(third) != story
    assert story.members.count() == 2
    third.title = "再保存一次"
    third.body_source += "<p>补充。</p>"
    third.save()
    assert story_of(third) != story
    assert "移出《" in LogEntry.objects.get(object_id=str(story.pk)).change_message


def test_the_lead_an_editor_chose_stays_the_lead(client, editor):
    first, second = make_story("甲", "乙")
    story = story_of(first)
    client.post(reverse("admin:stories_story_lead", args=[story.pk]), {"article": second.pk})
    make_story("丙", first_days_ago=4)  # an earlier copy arrives: it would lead by date
    story.refresh_from_db()
    assert (story.lead_id, story.lead_chosen_by) == (second.pk, editor)
    assert StoryMember.objects.get(article=second).is_lead and not StoryMember.objects.get(article=first).is_lead


def test_a_story_page_lists_its_members_with_the_desks_buttons(client, editor):
    first, second = make_story("甲", "乙")
    page = client.get(reverse("admin:stories_story_change", args=[story_of(first).pk])).content.decode()
    assert first.title in page and second.title in page
    assert "设为主稿" in page and "移出报道" in page


def test_decisions_are_posts_by_editors_who_may_change_stories(client, django_user_model):
    first, second = make_story("甲", "乙")
    story = story_of(first)
    viewer = django_user_model.objects.create_user("guest", password="pw", is_staff=True)
    client.force_login(viewer)
    url = reverse("admin:stories_story_lead", args=[story.pk])
    assert client.post(url, {"article": second.pk}).status_code == 403
    story.refresh_from_db()
    assert story.lead_id == first.pk


def make_article_alone():
    return make_article("另一篇", body=html(SAME_SUBJECT), author=make_author("乙"))
