"""``import_posts --download-images`` against a real HTTP server on 127.0.0.1.

The server serves good images made with Pillow, and every way an image goes
wrong: broken bytes, HTML posing as a PNG, a web page, a 404, too many bytes,
too slow, too many pixels. A bad image keeps its remote URL with a warning and
never fails its article. A good image becomes a picture in the media library.
"""

import functools
import io
import struct
import threading
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from django.conf import settings
from django.urls import reverse
from PIL import Image

from content import images
from content.models import Article
from ingest.downloads import LocalImages
from ingest.tasks import download_remote_images
from tests.builders import make_article
from tests.local_http import QuietHandler, serving

pytestmark = pytest.mark.django_db


def image_bytes(size: tuple[int, int], image_format: str, mode: str = "RGB") -> bytes:
    image = Image.linear_gradient("L").resize(size).convert(mode)
    buffer = io.BytesIO()
    image.save(buffer, image_format)
    return buffer.getvalue()


def png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


@functools.cache
def decompression_bomb(width: int = 20_000, height: int = 20_000) -> bytes:
    """A 1-bit black PNG: 400 million pixels in about 50 KB."""
    compressor, row = zlib.compressobj(9), b"\0" * (1 + (width + 7) // 8)
    pixels = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", header) + png_chunk(b"IDAT", pixels) + png_chunk(b"IEND", b"")


@functools.cache
def routes() -> dict[str, tuple[int, str, bytes]]:
    """Path → (status, content type, body)."""
    wide_png = image_bytes((960, 480), "PNG")
    return {
        "/wide.png": (200, "image/png", wide_png),
        "/photo.jpg": (200, "image/jpeg", image_bytes((64, 48), "JPEG")),
        "/other.png": (200, "image/png", image_bytes((32, 32), "PNG", "RGBA")),
        "/图片 1.png": (200, "image/png", image_bytes((16, 16), "PNG")),
        "/broken.png": (200, "image/png", wide_png[: len(wide_png) // 2]),
        "/broken.jpg": (200, "image/jpeg", image_bytes((64, 48), "JPEG")[:-300]),
        "/fake.png": (200, "image/png", b"<!doctype html><html><body>Not found</body></html>"),
        "/page.html": (200, "text/html; charset=utf-8", b"<!doctype html><html><body>An article</body></html>"),
        "/missing.png": (404, "text/html", b"<h1>404</h1>"),
        "/bomb.png": (200, "image/png", decompression_bomb()),
        "/icon.bmp": (200, "image/bmp", image_bytes((8, 8), "BMP")),
    }


@dataclass
class ImageServer:
    base: str
    requests: list[str] = field(default_factory=list)

    def url(self, path: str) -> str:
        return f"{self.base}{path}"


@pytest.fixture(autouse=True)
def _local_images(settings):
    settings.IMPORT_IMAGE_ALLOW_PRIVATE_HOSTS = True


@pytest.fixture
def server():
    release = threading.Event()  # lets the slow response go when the test ends
    requests: list[str] = []

    class Handler(QuietHandler):
        def do_GET(self):
            requests.append(self.path)
            path = unquote(urlsplit(self.path).path)
            if path == "/slow.png":
                release.wait(5)
            if path.startswith("/hop/"):  # /hop/N redirects to /hop/N+1, /hop/0 to the wide PNG
                hops = int(path.removeprefix("/hop/"))
                self.send_response(302)
                self.send_header("Location", f"/hop/{hops - 1}" if hops else "/wide.png")
                self.end_headers()
                return
            status, content_type, body = routes().get(path.replace("-unsized", "").replace("/slow", "/wide"))
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            if "-unsized" not in path:
                self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    with serving(Handler) as base:
        yield ImageServer(base, requests)
        release.set()


def stored_file(url: str) -> Path:
    assert url.startswith("/media/library/"), url
    return Path(settings.MEDIA_ROOT) / url.removeprefix("/media/")


def local_srcs(body: str) -> list[str]:
    return [part.split('"', 1)[0] for part in body.split('src="')[1:]]


def test_good_body_images_are_served_from_media(run_import, write_post, server):
    wide, photo = server.url("/wide.png"), server.url("/photo.jpg?w=64&amp;h=48")
    body = f'<p>图一</p><img alt="a>b" src="{wide}"><img src="{photo}">'
    result = run_import(write_post(body=body), download_images=True)
    article = Article.objects.get()
    assert not result.failed and "warning" not in result.stderr
    assert "127.0.0.1" not in article.body
    srcs = local_srcs(article.body)
    assert [Path(src).suffix for src in srcs] == [".webp", ".webp"]
    assert all(stored_file(src).is_file() for src in srcs)
    with Image.open(stored_file(srcs[0])) as copy:
        assert copy.size == (960, 480)


def test_downloaded_body_images_carry_their_size(run_import, write_post, server):
    run_import(write_post(body=f'<p>图一</p><img alt="宽图" src="{server.url("/wide.png")}">'), download_images=True)
    assert 'width="960" height="480"' in Article.objects.get().body


def test_the_head_image_is_local_and_gets_a_480px_webp_thumbnail(run_import, write_post, server):
    run_import(write_post(headimg=server.url("/wide.png")), download_images=True)
    article = Article.objects.get()
    assert stored_file(article.head_image).is_file()
    with Image.open(stored_file(article.thumbnail)) as thumbnail:
        assert (thumbnail.format, thumbnail.size) == ("WEBP", (480, 240))


def test_a_small_thumbnail_is_not_upscaled(run_import, write_post, server):
    run_import(write_post(headimg=server.url("/photo.jpg")), download_images=True)
    with Image.open(stored_file(Article.objects.get().thumbnail)) as thumbnail:
        assert (thumbnail.format, thumbnail.size) == ("WEBP", (64, 48))


@pytest.mark.parametrize(
    ("path", "reason"),
    [
        ("/broken.png", "is a broken image"),
        ("/broken.jpg", "is a broken image"),
        ("/fake.png", "is not an image Pillow can read"),
        ("/page.html", "served as text/html; charset=utf-8, not an image"),
        ("/missing.png", "HTTP 404 Not Found"),
        ("/bomb.png", "refused as a decompression bomb"),
        ("/icon.bmp", "is BMP, not a web image format"),
        ("/hop/5", "more than 3 redirects"),
    ],
)
def test_a_bad_image_keeps_its_remote_url_with_a_warning(run_import, write_post, server, path, reason):
    url = server.url(path)
    result = run_import(write_post(body=f'<p>正文</p><img src="{url}">'), download_images=True)
    assert not result.failed and "created 1," in result.stdout
    assert f'src="{url}"' in Article.objects.get().body
    assert f"post.md: warning: image {url}: {reason}" in result.stderr
    assert "; kept the remote URL" in result.stderr
    assert not (Path(settings.MEDIA_ROOT) / "library").exists()
    assert not images.Image.objects.exists()


def test_a_redirect_is_followed(run_import, write_post, server):
    run_import(write_post(body=f'<img src="{server.url("/hop/2")}">'), download_images=True)
    assert stored_file(local_srcs(Article.objects.get().body)[0]).is_file()


def test_an_image_slower_than_the_timeout_keeps_its_remote_url(run_import, write_post, server, settings):
    settings.IMPORT_IMAGE_TIMEOUT = 0.3
    url = server.url("/slow.png")
    result = run_import(write_post(body=f'<img src="{url}">'), download_images=True)
    assert f"image {url}: timed out after 0.3 s; kept the remote URL" in result.stderr
    assert f'src="{url}"' in Article.objects.get().body


@pytest.mark.parametrize(
    ("path", "reason"),
    [
        ("/wide.png", f"is {len(routes()['/wide.png'][2]) / 1024:.3g} KB, over the 1 KB limit"),
        ("/wide-unsized.png", "is over the 1 KB limit"),  # no Content-Length: stops reading at 1 KB + 1 byte
    ],
)
def test_an_image_over_the_size_cap_is_refused(run_import, write_post, server, settings, path, reason):
    settings.IMPORT_IMAGE_MAX_BYTES = 1024
    url = server.url(path)
    result = run_import(write_post(body=f'<img src="{url}">'), download_images=True)
    assert f"image {url}: {reason}; kept the remote URL" in result.stderr
    assert f'src="{url}"' in Article.objects.get().body


def test_an_image_with_more_pixels_than_the_limit_is_refused(run_import, write_post, server, settings):
    settings.IMPORT_IMAGE_MAX_PIXELS = 1000
    url = server.url("/wide.png")
    result = run_import(write_post(body=f'<img src="{url}">'), download_images=True)
    assert f"image {url}: has 960×480 pixels, over the 1,000 limit (decompression bomb guard)" in result.stderr


def test_a_failed_head_image_keeps_the_remote_head_image_and_thumbnail(run_import, write_post, server):
    url = server.url("/missing.png")
    result = run_import(write_post(headimg=url), download_images=True)
    article = Article.objects.get()
    assert (article.head_image, article.thumbnail) == (url, url)
    assert f"image {url}: HTTP 404" in result.stderr


def test_an_unreachable_host_is_a_warning(run_import, write_post, server):
    url = "http://127.0.0.1:1/gone.png"
    result = run_import(write_post(body=f'<img src="{url}">'), download_images=True)
    assert not result.failed
    assert f"image {url}: cannot fetch it" in result.stderr


def test_a_private_address_is_refused_when_the_setting_is_off(run_import, write_post, server, settings):
    settings.IMPORT_IMAGE_ALLOW_PRIVATE_HOSTS = False
    url = server.url("/wide.png")
    result = run_import(write_post(body=f'<img src="{url}">'), download_images=True)
    assert not result.failed
    assert f"image {url}: 127.0.0.1 resolves to a non-public address (127.0.0.1); refused" in result.stderr
    assert f'src="{url}"' in Article.objects.get().body
    assert server.requests == []


def test_reimporting_the_same_post_downloads_nothing(run_import, write_post, server):
    post = write_post(headimg=server.url("/wide.png"), body=f'<img src="{server.url("/photo.jpg")}">')
    run_import(post, download_images=True)
    fetched, files = len(server.requests), sorted((Path(settings.MEDIA_ROOT) / "library").rglob("*"))
    result = run_import(post, download_images=True)
    assert "unchanged 1" in result.stdout
    assert len(server.requests) == fetched == 2
    assert sorted((Path(settings.MEDIA_ROOT) / "library").rglob("*")) == files


def test_an_image_shared_by_posts_is_fetched_once_and_stored_once(run_import, write_post, server):
    shared = f'<img src="{server.url("/photo.jpg")}">'
    first = write_post("one.md", title="一", body=shared)
    write_post("two.md", title="二", body=f'<p>另一篇</p>{shared}<img src="{server.url("/other.png")}">')
    run_import(first.parent, download_images=True)
    assert server.requests == ["/photo.jpg", "/other.png"]
    bodies = [article.body for article in Article.objects.order_by("title")]
    assert local_srcs(bodies[0])[0] == local_srcs(bodies[1])[0]
    assert images.Image.objects.count() == 2  # photo.jpg and other.png, each once


def test_a_failed_image_shared_by_posts_is_fetched_once_and_reported_for_each(run_import, write_post, server):
    url = server.url("/missing.png")
    first = write_post("one.md", title="一", body=f'<img src="{url}">')
    write_post("two.md", title="二", body=f'<p>另一篇</p><img src="{url}">')
    result = run_import(first.parent, download_images=True)
    assert server.requests == ["/missing.png"]
    assert f"one.md: warning: image {url}" in result.stderr and f"two.md: warning: image {url}" in result.stderr


def test_a_url_with_chinese_characters_and_spaces_is_fetched(run_import, write_post, server):
    result = run_import(write_post(body=f'<img src="{server.url("/图片 1.png")}">'), download_images=True)
    assert "warning" not in result.stderr
    assert stored_file(local_srcs(Article.objects.get().body)[0]).is_file()


def test_without_the_option_or_in_a_dry_run_nothing_is_downloaded(run_import, write_post, server):
    url = server.url("/photo.jpg")
    post = write_post(body=f'<img src="{url}">')
    run_import(post, download_images=True, dry_run=True)
    run_import(post)
    assert server.requests == []
    assert f'src="{url}"' in Article.objects.get().body


def test_localise_html_matches_the_escaping_of_sanitised_attributes():
    images = LocalImages(urls={"http://x.test/a.png?w=1&h=2": "/media/downloads/a.png"})
    alt = 'alt="1 > 0 &amp; &quot;q&quot;"'
    body = f'<img {alt} src="http://x.test/a.png?w=1&amp;h=2" loading="lazy">'
    assert images.localise_html(body) == f'<img {alt} src="/media/downloads/a.png" loading="lazy">'


def test_the_admin_action_queues_the_download_and_the_worker_stores_the_images(admin_client, run_tasks, server):
    wide = server.url("/wide.png")
    article = make_article("远程图片", body=f'<p>图一</p><img alt="宽图" src="{wide}">', head_image=wide)
    response = admin_client.post(
        reverse("admin:articles_article_changelist"),
        {"action": "download_images", "_selected_action": [article.pk]},
        follow=True,
    )
    assert "已安排下载 1 篇文章的图片到本站" in response.content.decode()
    assert server.requests == []  # nothing downloaded inside the request
    assert run_tasks() == 1
    article.refresh_from_db()
    srcs = local_srcs(article.body)
    assert len(srcs) == 1 and stored_file(srcs[0]).is_file()
    assert 'width="960" height="480"' in article.body
    assert stored_file(article.head_image).is_file()
    assert article.body_source.count(wide) == 1  # the source keeps the remote address, as an import's does
    assert server.requests == ["/wide.png"]  # one image, fetched once for body and head image


def test_a_queued_download_keeps_a_failed_image_remote():
    missing = "http://127.0.0.1:9/missing.png"
    article = make_article("坏图片", body=f'<p>图一</p><img alt="坏图" src="{missing}">')
    warnings = download_remote_images.call(article.pk)
    assert len(warnings) == 1 and missing in warnings[0]
    article.refresh_from_db()
    assert missing in article.body


def test_a_downloaded_image_becomes_a_library_picture_with_the_bodys_alt_and_renditions(run_import, write_post, server):
    url = server.url("/wide.png")
    run_import(write_post(body=f'<p>图一</p><img alt="一张渐变图" src="{url}">'), download_images=True)
    picture = images.Image.objects.get()
    assert (picture.alt, picture.credit, picture.uploaded_by) == ("一张渐变图", "127.0.0.1", None)
    assert (picture.width, picture.height) == (960, 480)
    assert sorted(picture.renditions, key=int) == ["480", "960"]  # never upscaled to 1600
    for name in picture.renditions.values():
        with Image.open(Path(settings.MEDIA_ROOT) / name) as rendition:
            assert rendition.format == "WEBP"
    assert f'src="{picture.url()}"' in Article.objects.get().body


def test_a_downloaded_image_without_alt_text_takes_the_posts_title(run_import, write_post, server):
    run_import(
        write_post(title="渐变的故事", body=f'<p>图一</p><img src="{server.url("/wide.png")}">'), download_images=True
    )
    assert images.Image.objects.get().alt == "渐变的故事"


def test_reimporting_a_changed_post_reuses_its_library_picture(run_import, write_post, server):
    img = f'<img alt="图" src="{server.url("/wide.png")}">'
    post = write_post(body=f"<p>第一版</p>{img}")
    run_import(post, download_images=True)
    picture = images.Image.objects.get()
    write_post(body=f"<p>第二版</p>{img}")
    result = run_import(post, download_images=True)
    assert "updated 1" in result.stdout
    assert list(images.Image.objects.all()) == [picture]
    assert f'src="{picture.url()}"' in Article.objects.get().body


def test_the_reader_page_gives_a_downloaded_image_its_srcset_and_size(run_import, write_post, server, client):
    text = "<p>" + "一篇够长的报道，读者的页面上会有这张图。" * 3 + "</p>"  # long enough not to be junk
    run_import(write_post(body=f'{text}<img alt="宽图" src="{server.url("/wide.png")}">'), download_images=True)
    picture, article = images.Image.objects.get(), Article.objects.get()
    assert article.status == Article.Status.PUBLISHED
    page = client.get(article.get_absolute_url()).content.decode()
    assert f'srcset="{picture.srcset()}"' in page
    assert 'width="960" height="480"' in page
