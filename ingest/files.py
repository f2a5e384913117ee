"""Which files an import covers, and the name each is known by."""

from dataclasses import dataclass
from pathlib import Path

from ingest.hexo import POST_SUFFIXES


@dataclass(frozen=True)
class PostFile:
    path: Path
    name: str  # relative to the folder given on the command line (or the file name)


def find_post_files(paths) -> list[PostFile]:
    """Files named directly, and posts found recursively in folders, in a stable order.

    Raises FileNotFoundError for a path that does not exist or a folder with no posts.
    """
    found: list[PostFile] = []
    for given in map(Path, paths):
        if given.is_file():
            found.append(PostFile(given, given.name))
        elif given.is_dir():
            posts = _posts_in(given)
            if not posts:
                raise FileNotFoundError(f"{given}: no posts found ({', '.join(POST_SUFFIXES)})")
            found += [PostFile(p, p.relative_to(given).as_posix()) for p in posts]
        else:
            raise FileNotFoundError(f"{given}: no such file or folder")
    return found


def _posts_in(folder: Path) -> list[Path]:
    """Post files under ``folder``, leaving out hidden ones (``.git/``,
    ``.github/`` templates, editor folders): those are never posts."""
    return sorted(
        path
        for path in folder.rglob("*")
        if path.suffix.lower() in POST_SUFFIXES
        and not any(part.startswith(".") for part in path.relative_to(folder).parts)
        and path.is_file()
    )
