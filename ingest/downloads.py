"""Optional local copies of remote images (``import_posts --download-images``).

Every http(s) image of a post (in the body, the head image and the thumbnail)
is downloaded, checked and put in the media library (``content.images.Image``)
as an upload is: WebP renditions made by ``Image.store``. One library picture
per distinct image, found again by the SHA-256 of the downloaded bytes, so a
re-import creates nothing twice. Its alt text is the body's ``<img alt>`` (else
the post's title), its credit the image's host. The body and the head image
point at the editor's rendition, as an inserted picture does, so the reader
page gives it ``srcset`` and a size; the list-page thumbnail is the widest
rendition at most ``THUMBNAIL_WIDTH`` px wide.

Downloads are defensive, because the URLs come from crawled pages: the guarded
opener of ``newsroom.http`` (no private, loopback or link-local address on any
hop, unless ``IMPORT_IMAGE_ALLOW_PRIVATE_HOSTS``), a time limit, a size cap, an
``image/*`` content type, a full decode with Pillow and a pixel limit against
decompression bombs (checks shared with admin uploads: see ``content.image_files``).
Whatever goes wrong keeps the remote URL and becomes a warning; it never fails
the article. Limits are settings (``newsroom/settings.py``):

- ``IMPORT_IMAGE_TIMEOUT``: seconds per image, connecting and downloading (10)
- ``IMPORT_IMAGE_MAX_BYTES``: largest image accepted (10 MB)
- ``IMPORT_IMAGE_MAX_PIXELS``: largest width × height accepted (50 million)
"""

import hashlib
import html
import re
import time
import urllib.request
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction

from content.body_repairs import size_local_images
from content.image_files import THUMBNAIL_WIDTH, ImageProblem, inspect_image
from content.images import ATTRIBUTE, EDITOR_WIDTH, IMG_TAG, Image, with_renditions
from content.rendering import RenderedBody
from ingest.records import IMAGE_SRC, PostRecord, image_sources
from newsroom.http import ERRORS, ascii_url, failure, opener, read

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

    def point_at_copies(self, article, *, body_html: str, excerpt: str, head_image: str, thumbnail: str) -> None:
        """Render ``article`` from ``body_html`` (already rendered by ``render_body``) with only its
        image addresses changed: the copies get their sizes, library pictures their renditions;
        the head image and thumbnail point at their copies too."""
        if self.urls:  # the copies are library pictures: their renditions
            localised = with_renditions(size_local_images(self.localise_html(body_html)))
        else:  # the body has its renditions already (``render_body``)
            localised = size_local_images(body_html)
        article.render(RenderedBody(html=localised, excerpt=excerpt))
        article.head_image = self.urls.get(head_image, head_image)
        article.thumbnail = self.thumbnail or self.urls.get(thumbnail, thumbnail)


class ImageFetcher:
    """Puts the remote images of posts into the media library.

    Make one per import run: each URL is fetched once per run, and a failure
    is remembered too, so a dead image host costs one timeout, not one per post.
    """

    def __init__(self):
        self.timeout = settings.IMPORT_IMAGE_TIMEOUT
        self.max_bytes = settings.IMPORT_IMAGE_MAX_BYTES
        self.max_pixels = settings.IMPORT_IMAGE_MAX_PIXELS
        allow_private = settings.IMPORT_IMAGE_ALLOW_PRIVATE_HOSTS
        self._opener = opener(allow_private=allow_private, max_redirects=MAX_REDIRECTS)
        self._copies: dict[str, Image] = {}  # remote URL → library picture
        self._failures: dict[str, str] = {}  # remote URL → why it was not copied

    def localise(self, record: PostRecord) -> LocalImages:
        """Put the post's remote images in the library; failures become warnings and keep their URL."""
        return self.localise_images(record.body_html, record.head_image, record.thumbnail, record.title)

    def localise_images(self, body_html: str, head_image: str, thumbnail: str, title: str) -> LocalImages:
        """Put the remote images of a body, head image and thumbnail (a post's or a stored article's)
        in the library; ``title`` is the alt text of those the body gives none."""
        images = LocalImages()
        alts = body_alts(body_html)
        for url in remote_images(body_html, head_image, thumbnail):
            self._copy_once(url, alts.get(url) or title)
            if url in self._copies:
                images.urls[url] = self._copies[url].url(EDITOR_WIDTH)
            else:
                images.warnings.append(f"image {url}: {self._failures[url]}; kept the remote URL")
        thumbnail_source = thumbnail or head_image
        if thumbnail_source in self._copies:
            images.thumbnail = self._copies[thumbnail_source].url(THUMBNAIL_WIDTH)
        return images

    def _copy_once(self, url: str, alt: str) -> None:
        if url not in self._copies and url not in self._failures:
            try:
                self._copies[url] = self._store(self._download(url), url, alt)
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

    def _store(self, data: bytes, url: str, alt: str) -> Image:
        """The library picture of ``data``: the one made from the same bytes before, else a new one."""
        extension = self._verify(data)
        digest = hashlib.sha256(data).hexdigest()
        known = Image.objects.filter(content_hash=digest).first()
        if known is not None:
            return known
        picture = Image(alt=alt[:300], credit=(urlsplit(url).hostname or "")[:200], content_hash=digest)
        try:
            picture.store(ContentFile(data, name=f"{digest[:24]}.{extension}"))
            picture.full_clean()
        except (OSError, ValueError) as exc:
            raise ImageRejected(f"cannot store it ({exc})") from exc
        except ValidationError as exc:
            raise ImageRejected(f"cannot file it in the library ({'; '.join(exc.messages)})") from exc
        try:
            with transaction.atomic():
                picture.save()
        except IntegrityError:  # a concurrent import filed the same bytes first
            return Image.objects.get(content_hash=digest)
        return picture

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


def remote_images(body_html: str, head_image: str, thumbnail: str) -> list[str]:
    """The http(s) images, body first, each once (local ones start with ``/``)."""
    found = [*image_sources(body_html), head_image, thumbnail]
    return list(dict.fromkeys(url for url in found if urlsplit(url).scheme.lower() in ("http", "https")))


def body_alts(body_html: str) -> dict[str, str]:
    """The alt text of the sanitised body's images by their (unescaped) ``src``; empty ones left out."""
    alts: dict[str, str] = {}
    for tag in IMG_TAG.findall(body_html):
        attributes = {name: html.unescape(value) for name, value in ATTRIBUTE.findall(tag)}
        if alt := attributes.get("alt", "").strip():
            alts.setdefault(attributes.get("src", ""), alt)
    return alts


def _attribute_value(value: str) -> str:
    """Escaped as the sanitiser's serializer writes a double-quoted attribute."""
    return value.replace("&", "&amp;").replace('"', "&quot;")
