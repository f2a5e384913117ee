"""Images that ship beside a post (Hexo's post asset folder).

A relative image path in a post (``images/cover.png``) is resolved against the
post's folder; the file is stored in media under a content-addressed name, so
re-imports store nothing twice. Paths that leave the folder are ignored.
"""

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from django.core.files.storage import default_storage

IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".gif", ".webp", ".avif"}
STORAGE_FOLDER = "imported"
IMAGE_REFERENCE = re.compile(r"""<img\b[^>]*?\bsrc=["']([^"']+)["']|!\[[^\]]*\]\(([^)\s]+)""", re.I)


@dataclass(frozen=True)
class LocalImage:
    reference: str  # as written in the post
    path: Path
    storage_name: str

    @property
    def url(self) -> str:
        return default_storage.url(self.storage_name)


@dataclass(frozen=True)
class LocalisedSource:
    """A post's body and image fields with local references pointing at media."""

    body: str
    head_image: str
    thumbnail: str
    images: list[LocalImage] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def localise_images(body: str, head_image: str, thumbnail: str, asset_dir: Path | None) -> LocalisedSource:
    """Point relative image references (in the body, ``headimg`` and
    ``thumbnail``) at their media copies; warn about those not found."""
    if asset_dir is None:
        return LocalisedSource(body, head_image, thumbnail)
    references = [*image_references(body), head_image, thumbnail]
    images = collect_local_images(references, asset_dir)
    for image in images:
        body = re.sub(rf'(?<=["(]){re.escape(image.reference)}(?=[")])', image.url, body)
        head_image = image.url if head_image == image.reference else head_image
        thumbnail = image.url if thumbnail == image.reference else thumbnail
    found = {image.reference for image in images}
    missing = dict.fromkeys(r for r in references if _is_relative_path(r) and r not in found)
    warnings = [f"image: {reference} not found beside the post" for reference in missing]
    return LocalisedSource(body, head_image, thumbnail, images, warnings)


def image_references(body: str) -> list[str]:
    """``<img src>`` and Markdown ``![](…)`` targets, as written."""
    return [ref for pair in IMAGE_REFERENCE.findall(body) for ref in pair if ref]


def collect_local_images(references, asset_dir: Path) -> list[LocalImage]:
    root = asset_dir.resolve()
    found: dict[str, LocalImage] = {}
    for reference in references:
        if reference in found or not _is_relative_path(reference):
            continue
        try:
            path = (root / reference).resolve()
            if path.suffix.lower() in IMAGE_SUFFIXES and path.is_relative_to(root) and path.is_file():
                digest = hashlib.sha256(path.read_bytes()).hexdigest()[:24]
                found[reference] = LocalImage(reference, path, f"{STORAGE_FOLDER}/{digest}{path.suffix.lower()}")
        except OSError:
            continue  # a name too long, or unreadable: reported as not found beside the post
    return list(found.values())


def _is_relative_path(reference: str) -> bool:
    reference = reference.strip()
    return bool(reference) and ":" not in reference and not PurePosixPath(reference).is_absolute()
