"""Importing the shipped seed posts: what a newcomer sees after `make run`.

``seeds/`` holds the welcome post written for this project (with its images) and
the post the project was started from, as the seed crawler wrote it."""

import datetime as dt
import re

import pytest

from content.models import Article
from tests.conftest import PROJECT_DIR

SEEDS = PROJECT_DIR / "seeds"
pytestmark = pytest.mark.django_db


@pytest.fixture
def seed_article(run_import):
    result = run_import(SEEDS)
    assert not result.failed, result.stderr
    return Article.objects.get(sources__file_name="newsroom-welcome.txt")


def test_the_crawlers_seed_post_is_shipped_as_it_came(seed_article):
    crawled = Article.objects.get(sources__file_name="000_a57fdaef18b311f3.txt")
    assert crawled.title == "LG新能源以领先技术推动智能制造，协同产业链推动电动汽车市场升级"
    assert crawled.author.name == "高科技行业门户"
    assert [c.name for c in crawled.categories.get().ancestry()] == ["新媒体", "高科技行业门户", "新闻"]
    assert crawled.is_live


def test_seed_becomes_one_published_article(seed_article):
    assert seed_article.title == "动力电池技术观察：续航、快充与回收成为新能源汽车竞争焦点"
    assert seed_article.author.name == "Newsroom 编辑部"
    assert seed_article.is_live


def test_seed_is_filed_under_its_three_level_category_path(seed_article):
    (category,) = seed_article.categories.all()
    assert [c.name for c in category.ancestry()] == ["新媒体", "高科技行业门户", "新闻"]


def test_seed_date_is_the_gmt_date_from_its_front_matter(seed_article):
    assert seed_article.published_at == dt.datetime(2022, 8, 29, 4, 1, tzinfo=dt.UTC)


def test_seed_images_are_stored_in_media_and_shown_in_the_body(seed_article, settings):
    assert seed_article.body.count("<img") == 3
    assert seed_article.head_image.startswith("/media/imported/")
    assert len(list((settings.MEDIA_ROOT / "imported").iterdir())) == 3


def test_seed_body_keeps_bold_subheadings_but_no_inline_styles(seed_article):
    assert "<strong>快充：把补能时间压到一杯咖啡</strong>" in seed_article.body
    assert "style=" not in seed_article.body


def test_seed_keyword_links_become_tags(seed_article):
    assert set(seed_article.tags.names()) == {"新能源汽车", "电动汽车", "充电"}


def test_importing_the_seeds_twice_creates_nothing(run_import, seed_article):
    second = run_import(SEEDS)
    assert "created 0, updated 0, unchanged 2" in second.stdout
    assert Article.objects.count() == 2


def test_seed_body_images_carry_their_size_so_text_does_not_jump(seed_article):
    images = re.findall(r"<img [^>]*>", seed_article.body)
    assert len(images) == 3
    assert all(re.search(r'width="\d+" height="\d+"', image) for image in images), images
