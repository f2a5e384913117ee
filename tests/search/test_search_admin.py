"""The editors' article search goes through the readers' search index."""

import pytest

from content.models import Article
from tests.builders import changelist_url, make_article

pytestmark = pytest.mark.django_db


def listed(admin_client, query: str) -> str:
    return admin_client.get(changelist_url(), {"q": query}).content.decode()


def test_admin_search_finds_drafts_and_scheduled_articles(admin_client):
    make_article("光刻机草稿", status=Article.Status.DRAFT)
    make_article("光刻机定时", days_ago=-1)
    page = listed(admin_client, "光刻机")
    assert ">光刻机草稿</a>" in page and ">光刻机定时</a>" in page


def test_admin_search_folds_spellings_like_the_reader_search(admin_client):
    make_article("台灣遊戲市場")
    assert ">台灣遊戲市場</a>" in listed(admin_client, "游戏")


def test_admin_search_ignores_markup(admin_client):
    make_article("图片报道", body='<p><span style="color:red">红字</span></p>')
    assert ">图片报道</a>" not in listed(admin_client, "span")


def test_admin_search_keeps_the_other_filters(admin_client):
    make_article("光刻机草稿", status=Article.Status.DRAFT)
    make_article("光刻机新闻")
    page = admin_client.get(changelist_url(), {"q": "光刻机", "state": "draft"}).content.decode()
    assert ">光刻机草稿</a>" in page and ">光刻机新闻</a>" not in page


def test_an_unsearchable_admin_query_lists_nothing(admin_client):
    make_article("光刻机")
    assert ">光刻机</a>" not in listed(admin_client, "？！")


def test_admin_search_lists_drafts_then_the_newest_dates_first_across_years(admin_client, settings):
    settings.SEARCH_RESULTS_WINDOW = 4
    for days_ago in (2_500, 40, 1):
        make_article(f"光刻机{days_ago}", days_ago=days_ago)
    make_article("光刻机明年", days_ago=-400)
    make_article("光刻机草稿", status=Article.Status.DRAFT, days_ago=None)
    page = listed(admin_client, "光刻机")
    shown = [
        title for title in ["光刻机草稿", "光刻机明年", "光刻机1", "光刻机40", "光刻机2500"] if f">{title}</a>" in page
    ]
    assert shown == ["光刻机草稿", "光刻机明年", "光刻机1", "光刻机40"]
