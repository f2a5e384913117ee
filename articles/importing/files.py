"""Which files an import covers, and the name each is known by."""

from dataclasses import dataclass
from pathlib import Path

from articles.importing.parser import POST_SUFFIXES


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
            posts = sorted(p for p in given.rglob("*") if p.suffix.lower() in POST_SUFFIXES and p.is_file())
            if not posts:
                raise FileNotFoundError(f"{given}: no posts found ({', '.join(POST_SUFFIXES)})")
            found += [PostFile(p, p.relative_to(given).as_posix()) for p in posts]
        else:
            raise FileNotFoundError(f"{given}: no such file or folder")
    return found
