"""The real seed-format corpus in ../shared (skipped where it is absent)."""

import datetime as dt
import re

import pytest
from django_tasks_db.models import DBTaskResult

from content.models import Article, Author, Category, Tag
from tests.conftest import CORPUS_DIR, import_posts, needs_corpus

pytestmark = [pytest.mark.django_db, needs_corpus]

LG_POST = "LG新能源以领先技术推动智能制造，协同产业链推动电动汽车市场升级.md"


@pytest.fixture(scope="module")
def corpus_import(django_db_setup, django_db_blocker):
    """Import the whole corpus once for this module; removed afterwards, with
    the work the import queued (story detection)."""
    with django_db_blocker.unblock():
        yield import_posts(CORPUS_DIR)
        for model in (Article, Author, Category, Tag, DBTaskResult):
            model.objects.all().delete()


def test_every_post_imports_except_the_blank_one(corpus_import):
    assert "created 77, updated 0, unchanged 0, merged 1, skipped 0, failed 1" in corpus_import.stdout
    assert "0060.md: title: missing or blank" in corpus_import.stderr


def test_invalid_yaml_post_is_recovered_with_a_warning(corpus_import):
    assert "0012.md: warning: front matter: invalid YAML" in corpus_import.stderr
    assert Article.objects.filter(title="第10集").exists()


def test_the_lg_post_matches_its_source(corpus_import):
    article = Article.objects.get(sources__file_name=LG_POST)
    assert article.title == "LG新能源以领先技术推动智能制造，协同产业链推动电动汽车市场升级"
    assert article.author.name == "高科技行业门户"
    assert [c.name for c in article.categories.get().ancestry()] == ["新媒体", "高科技行业门户", "新闻"]
    assert article.published_at == dt.datetime(2022, 8, 29, 4, 1, tzinfo=dt.UTC)
    assert article.body.count("<img") == 3
    assert article.body.count('src="http://images.ofweek.com/Upload/News/2022-08/29/xihong/') == 3
    assert "style=" not in article.body and "cors.zfour.workers.dev" not in article.body
    assert {"新能源汽车", "电动汽车", "充电"} <= set(article.tags.names())


def test_no_imported_body_keeps_executable_or_styling_markup(corpus_import):
    for body in Article.objects.values_list("body", flat=True):
        assert "<script" not in body and "<style" not in body and "<iframe" not in body
        assert not re.search(r"<[^>]*\s(on\w+|style)=", body)


def test_crawler_braces_are_decoded_everywhere(corpus_import):
    assert not Article.objects.filter(body__contains="&amp;#123;").exists()
    assert not Article.objects.filter(title__contains="&#123;").exists()
