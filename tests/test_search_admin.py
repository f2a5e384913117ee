"""The editors' article search goes through the readers' search index."""

import pytest

from articles.models import Article
from tests.builders import make_article

pytestmark = pytest.mark.django_db

LIST_URL = "/admin/articles/article/"


def listed(admin_client, query: str) -> str:
    return admin_client.get(LIST_URL, {"q": query}).content.decode()


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
    page = admin_client.get(LIST_URL, {"q": "光刻机", "state": "draft"}).content.decode()
    assert ">光刻机草稿</a>" in page and ">光刻机新闻</a>" not in page


def test_an_unsearchable_admin_query_lists_nothing(admin_client):
    make_article("光刻机")
    assert ">光刻机</a>" not in listed(admin_client, "？！")
