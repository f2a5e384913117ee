"""A pathological post or feed item fails alone, named, with its reason; the
other posts and items of the run are imported."""

from io import StringIO

import pytest
from django.core.management import call_command

from content.models import Article
from ingest import records
from tests.builders import make_feed
from tests.feeds.server import FIXTURES, RSS, serve_feeds

pytestmark = pytest.mark.django_db

DEEP_LIST = "- " * 1_000 + "x"


@pytest.fixture
def recursion_on_a_marked_body(monkeypatch):
    """Rendering a body that contains 递归炸弹 raises RecursionError, as deep structures once did."""
    render = records.render_body

    def rendering(source, *args):
        if "递归炸弹" in source:
            raise RecursionError("maximum recursion depth exceeded")
        return render(source, *args)

    monkeypatch.setattr(records, "render_body", rendering)


def test_a_thousand_level_markdown_list_fails_its_file_and_the_others_import(run_import, write_post):
    write_post("a-good.md", title="好文章")
    deep = write_post("deep.md", title="深列表")
    deep.write_text(deep.read_text().replace("<div>   \n<p>正文内容。</p>\n  \n</div>", DEEP_LIST))
    deep.write_text(deep.read_text().replace("comments: false\n", "comments: false\nformat: markdown\n"))
    write_post("z-good.md", title="另一篇")
    run = run_import(deep.parent)
    assert set(Article.objects.values_list("title", flat=True)) == {"好文章", "另一篇"}
    report = run.stdout + run.stderr
    assert "deep.md" in report and "body: Markdown nests lists or quotes 1000 levels deep" in report


def test_a_recursion_error_fails_its_file_and_the_others_import(run_import, write_post, recursion_on_a_marked_body):
    write_post("a.md", title="好文章")
    write_post("bomb.md", title="炸弹", body="<p>递归炸弹</p>")
    run = run_import(write_post("c.md", title="另一篇").parent)
    assert set(Article.objects.values_list("title", flat=True)) == {"好文章", "另一篇"}
    assert "bomb.md" in run.stdout + run.stderr and "RecursionError" in run.stdout + run.stderr


def test_a_feed_item_that_cannot_render_is_reported_and_the_others_import(settings, recursion_on_a_marked_body):
    settings.FEEDS_ALLOW_PRIVATE_HOSTS = True
    rss = (FIXTURES / "rss.xml").read_bytes().replace("麒麟电池支持".encode(), "递归炸弹".encode())
    with serve_feeds({"/rss": (200, RSS, rss)}) as server:
        feed = make_feed(server.url("/rss"))
        out, err = StringIO(), StringIO()
        call_command("fetch_feeds", "--once", stdout=out, stderr=err)
    assert list(Article.objects.values_list("title", flat=True)) == ["电池厂商发布新一代快充电芯"]
    report = out.getvalue() + err.getvalue()
    assert "item https://www.ofweek.com/news/2022-08/ART-8421-catl.html" in report and "RecursionError" in report
    feed.refresh_from_db()
    assert feed.last_fetched_at is not None
    assert "ART-8421-catl.html" in feed.last_error and "RecursionError" in feed.last_error
