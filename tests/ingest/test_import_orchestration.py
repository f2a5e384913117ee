"""One orchestration for files and feed items: any failure stays with its item,
and feeds get image downloads from it too."""

import io

import pytest
from django.core.management import call_command
from PIL import Image

from content.models import Article, Category
from tests.builders import make_feed
from tests.feeds.server import RSS, serve_feeds

pytestmark = pytest.mark.django_db


def deep_markdown_list(levels: int) -> str:
    return "\n".join("  " * depth + "- 层" for depth in range(levels))


def test_a_body_that_breaks_the_renderer_fails_that_file_alone(write_post, run_import):
    write_post("deep.md", raw=f"---\ntitle: 很深的列表\ndate: 2022-08-29 12:00:00\n---\n\n{deep_markdown_list(1000)}\n")
    write_post("fine.md", title="正常的文章")
    result = run_import(write_post("other.md", title="另一篇").parent)
    assert result.failed and "deep.md: " in result.stderr
    assert "created 2" in result.stdout and "failed 1" in result.stdout
    assert sorted(Article.objects.values_list("title", flat=True)) == ["另一篇", "正常的文章"]


def test_an_unexpected_error_in_one_file_is_reported_with_its_kind(write_post, run_import, monkeypatch):
    import ingest.run as run

    real_parse = run.parse_post

    def parse_or_explode(data, name, **kwargs):
        if name == "bad.md":
            raise RuntimeError("renderer exploded")
        return real_parse(data, name, **kwargs)

    monkeypatch.setattr(run, "parse_post", parse_or_explode)
    write_post("bad.md", title="坏文章")
    result = run_import(write_post("good.md", title="好文章").parent)
    assert "bad.md: cannot be imported (RuntimeError: renderer exploded)" in result.stderr
    assert list(Article.objects.values_list("title", flat=True)) == ["好文章"]


def png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), "teal").save(buffer, "PNG")
    return buffer.getvalue()


def feed_with_image(server_url: str) -> bytes:
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>图片源</title><link>{server_url}/</link><description>d</description>
<item><title>带图的新闻</title><link>{server_url}/news/1</link><guid>{server_url}/news/1</guid>
<pubDate>Mon, 29 Aug 2022 04:01:00 GMT</pubDate>
<description><![CDATA[<p>新闻正文，配有一张图片。</p><img src="{server_url}/pic.png">]]></description>
</item></channel></rss>""".encode()


@pytest.fixture
def image_feed(settings):
    settings.FEEDS_ALLOW_PRIVATE_HOSTS = settings.IMPORT_IMAGE_ALLOW_PRIVATE_HOSTS = True
    routes = {"/pic.png": (200, "image/png", png())}
    with serve_feeds(routes) as server:
        routes["/rss"] = (200, RSS, feed_with_image(server.base))
        yield server


def fetch(*args) -> None:
    call_command("fetch_feeds", "--once", *args, stdout=io.StringIO(), stderr=io.StringIO())


def test_fetch_feeds_can_download_item_images(image_feed):
    make_feed(image_feed.url("/rss"))
    fetch("--download-images")
    article = Article.objects.get()
    assert image_feed.url("/pic.png") not in article.body
    assert "/media/library/" in article.body and article.head_image.startswith("/media/library/")


def test_a_feed_set_to_download_images_does_so_without_the_flag(image_feed):
    make_feed(image_feed.url("/rss"), download_images=True)
    fetch()
    assert "/media/library/" in Article.objects.get().body


def test_feed_items_keep_remote_images_by_default(image_feed):
    make_feed(image_feed.url("/rss"))
    fetch()
    assert image_feed.url("/pic.png") in Article.objects.get().body


def test_renaming_a_feed_s_category_keeps_its_items_there(image_feed):
    feed = make_feed(image_feed.url("/rss"), path=("新媒体", "图片源"))
    feed.category.name = "图片频道"
    feed.category.save()
    fetch()
    article = Article.objects.get()
    assert [category.pk for category in article.categories.all()] == [feed.category.pk]
    assert not Category.objects.filter(name="图片源").exists()
