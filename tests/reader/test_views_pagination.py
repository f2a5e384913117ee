"""Paging through lists: the last page, past it, nonsense, and the bound on
how far back page numbers go (the month archives go further)."""

import re

import pytest
from django.utils import timezone

from content.models import Article
from newsroom.pagination import BoundedPaginator
from tests.builders import make_article

pytestmark = pytest.mark.django_db


@pytest.fixture
def articles():
    """45 published articles, newest first: 第0篇 … 第44篇 (20 to a page)."""
    return [make_article(f"第{n}篇", days_ago=n + 1) for n in range(45)]


def test_the_last_page_shows_the_oldest_articles(client, articles):
    page = client.get("/?page=3").content.decode()
    assert "第44篇" in page and "第40篇" in page and "第39篇" not in page
    assert "第 3 / 3 页" in page and 'rel="next"' not in page


def test_last_names_the_last_page(client, articles):
    assert "第44篇" in client.get("/?page=last").content.decode()


def test_a_page_past_the_last_is_not_found(client, articles):
    assert client.get("/?page=4").status_code == 404


@pytest.mark.parametrize("page", ["abc", "0", "-1", "2.5", ""])
def test_a_page_that_is_not_a_page_number_is_not_found(client, articles, page):
    assert client.get(f"/?page={page}").status_code == (200 if page == "" else 404)


def test_page_numbers_stop_at_the_bound_and_the_count_says_there_are_more(client, articles, monkeypatch):
    monkeypatch.setattr(BoundedPaginator, "max_pages", 2)
    last = client.get("/?page=2").content.decode()
    assert "第 2 / 2+ 页" in last
    assert client.get("/?page=3").status_code == 404


def test_the_last_bounded_page_leads_on_to_the_month_of_its_oldest_article(client, articles, monkeypatch):
    monkeypatch.setattr(BoundedPaginator, "max_pages", 2)
    oldest_shown = timezone.localtime(articles[39].published_at)
    page = client.get("/?page=2").content.decode()
    assert "按月查看更早的文章" in page
    assert f'href="/{oldest_shown:%Y}/{oldest_shown:%m}/"' in page


def test_a_list_counts_up_to_the_bound(client, articles, monkeypatch):
    monkeypatch.setattr(BoundedPaginator, "max_pages", 2)
    author_page = client.get(articles[0].author.get_absolute_url()).content.decode()
    assert "共 40+ 篇文章" in author_page


def test_pinned_articles_lead_page_one_and_the_pages_after_continue_without_repeats(client, articles):
    articles[30].pin_order, articles[40].pin_order = 2, 1
    Article.objects.bulk_update([articles[30], articles[40]], ["pin_order"])
    pages = [client.get(f"/?page={n}").content.decode() for n in (1, 2, 3)]
    shown = [re.findall(r"第\d+篇", page) for page in pages]
    first = list(dict.fromkeys(shown[0]))  # a card may name its article twice
    assert first[:3] == ["第40篇", "第30篇", "第0篇"]
    every = [title for page in shown for title in dict.fromkeys(page)]
    assert sorted(every) == sorted(f"第{n}篇" for n in range(45))  # each once, none lost
    assert "第 3 / 3 页" in pages[2]
