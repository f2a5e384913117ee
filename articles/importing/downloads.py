"""Optional local copies of remote images (``import_posts --download-images``).

Every http(s) image of a post (in the body, the head image and the thumbnail)
is downloaded, checked and stored in media storage under a content-addressed
name (``downloads/<sha256>.<ext>``), so a re-import stores nothing twice. The
list-page thumbnail gets one rendition: ``THUMBNAIL_WIDTH`` px wide WebP.

Downloads are defensive, because the URLs come from crawled pages: the guarded
opener of ``articles.http`` (no private, loopback or link-local address on any
hop, unless ``IMPORT_IMAGE_ALLOW_PRIVATE_HOSTS``), a time limit, a size cap, an
``image/*`` content type, a full decode with Pillow and a pixel limit against
decompression bombs (checks shared with admin uploads: see ``articles.images``).
Whatever goes wrong keeps the remote URL and becomes a warning; it never fails
the article. Limits are settings (``newsroom/settings.py``):

- ``IMPORT_IMAGE_TIMEOUT``: seconds per image, connecting and downloading (10)
- ``IMPORT_IMAGE_MAX_BYTES``: largest image accepted (10 MB)
- ``IMPORT_IMAGE_MAX_PIXELS``: largest width × height accepted (50 million)
"""

import hashlib
import html
import io
import re
import time
import urllib.request
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from articles.http import ERRORS, ascii_url, failure, opener, read
from articles.images import THUMBNAIL_WIDTH, ImageProblem, inspect_image, reencoded, webp_thumbnail
from articles.importing.records import IMAGE_SRC, PostRecord, image_sources

STORAGE_FOLDER = "downloads"
MAX_REDIRECTS = 3
USER_AGENT = "Mozilla/5.0 (compatible; NewsroomImporter/1.0)"


class ImageRejected(Exception):
    """Why one image was not copied (the message ends up in a warning)."""


@dataclass
class LocalImages:
    """Remote image URL → URL of the stored local copy, for one post."""

    urls: dict[str, str] = field(default_factory=dict)
    thumbnail: str = ""  # the list-page rendition of the thumbnail image, if one was made
    warnings: list[str] = field(default_factory=list)

    def localise_html(self, body_html: str) -> str:
        """Point the body's images at the local copies (``src`` values are HTML-escaped)."""

        def swap(match: re.Match) -> str:
            local = self.urls.get(html.unescape(match["src"]))
            return match[0] if local is None else f'{match["start"]}{_attribute_value(local)}"'

        return IMAGE_SRC.sub(swap, body_html)


class ImageFetcher:
    """Copies the remote images of posts into media storage.

    Make one per import run: each URL is fetched once per run, and a failure
    is remembered too, so a dead image host costs one timeout, not one per post.
    """

    def __init__(self):
        self.timeout = settings.IMPORT_IMAGE_TIMEOUT
        self.max_bytes = settings.IMPORT_IMAGE_MAX_BYTES
        self.max_pixels = settings.IMPORT_IMAGE_MAX_PIXELS
        allow_private = settings.IMPORT_IMAGE_ALLOW_PRIVATE_HOSTS
        self._opener = opener(allow_private=allow_private, max_redirects=MAX_REDIRECTS)
        self._copies: dict[str, str] = {}  # remote URL → storage name
        self._failures: dict[str, str] = {}  # remote URL → why it was not copied

    def localise(self, record: PostRecord) -> LocalImages:
        """Copy the post's remote images; failures become warnings and keep their URL."""
        return self.localise_images(record.body_html, record.head_image, record.thumbnail)

    def localise_images(self, body_html: str, head_image: str, thumbnail: str) -> LocalImages:
        """Copy the remote images of a body, head image and thumbnail (a post's or a stored article's)."""
        images = LocalImages()
        for url in remote_images(body_html, head_image, thumbnail):
            self._copy_once(url)
            if url in self._copies:
                images.urls[url] = default_storage.url(self._copies[url])
            else:
                images.warnings.append(f"image {url}: {self._failures[url]}; kept the remote URL")
        thumbnail_source = thumbnail or head_image
        if thumbnail_source in self._copies:
            try:
                images.thumbnail = self._thumbnail(self._copies[thumbnail_source])
            except ImageRejected as exc:
                images.warnings.append(f"thumbnail of {thumbnail_source}: {exc}; kept the full image")
        return images

    def _copy_once(self, url: str) -> None:
        if url not in self._copies and url not in self._failures:
            try:
                self._copies[url] = self._store(self._download(url))
            except ImageRejected as exc:
                self._failures[url] = str(exc)

    def _download(self, url: str) -> bytes:
        deadline = time.monotonic() + self.timeout
        try:
            request = urllib.request.Request(ascii_url(url), headers={"User-Agent": USER_AGENT, "Accept": "image/*"})
            with self._opener.open(request, timeout=self.timeout) as response:
                content_type = response.headers.get_content_maintype()
                if content_type != "image":
                    raise ImageRejected(f"served as {response.headers.get('Content-Type') or 'no type'}, not an image")
                return read(response, deadline, self.max_bytes)
        except ERRORS as exc:
            raise ImageRejected(failure(exc, self.timeout)) from exc

    def _store(self, data: bytes) -> str:
        """Stored as Pillow writes it again (see ``articles.images.reencoded``), named by the original's hash."""
        name = f"{STORAGE_FOLDER}/{hashlib.sha256(data).hexdigest()[:24]}.{self._verify(data)}"
        if default_storage.exists(name):
            return name
        try:
            clean = reencoded(io.BytesIO(data))
        except (OSError, ValueError) as exc:
            raise ImageRejected(f"cannot write it again ({exc})") from exc
        return _save(name, clean)

    def _verify(self, data: bytes) -> str:
        """The extension for ``data`` once Pillow has decoded it completely."""
        try:
            return inspect_image(data, self.max_pixels)
        except ImageProblem as problem:
            raise ImageRejected(self._reason(problem)) from problem

    def _reason(self, problem: ImageProblem) -> str:
        if problem.kind == ImageProblem.NOT_AN_IMAGE:
            return "is not an image Pillow can read"
        if problem.kind == ImageProblem.UNSUPPORTED_FORMAT:
            return f"is {problem.image_format}, not a web image format"
        if problem.kind == ImageProblem.TOO_MANY_PIXELS and problem.size:
            width, height = problem.size
            return f"has {width}×{height} pixels, over the {self.max_pixels:,} limit (decompression bomb guard)"
        if problem.kind == ImageProblem.TOO_MANY_PIXELS:
            return f"refused as a decompression bomb ({problem.detail})"
        return f"is a broken image ({problem.detail})"

    def _thumbnail(self, name: str) -> str:
        """The URL of the stored ``THUMBNAIL_WIDTH`` px WebP rendition of the image stored as ``name``."""
        thumbnail = f"{name.rsplit('.', 1)[0]}-{THUMBNAIL_WIDTH}w.webp"
        if not default_storage.exists(thumbnail):
            try:
                with default_storage.open(name) as handle:
                    data = webp_thumbnail(handle)
            except Exception as exc:  # whatever Pillow cannot convert keeps the full image
                raise ImageRejected(f"cannot make it ({exc})") from exc
            thumbnail = _save(thumbnail, data)
        return default_storage.url(thumbnail)


def remote_images(body_html: str, head_image: str, thumbnail: str) -> list[str]:
    """The http(s) images, body first, each once (local ones start with ``/``)."""
    found = [*image_sources(body_html), head_image, thumbnail]
    return list(dict.fromkeys(url for url in found if urlsplit(url).scheme.lower() in ("http", "https")))


def _save(name: str, data: bytes) -> str:
    """Store ``data`` as ``name`` unless a file of that (content-addressed) name exists."""
    try:
        if default_storage.exists(name):
            return name
        return default_storage.save(name, ContentFile(data))
    except OSError as exc:
        raise ImageRejected(f"cannot store it ({exc})") from exc


def _attribute_value(value: str) -> str:
    """Escaped as the sanitiser's serializer writes a double-quoted attribute."""
    return value.replace("&", "&amp;").replace('"', "&quot;")
