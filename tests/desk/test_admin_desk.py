"""The editors' desk: the admin home, the article list's filters, Chinese labels and 头条 pins."""

import datetime as dt
import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from content.models import Article, ArticleSource
from tests.builders import (
    add_url,
    autocomplete,
    change_url,
    changelist_url,
    edit_form,
    make_article,
    make_author,
    make_category,
)

pytestmark = pytest.mark.django_db

PASSWORD = "newsroom-2024!"


@pytest.fixture
def editor(client):
    call_command("create_editor", "xiaowang", password=PASSWORD, author="小王", stdout=StringIO())
    client.login(username="xiaowang", password=PASSWORD)
    return client


def listed_titles(page: str) -> set[str]:
    return set(re.findall(r'<th class="field-title"><a href="[^"]*">([^<]*)</a>', page))


def test_the_desk_shows_my_drafts_scheduled_articles_and_recent_edits(editor):
    mine = make_article("我的草稿", status=Article.Status.DRAFT, author=make_author("小王"))
    make_article("别人的草稿", status=Article.Status.DRAFT, author=make_author("老李"))
    make_article("明天上午发布", days_ago=-1)
    edited = make_article("改过的旧闻", days_ago=5)
    edited.save_as_editor()
    Article.objects.filter(pk=edited.pk).update(edited_in_admin=True)
    page = editor.get(reverse("admin:index")).content.decode()
    desk = page.split('id="editors-desk"')[1].split('id="content-related"')[0]
    drafts, scheduled, recent = (part.split("</section>")[0] for part in desk.split("<section")[1:4])
    assert "我的草稿" in drafts and "别人的草稿" not in drafts
    assert "明天上午发布" in scheduled
    assert "改过的旧闻" in recent
    assert change_url(mine) in drafts


def test_the_category_filter_includes_articles_filed_below_the_chosen_category(admin_client):
    under = make_article("频道里的文章")
    under.categories.add(make_category("新媒体", "爱范儿", "新闻"))
    elsewhere = make_article("别处的文章")
    elsewhere.categories.add(make_category("设计", "站酷"))
    top = make_category("新媒体")
    page = admin_client.get(changelist_url(), {"category": top.pk}).content.decode()
    assert listed_titles(page) == {"频道里的文章"}


def test_the_author_filter_lists_one_sources_articles_and_searches_sources(admin_client):
    source = make_author("36氪", kind="source")
    make_article("36氪的文章", author=source)
    make_article("别家的文章", author=make_author("ZAKER", kind="source"))
    assert listed_titles(admin_client.get(changelist_url(), {"author": source.pk}).content.decode()) == {"36氪的文章"}
    assert autocomplete(admin_client, "author", "36") == [{"id": str(source.pk), "text": "36氪"}]


def test_the_filters_do_not_list_every_category_and_source(admin_client):
    for n in range(30):
        make_article(f"文章{n}", author=make_author(f"来源{n}", kind="source")).categories.add(
            make_category("新媒体", f"来源{n}")
        )
    sidebar = admin_client.get(changelist_url()).content.decode().split('id="changelist-filter"')[1]
    assert "来源17" not in sidebar
    assert 'data-field-name="categories"' in sidebar and 'data-field-name="author"' in sidebar


def test_the_change_form_speaks_chinese_and_has_no_comments_checkbox(admin_client):
    article = make_article()
    ArticleSource.objects.create(article=article, key="k", file_name="post.md", content_hash="h")
    page = admin_client.get(change_url(article)).content.decode()
    page = page.split('id="content-main"')[1]  # the form, not Django's own navigation
    assert "允许评论" not in page and 'name="allow_comments"' not in page
    labels = re.findall(r"<label[^>]*>([^<]+)</label>|<th[^>]*>([^<]+)</th>", page)
    english = [text for pair in labels for text in pair if re.fullmatch(r"[A-Za-z][A-Za-z ]+:?", text.strip())]
    assert english == []
    assert "网址别名" in page and "文件名" in page and "内容哈希" in page


def test_the_publish_date_and_time_boxes_are_each_labelled(admin_client):
    page = admin_client.get(add_url()).content.decode()
    assert 'aria-label="发布日期"' in page and 'aria-label="发布时间"' in page


def test_a_pinned_article_leads_the_home_page_in_pin_order(client):
    make_article("最新的文章", days_ago=0)
    make_article("第二头条", days_ago=9, pin_order=2)
    make_article("第一头条", days_ago=10, pin_order=1)
    page = client.get("/").content.decode()
    featured = page.split('id="featured-heading"')[1].split("</section>")[0]
    assert featured.index("第一头条") < featured.index("第二头条") < featured.index("最新的文章")


def test_a_pin_past_its_end_time_no_longer_leads(client):
    make_article("最新的文章", days_ago=0)
    for n in range(3):
        make_article(f"旧文{n}", days_ago=n + 1)
    make_article("过期头条", days_ago=30, pin_order=1, pinned_until=timezone.now() - dt.timedelta(hours=1))
    featured = client.get("/").content.decode().split('id="featured-heading"')[1].split("</section>")[0]
    assert "过期头条" not in featured and "最新的文章" in featured


def test_an_editor_pins_an_article_from_the_change_form(editor):
    article = make_article("要置顶的文章")
    until = timezone.localtime() + dt.timedelta(days=1)
    data = edit_form(article, pin_order="1", pinned_until_0=until.strftime("%Y-%m-%d"), pinned_until_1="08:00:00")
    assert editor.post(change_url(article), data).status_code == 302
    article.refresh_from_db()
    assert article.pin_order == 1
    assert timezone.localtime(article.pinned_until) == until.replace(hour=8, minute=0, second=0, microsecond=0)
    assert "头条" in editor.get(changelist_url(), {"pinned": "yes"}).content.decode()


def test_pinning_needs_the_publish_permission(client, django_user_model):
    from django.contrib.auth.models import Permission

    writer = django_user_model.objects.create_user("writer", password=PASSWORD, is_staff=True)
    writer.user_permissions.add(*Permission.objects.filter(codename__in=["view_article", "change_article"]))
    client.login(username="writer", password=PASSWORD)
    article = make_article("不能置顶")
    page = client.get(change_url(article)).content.decode()
    assert 'name="pin_order"' not in page
