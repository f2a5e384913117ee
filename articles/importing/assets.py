"""Images that ship beside a post (Hexo's post asset folder).

A relative image path in a post (``images/cover.png``) is resolved against the
post's folder; the file is stored in media under a content-addressed name, so
re-imports store nothing twice. Paths that leave the folder are ignored.
"""

import hashlib
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from django.conf import settings

IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".gif", ".webp", ".avif"}
STORAGE_FOLDER = "imported"


@dataclass(frozen=True)
class LocalImage:
    reference: str  # as written in the post
    path: Path
    storage_name: str

    @property
    def url(self) -> str:
        return f"/{settings.MEDIA_URL.strip('/')}/{self.storage_name}"


def collect_local_images(references, asset_dir: Path) -> list[LocalImage]:
    root = asset_dir.resolve()
    found: dict[str, LocalImage] = {}
    for reference in references:
        if reference in found or not _is_relative_path(reference):
            continue
        path = (root / reference).resolve()
        if path.suffix.lower() in IMAGE_SUFFIXES and path.is_relative_to(root) and path.is_file():
            digest = hashlib.sha256(path.read_bytes()).hexdigest()[:24]
            found[reference] = LocalImage(reference, path, f"{STORAGE_FOLDER}/{digest}{path.suffix.lower()}")
    return list(found.values())


def _is_relative_path(reference: str) -> bool:
    reference = reference.strip()
    return bool(reference) and ":" not in reference and not PurePosixPath(reference).is_absolute()
