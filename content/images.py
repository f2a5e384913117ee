"""The media library: pictures editors put in stories, with renditions for every screen.

An upload is checked like a head image (``content.image_files.check_upload``:
size, Pillow's full decode, the pixel limit) and only re-encoded pixels are
stored: WebP renditions ``RENDITION_WIDTHS`` px wide (never upscaled), the
widest standing for the original. Bodies refer to a library picture by one
rendition's URL; after sanitising, :func:`with_renditions` (called by
``content.rendering.render_body``) gives each such <img> its ``srcset``,
``sizes``, ``width`` and ``height``, so the page does not shift while it loads.
"""

import re
import secrets
from pathlib import PurePosixPath

from django.conf import settings
from django.core.files.base import ContentFile, File
from django.core.files.storage import default_storage
from django.db import models
from django.utils import timezone
from django.utils.html import escape
from django.utils.text import slugify

from content import image_files

RENDITION_WIDTHS = (480, 960, 1600)
EDITOR_WIDTH = 960  # the rendition the editor inserts
LIBRARY_FOLDER = "library"
# The reader page's column: a story picture is never shown wider.
SIZES = "(max-width: 800px) 100vw, 800px"
IMG_TAG = re.compile(r"<img\b(?:[^>\"]|\"[^\"]*\")*>", re.I)
ATTRIBUTE = re.compile(r'([\w-]+)="([^"]*)"')
RENDITION_NAME = re.compile(r"^(?P<stem>.+)-(?P<width>\d+)w\.webp$")


class Image(models.Model):
    """A picture in the library: alt text required, renditions in ``renditions`` (width → storage name)."""

    name = models.CharField("文件名", max_length=200, editable=False, unique=True)
    alt = models.CharField("替代文字", max_length=300, help_text="看不到图片的读者会读到它；必填。")
    caption = models.CharField("图注", max_length=300, blank=True)
    credit = models.CharField("来源或署名", max_length=200, blank=True)
    width = models.PositiveIntegerField("宽", editable=False)
    height = models.PositiveIntegerField("高", editable=False)
    renditions = models.JSONField("尺寸", default=dict, editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        editable=False,
        verbose_name="上传者",
    )
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)
    # SHA-256 of a downloaded original (``import_posts --download-images``): a re-import finds it again.
    content_hash = models.CharField(max_length=64, null=True, blank=True, unique=True, editable=False)

    class Meta:
        app_label = "articles"
        ordering = ["-uploaded_at", "-id"]
        verbose_name = verbose_name_plural = "图库图片"

    def __str__(self):
        return self.alt

    def store(self, upload: File) -> None:
        """Store the renditions of an upload already checked by ``image_files.check_upload``;
        the widest (at most the last of ``RENDITION_WIDTHS``) gives the picture's size."""
        # ASCII names: a URL in a body then reads the same as the name it stands for.
        stem = slugify(PurePosixPath(upload.name).stem)[:40] or "image"
        self.name = f"{LIBRARY_FOLDER}/{timezone.localdate():%Y/%m}/{stem}-{secrets.token_hex(4)}"
        self.renditions = {}
        for width in RENDITION_WIDTHS:
            data, (self.width, self.height) = image_files.webp_rendition(upload, width)
            if str(self.width) in self.renditions:
                break  # narrower than this width: nothing wider to make
            name = default_storage.save(f"{self.name}-{self.width}w.webp", ContentFile(data))
            self.renditions[str(self.width)] = name

    def url(self, width: int = EDITOR_WIDTH) -> str:
        """The URL of the widest rendition at most ``width`` px wide (the narrowest if none is)."""
        return default_storage.url(self.renditions[str(self._width_at_most(width))])

    def _width_at_most(self, width: int) -> int:
        widths = sorted(int(w) for w in self.renditions)
        return max((w for w in widths if w <= width), default=widths[0])

    def srcset(self) -> str:
        widths = sorted(int(width) for width in self.renditions)
        return ", ".join(f"{default_storage.url(self.renditions[str(width)])} {width}w" for width in widths)

    def size_at(self, width: int) -> tuple[int, int]:
        shown = self._width_at_most(width)
        return shown, round(self.height * shown / self.width)


def library_name(src: str) -> str | None:
    """The library name a rendition URL belongs to, or None for any other image."""
    prefix = default_storage.url(f"{LIBRARY_FOLDER}/")
    if not src.startswith(prefix):
        return None
    match = RENDITION_NAME.match(src[len(default_storage.url("")) :])
    return match["stem"] if match else None


def with_renditions(body_html: str) -> str:
    """Give each library picture in sanitised HTML its srcset, sizes, width and height (one query)."""
    tags = {tag: dict(ATTRIBUTE.findall(tag)) for tag in set(IMG_TAG.findall(body_html))}
    names = {tag: library_name(attributes.get("src", "")) for tag, attributes in tags.items()}
    wanted = {name for name in names.values() if name}
    if not wanted:
        return body_html
    library = {image.name: image for image in Image.objects.filter(name__in=wanted)}
    for tag, name in names.items():
        if name in library:
            body_html = body_html.replace(tag, _responsive_tag(library[name], tags[tag]))
    return body_html


def _responsive_tag(image: Image, attributes: dict[str, str]) -> str:
    """The <img> with the library's sources and size; its other attributes
    (alt, loading, referrerpolicy) come from sanitised HTML, already escaped."""
    width, height = image.size_at(EDITOR_WIDTH)
    ours = {"src": image.url(EDITOR_WIDTH), "srcset": image.srcset(), "sizes": SIZES, "width": width, "height": height}
    attributes = {**attributes, **{key: escape(value) for key, value in ours.items()}}
    attributes.setdefault("alt", escape(image.alt))
    return "<img " + " ".join(f'{key}="{value}"' for key, value in attributes.items()) + ">"
