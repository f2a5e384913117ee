"""The site's name and tagline come from one setting each, wherever they show."""

import pytest

from content.models import Author
from tests.builders import make_article

pytestmark = pytest.mark.django_db


@pytest.fixture
def renamed(settings):
    settings.SITE_NAME, settings.SITE_TAGLINE = "芯闻社", "芯片与硬件的每日新闻"


def test_pages_carry_the_site_name_from_settings(client, renamed):
    article = make_article("一篇新闻")
    home = client.get("/").content.decode()
    assert "<title>芯闻社：芯片与硬件的每日新闻</title>" in home
    assert '<meta property="og:site_name" content="芯闻社">' in home
    assert "<title>一篇新闻 · 芯闻社</title>" in client.get(article.get_absolute_url()).content.decode()
    assert "Newsroom" not in home


def test_feeds_carry_the_site_name_and_tagline_from_settings(client, renamed):
    make_article()
    feed = client.get("/feed/").content.decode()
    assert "<title>芯闻社：芯片与硬件的每日新闻</title>" in feed
    assert "<description>芯闻社：芯片与硬件的每日新闻。</description>" in feed


def test_a_source_is_credited_as_such_and_a_writer_by_name(client):
    source = make_article("来源文章", author=Author.objects.create(name="OFweek", kind=Author.Kind.SOURCE))
    staff = make_article("编辑文章", author=Author.objects.create(name="王编辑"))
    assert "来源：OFweek" in client.get(source.get_absolute_url()).content.decode()
    page = client.get(staff.get_absolute_url()).content.decode()
    assert "王编辑" in page and "来源：王编辑" not in page
