"""Revisions: every editor save, bulk action and import update makes one; two compare side by side; one restores."""

from io import StringIO

import pytest
import reversion
from django.core.management import CommandError, call_command
from django.urls import reverse
from reversion.models import Revision, Version

from content.models import Article
from content.revisions import side_by_side
from tests.builders import change_url, changelist_url, crawled_post, edit_form, make_article, make_category

pytestmark = pytest.mark.django_db


def change(client, article, **fields):
    response = client.post(change_url(article), edit_form(article, **fields))
    assert response.status_code == 302, response.content.decode()[:2000]
    article.refresh_from_db()
    return article


def versions(article):
    return list(Version.objects.get_for_object(article).select_related("revision__user"))


@pytest.fixture
def article():
    article = make_article("原来的标题", body="<p>第一段：电池能量密度提升。</p><p>第二段：成本下降。</p>")
    article.categories.add(make_category("新媒体", "36氪", "汽车"))
    article.tags.add("电池")
    return article


def test_each_editor_save_is_a_revision_with_who_and_what_changed(admin_client, admin_user, article):
    change(admin_client, article, title="新的标题")
    [version] = versions(article)
    assert version.revision.user == admin_user
    assert "标题" in version.revision.get_comment()
    assert version.field_dict["title"] == "新的标题"


def test_a_revision_holds_the_categories_and_tags(admin_client, article):
    change(admin_client, article, tags="电池，储能", categories=[c.pk for c in article.categories.all()])
    [version] = versions(article)
    assert version.field_dict["categories"] == [article.categories.get().pk]
    tagged = version.revision.version_set.exclude(pk=version.pk)
    assert sorted(row.field_dict["tag_id"] for row in tagged) == sorted(t.pk for t in article.tags.all())


def test_a_bulk_action_is_a_revision_with_its_message(admin_client, admin_user):
    drafts = [make_article(f"草稿{n}", status=Article.Status.DRAFT) for n in range(3)]
    admin_client.post(changelist_url(), {"action": "publish_now", "_selected_action": [a.pk for a in drafts]})
    revision = Revision.objects.get()
    assert revision.user == admin_user and "立即发布" in revision.comment
    assert revision.version_set.filter(content_type__model="article").count() == 3


def test_an_import_update_is_a_revision_and_an_import_creation_is_not(run_import, write_post):
    post = write_post(body="<p>第一版正文：续航提升到七百公里，充电十五分钟。</p>")
    run_import(post.parent)
    assert Version.objects.count() == 0
    post.write_text(crawled_post(body="<p>第二版正文：续航提升到八百公里，充电十二分钟。</p>"), encoding="utf-8")
    assert "updated 1" in run_import(post.parent).stdout
    [version] = versions(Article.objects.get())
    assert version.revision.user is None and version.revision.comment == "导入更新：post.md"
    assert "八百公里" in version.field_dict["body_source"]


def test_two_revisions_compare_side_by_side_with_the_changes_marked(admin_client, article):
    change(admin_client, article, title="第一次改的标题")
    change(admin_client, article, title="第二次改的标题", body_source="<p>第一段：电池能量密度大幅提升。</p>")
    old, new = versions(article)[1], versions(article)[0]
    page = admin_client.get(
        reverse("admin:articles_compare", args=[article.pk]), {"old": old.pk, "new": new.pk}
    ).content.decode()
    assert "<del>一</del>" in page and "<ins>二</ins>" in page
    assert "<ins>大幅</ins>" in page
    assert "<del>第二段：成本下降。</del>" in page


def test_the_history_page_lists_revisions_to_compare(admin_client, article):
    change(admin_client, article, title="改过一次")
    change(admin_client, article, title="改过两次")
    page = admin_client.get(reverse("admin:articles_article_history", args=[article.pk])).content.decode()
    assert page.count('name="old"') == 2 and "比较所选的两个版本" in page


def test_restoring_a_revision_brings_back_its_body_categories_and_tags(admin_client, article):
    category = article.categories.get()
    change(admin_client, article, title="第一版", categories=[category.pk], tags="电池")
    first = versions(article)[0]
    other = make_category("新媒体", "爱范儿")
    change(admin_client, article, title="第二版", body_source="<p>全新的正文。</p>", categories=[other.pk], tags="储能")
    response = admin_client.post(reverse("admin:articles_restore", args=[article.pk, first.pk]))
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.title == "第一版"
    assert "电池能量密度" in article.body  # rendered again through the one write path
    assert list(article.categories.all()) == [category]
    assert [t.name for t in article.tags.all()] == ["电池"]
    assert "恢复到" in versions(article)[0].revision.comment  # the restore is a revision too


def test_restore_needs_a_post(admin_client, article):
    change(admin_client, article, title="第一版")
    first = versions(article)[0]
    assert admin_client.get(reverse("admin:articles_restore", args=[article.pk, first.pk])).status_code == 405


def test_a_changed_paragraph_is_marked_character_by_character():
    rows = side_by_side(["电池成本下降。", "不变的段落"], ["电池成本大幅下降。", "不变的段落"])
    assert rows[0] == ("电池成本下降。", "电池成本<ins>大幅</ins>下降。")
    assert rows[1] == ("不变的段落", "不变的段落")


def test_pruning_keeps_the_last_revisions_of_each_article(settings):
    settings.ARTICLE_REVISIONS_KEEP = 3
    busy, quiet = make_article("常改的文章"), make_article("少改的文章")
    for n in range(5):
        with reversion.create_revision():
            busy.title = f"第{n}版"
            busy.save_as_editor()
    with reversion.create_revision():
        quiet.save_as_editor()
    out = StringIO()
    call_command("prune_revisions", "--dry-run", stdout=out)
    assert "would delete 2 revisions" in out.getvalue() and Revision.objects.count() == 6
    call_command("prune_revisions", stdout=StringIO())
    assert [v.field_dict["title"] for v in versions(busy)] == ["第4版", "第3版", "第2版"]
    assert len(versions(quiet)) == 1


def test_pruning_refuses_to_keep_nothing():
    with pytest.raises(CommandError, match="at least 1"):
        call_command("prune_revisions", "--keep", "0", stdout=StringIO())
