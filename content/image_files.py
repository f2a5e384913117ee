"""Image safety checks and list renditions, for admin uploads and imported images.

The core is neutral: :func:`inspect_image` decodes an image completely and
raises :class:`ImageProblem` saying what is wrong with it (not an image, not a
web format, too many pixels, broken), and :func:`webp_thumbnail` makes the
``THUMBNAIL_WIDTH`` px wide WebP that lists show. The admin (below) and
``import_posts --download-images`` (``ingest.downloads``) each turn
a problem into their own message.

An upload is checked before anything is stored: its size, then the core check
(a small file can declare a huge image: a decompression bomb, and a truncated
file fails on a full decode, not on a reader's screen). Each refusal is a
``ValidationError`` an editor can act on. Limits are settings:

- ``ARTICLE_IMAGE_MAX_BYTES``: largest upload accepted (10 MB)
- ``ARTICLE_IMAGE_MAX_PIXELS``: largest width × height accepted (50 million)
"""

import io
import warnings
from pathlib import PurePosixPath
from typing import IO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile, File
from django.core.validators import URLValidator
from PIL import Image, ImageOps, UnidentifiedImageError

from newsroom.http import human_size

THUMBNAIL_WIDTH = 480
# The formats browsers show, by Pillow's name, with the extension they are stored under.
WEB_FORMATS = {"JPEG": "jpg", "PNG": "png", "GIF": "gif", "WEBP": "webp", "AVIF": "avif"}


class ImageProblem(Exception):
    """What is wrong with an image: ``kind`` is one of the constants below."""

    NOT_AN_IMAGE = "not_an_image"  # Pillow cannot identify it
    UNSUPPORTED_FORMAT = "unsupported_format"  # an image, but not in WEB_FORMATS: see ``image_format``
    TOO_MANY_PIXELS = "too_many_pixels"  # ``size`` is (width, height), or None when Pillow's own guard refused it
    BROKEN = "broken"  # it does not decode

    def __init__(self, kind: str, detail: str = "", *, image_format: str = "", size: tuple[int, int] | None = None):
        super().__init__(kind, detail)
        self.kind, self.detail, self.image_format, self.size = kind, detail, image_format, size

    def __str__(self) -> str:
        what = {
            self.NOT_AN_IMAGE: "not an image",
            self.UNSUPPORTED_FORMAT: f"unsupported format {self.image_format}",
            self.TOO_MANY_PIXELS: "too many pixels" + (" ({}×{})".format(*self.size) if self.size else ""),
            self.BROKEN: "broken",
        }[self.kind]
        return f"{what} ({self.detail})" if self.detail else what


def inspect_image(source: bytes | IO[bytes], max_pixels: int) -> str:
    """The extension ``source`` is stored under, once Pillow has decoded it
    completely; :class:`ImageProblem` if it is not a web image of at most
    ``max_pixels`` pixels. A file is read from its start and left there."""
    file = io.BytesIO(source) if isinstance(source, bytes) else source
    try:
        with warnings.catch_warnings():
            # max_pixels applies in _decode(); Pillow still raises
            # DecompressionBombError past twice its own limit.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            return _decode(file, max_pixels)
    except ImageProblem:
        raise
    except UnidentifiedImageError as exc:
        raise ImageProblem(ImageProblem.NOT_AN_IMAGE, str(exc)) from exc
    except Image.DecompressionBombError as exc:
        raise ImageProblem(ImageProblem.TOO_MANY_PIXELS, str(exc)) from exc
    except Exception as exc:
        # Pillow's decoders raise many types on broken files (OSError,
        # SyntaxError, EOFError, struct.error…).
        raise ImageProblem(ImageProblem.BROKEN, str(exc)) from exc
    finally:
        file.seek(0)


def _decode(file: IO[bytes], max_pixels: int) -> str:
    file.seek(0)
    with Image.open(file) as image:
        if image.format not in WEB_FORMATS:
            raise ImageProblem(ImageProblem.UNSUPPORTED_FORMAT, image_format=image.format)
        width, height = image.size
        if width * height > max_pixels:
            raise ImageProblem(ImageProblem.TOO_MANY_PIXELS, size=(width, height))
        image.verify()
    file.seek(0)
    with Image.open(file) as image:
        image.load()  # verify() misses truncated JPEGs; decoding does not
        return WEB_FORMATS[image.format]


def webp_thumbnail(file: IO[bytes]) -> bytes:
    """A ``THUMBNAIL_WIDTH`` px wide WebP of the image in ``file`` (never
    upscaled). The file is read from its start and left there."""
    return webp_rendition(file, THUMBNAIL_WIDTH)[0]


def webp_rendition(file: IO[bytes], width: int) -> tuple[bytes, tuple[int, int]]:
    """A WebP of the image in ``file`` at most ``width`` px wide (never
    upscaled), re-encoded from the pixels alone (no metadata), and its size.
    The file is read from its start and left there."""
    file.seek(0)
    with Image.open(file) as image:
        image = ImageOps.exif_transpose(image)
        has_alpha = image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info
        image = image.convert("RGBA" if has_alpha else "RGB")
    file.seek(0)
    # Fits the width; thumbnail() keeps the aspect ratio and never upscales.
    image.thumbnail((width, image.height), Image.Resampling.LANCZOS)
    buffer = io.BytesIO()
    image.save(buffer, "WEBP", quality=80)
    return buffer.getvalue(), image.size


# Written again in their own format; lossy ones at a quality that keeps photos
# sharp; no comment (Pillow would copy the original's, a polyglot's hiding place).
REENCODE_OPTIONS = {
    "JPEG": {"quality": 90, "comment": b""},
    "GIF": {"comment": b""},
    "WEBP": {"quality": 90},
    "AVIF": {"quality": 90},
}
# What Pillow may carry over from the original: how it looks and moves, nothing else.
REENCODE_KEEPS = ("transparency", "duration", "loop", "background")


def reencoded(file: IO[bytes]) -> bytes:
    """The image in ``file`` (already inspected) decoded and written again by
    Pillow in its own format. Only pixels and frames survive: a file that is
    also HTML or script (a GIF+JS or PNG+HTML polyglot), trailing data,
    comments and metadata are left behind. The file is left at its start."""
    file.seek(0)
    with Image.open(file) as image:
        image_format = image.format
        animated = getattr(image, "n_frames", 1) > 1
        if not animated:
            image = ImageOps.exif_transpose(image)
        image.info = {key: image.info[key] for key in REENCODE_KEEPS if key in image.info}
        buffer = io.BytesIO()
        image.save(buffer, image_format, save_all=animated, **REENCODE_OPTIONS.get(image_format, {}))
    file.seek(0)
    return buffer.getvalue()


# -- Admin uploads ------------------------------------------------------------------------------


def max_bytes() -> int:
    return settings.ARTICLE_IMAGE_MAX_BYTES


def max_pixels() -> int:
    return settings.ARTICLE_IMAGE_MAX_PIXELS


def check_upload(upload: File) -> None:
    """Refuse anything but a readable web image within the size and pixel limits."""
    if upload.size > max_bytes():
        raise ValidationError(
            "图片太大：%(size)s，上限是 %(limit)s。请压缩后再上传。",
            code="too_big",
            params={"size": human_size(upload.size, "字节"), "limit": human_size(max_bytes(), "字节")},
        )
    try:
        inspect_image(upload, max_pixels())
    except ImageProblem as problem:
        raise _upload_error(problem) from problem


def _upload_error(problem: ImageProblem) -> ValidationError:
    if problem.kind == ImageProblem.NOT_AN_IMAGE:
        return ValidationError("这不是图片文件：请上传 JPEG、PNG、GIF 或 WebP 图片。", code="not_image")
    if problem.kind == ImageProblem.UNSUPPORTED_FORMAT:
        return ValidationError(
            "不支持 %(format)s 格式：请上传 JPEG、PNG、GIF 或 WebP 图片。",
            code="format",
            params={"format": problem.image_format},
        )
    if problem.kind == ImageProblem.TOO_MANY_PIXELS:
        declared = f"声明了 {problem.size[0]}×{problem.size[1]} 像素，" if problem.size else ""
        return ValidationError(
            "图片%(declared)s超过 %(limit)s 像素的上限（疑似解压炸弹），已拒绝。",
            code="bomb",
            params={"declared": declared, "limit": f"{max_pixels():,}"},
        )
    return ValidationError("图片文件已损坏，无法读取。", code="broken")


def validate_image_url(value: str) -> None:
    """An http(s) URL, or a path on this site (``/media/…``), as head images are stored."""
    if not (value.startswith("/") and not value.startswith("//")):
        URLValidator(schemes=["http", "https"], message="请输入 http(s) 网址或以 / 开头的站内路径。")(value)


def storage_name(upload: File) -> str:
    """The upload's own name with the extension of what it really is."""
    upload.seek(0)
    with Image.open(upload) as image:
        extension = WEB_FORMATS[image.format]
    upload.seek(0)
    return f"{PurePosixPath(upload.name).stem[:60] or 'head'}.{extension}"


def thumbnail_name(stored_name: str) -> str:
    return f"{PurePosixPath(stored_name).stem}-{THUMBNAIL_WIDTH}w.webp"


def reencoded_upload(upload: File) -> ContentFile:
    """An upload as :func:`reencoded` makes it, under its :func:`storage_name`."""
    return ContentFile(reencoded(upload), name=storage_name(upload))


def thumbnail_rendition(image_file: File) -> ContentFile:
    """The list rendition of an uploaded head image (see :func:`webp_thumbnail`)."""
    return ContentFile(webp_thumbnail(image_file))
