"""List pages reuse each article's card until something the card shows changes
(reader/fragments.py), with the page cache itself off: the title, the author's
credit, the categories, the story's other sources, and a change committed while
the card was being built."""

import datetime as dt

import pytest
import time_machine
from django.test.signals import template_rendered

from content.models import Article
from reader import caching
from tests.builders import make_article, make_author, make_category, make_story

pytestmark = pytest.mark.django_db

CARD = "includes/article_card.html"


@pytest.fixture(autouse=True)
def page_cache_off(settings):
    settings.READER_CACHE_SECONDS = 0


@pytest.fixture
def article():
    article = make_article("原来的标题", author=make_author("ZAKER", kind="source"))
    article.categories.add(make_category("新媒体", "科技"))
    return article


def cards_built(client, url: str) -> tuple[int, str]:
    """How many cards were rendered for ``url``, and the page."""
    built = []

    def count(sender, template, **kwargs):
        built.extend([template.name] if template.name == CARD else [])

    template_rendered.connect(count)
    try:
        page = client.get(url).content.decode()
    finally:
        template_rendered.disconnect(count)
    return len(built), page


def test_a_list_page_reuses_the_cards_it_built(client, article):
    make_article("另一篇文章")
    assert cards_built(client, "/author/zaker/")[0] == 1
    built, page = cards_built(client, "/author/zaker/")
    assert built == 0
    assert "原来的标题" in page and "新媒体" in page


def test_an_edited_article_gets_a_new_card_at_once(client, article):
    client.get("/author/zaker/")
    article.title = "改过的标题"
    article.save()
    built, page = cards_built(client, "/author/zaker/")
    assert built == 1
    assert "改过的标题" in page and "原来的标题" not in page


def test_filing_an_article_in_another_category_shows_on_its_card(client, article):
    client.get("/author/zaker/")
    article.categories.add(make_category("人工智能"))
    assert "人工智能" in client.get("/author/zaker/").content.decode()


def test_a_renamed_category_or_source_shows_on_every_card_at_once(client, article):
    client.get("/author/zaker/")
    category = article.categories.get()
    category.name = "前沿科技"
    category.save()
    author = article.author
    author.name = "ZAKER新闻"
    author.save()
    page = client.get(author.get_absolute_url()).content.decode()
    assert "前沿科技" in page and "ZAKER新闻" in page


def test_a_card_built_while_its_article_changes_is_not_reused(client, article):
    """The card may show the article as it was: the change's forget comes after
    the versions the card is kept under were read, so it is built again."""

    def change_committed_meanwhile(sender, template, **kwargs):
        if template.name == CARD:
            template_rendered.disconnect(change_committed_meanwhile)
            Article.objects.filter(pk=article.pk).update(title="同时改过的标题")
            caching.forget([f"article:{article.pk}"])

    template_rendered.connect(change_committed_meanwhile)
    try:
        client.get("/author/zaker/")
    finally:
        template_rendered.disconnect(change_committed_meanwhile)
    assert "同时改过的标题" in client.get("/author/zaker/").content.decode()


def test_a_storys_copy_coming_out_later_shows_on_the_kept_card(client):
    """The copy's time passes with nothing saved: the card's story line is read as the page is built."""
    make_story("第一财经", "极客观察", first_days_ago=0.25)  # the second copy is out in six hours
    assert "家媒体报道" not in client.get("/").content.decode()
    with time_machine.travel(dt.timedelta(hours=7)):
        assert "2 家媒体报道" in client.get("/").content.decode()


def test_cards_can_be_turned_off(client, article, settings):
    settings.READER_FRAGMENT_SECONDS = 0
    client.get("/author/zaker/")
    assert cards_built(client, "/author/zaker/")[0] == 1


def test_search_results_highlight_the_words_searched_for(client, article):
    client.get("/author/zaker/")  # the plain card is kept
    page = client.get("/search/?q=标题").content.decode()
    assert "<mark>标题</mark>" in page
