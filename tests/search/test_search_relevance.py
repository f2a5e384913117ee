"""Relevance: for every query of the set, the results are exactly the articles
whose normalised visible text contains every term (precision and recall 1.0),
and a distinctive piece of a title ranks that article first. Run on our own
articles, and on the real posts when ../shared/corpus is present."""

import re

import pytest

from content import changes
from content.models import Article
from search.tokens import CJK
from tests.builders import make_article, make_author
from tests.conftest import CORPUS_DIR, needs_corpus
from tests.search_cases import ARTICLES, RELEVANCE_QUERIES, TITLE_PIECES, expected_ids, found

pytestmark = pytest.mark.django_db


@pytest.fixture
def written(db):
    for days_ago, (title, source, tags, body) in enumerate(ARTICLES, 1):
        article = make_article(title, body=body, author=make_author(source, kind="source"), days_ago=days_ago)
        article.tags.add(*tags)


@pytest.mark.parametrize("query", RELEVANCE_QUERIES)
def test_results_are_exactly_the_articles_that_show_every_term(written, query):
    expected = expected_ids(Article.objects.published(), query)
    assert {article.pk for article in found(query)} == expected


@pytest.mark.parametrize(
    ("query", "shown_by"),
    [
        ("span", {"网页排版小知识"}),
        ("style", {"网页排版小知识"}),
        ("referrerpolicy", {"网页排版小知识"}),
        ("遊戲", {"台灣遊戲市場觀察", "国产动画电影票房"}),
        ("Ｗｉｎｄｏｗｓ", {"Windows 11 更新解读", "全角字母的新闻"}),
        ("电动汽车", {"电动汽车销量创新高"}),
        ("5G", {"华为 5G 基站出货"}),
    ],
)
def test_the_set_expects_what_a_reader_would(written, query, shown_by):
    """The expectations themselves: markup and addresses hide nothing, spellings fold."""
    assert {article.title for article in found(query)} == shown_by


@pytest.mark.parametrize("piece", TITLE_PIECES)
def test_a_distinctive_piece_of_a_title_ranks_its_article_first(written, piece):
    assert found(piece)[0].title == TITLE_PIECES[piece]


@pytest.mark.corpus
@needs_corpus
def test_corpus_results_are_exactly_the_articles_that_show_every_term(run_import):
    run_import(CORPUS_DIR)
    published = Article.objects.published()
    for query in RELEVANCE_QUERIES:
        assert {article.pk for article in found(query)} == expected_ids(published, query), query


@pytest.mark.corpus
@needs_corpus
def test_corpus_title_pieces_rank_their_article_first(run_import):
    run_import(CORPUS_DIR)
    # Stubs import as drafts (疑似空文); published too, their titles are more to tell apart.
    with changes.batch():
        for draft in Article.objects.drafts().exclude(published_at=None):
            draft.status = Article.Status.PUBLISHED
            draft.save()
    titles = list(Article.objects.published().order_by("pk"))
    checked = 0
    for article in titles:
        # A run of Chinese in the title (4 to 10 characters) that no other title has.
        piece = next((run[:10] for run in re.findall(rf"[{CJK}]{{4,}}", article.title)), None)
        if piece and sum(piece in other.title for other in titles) == 1:
            assert found(piece)[0] == article, piece
            checked += 1
    assert checked >= 40
