#!/usr/bin/env python
"""Page weight of the home and article pages: HTML, CSS and JS bytes, as sent and gzipped.

    .venv/bin/python bench/page_weight.py [--posts ../shared/corpus/posts]

Imports the posts into a scratch SQLite database with production settings
(DEBUG off, hashed static files), requests the home page and the busiest
article through Django's test client, and adds up each page's own HTML and the
stylesheets and scripts it links (served by WhiteNoise). Pictures are not
counted: they are the publishers' and load lazily.
"""

import argparse
import gzip
import re
import sys
import tempfile
from pathlib import Path

from pages import CORPUS, import_posts, pages, set_up

ASSET = re.compile(r'<(?:link rel="stylesheet" href|script src)="([^"]+)"')


def weigh(client, url: str) -> dict[str, tuple[int, int]]:
    """{"HTML": (bytes, gzipped bytes), "CSS": …, "JS": …} for the page at ``url``."""
    html = client.get(url).content
    weights = {"HTML": [html], "CSS": [], "JS": []}
    for asset in ASSET.findall(html.decode()):
        body = b"".join(client.get(asset).streaming_content)
        weights["CSS" if asset.endswith(".css") else "JS"].append(body)
    return {
        kind: (sum(map(len, bodies)), sum(len(gzip.compress(b)) for b in bodies)) for kind, bodies in weights.items()
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--posts", type=Path, default=CORPUS, help="folder of seed-format posts to import")
    args = parser.parse_args()
    if not args.posts.is_dir():
        sys.exit(f"no posts at {args.posts}")
    with tempfile.TemporaryDirectory(prefix="newsroom-weight-") as scratch:
        set_up(Path(scratch))
        from django.test import Client

        print(f"import: {import_posts([args.posts])}\n")
        print(f"{'page':8} {'kind':5} {'bytes':>8} {'gzipped':>8}")
        client = Client()
        for name in ("home", "article"):
            weights = weigh(client, pages()[name])
            for kind, (raw, packed) in weights.items():
                print(f"{name:8} {kind:5} {raw:>8,} {packed:>8,}")
            total = [sum(w[i] for w in weights.values()) for i in (0, 1)]
            print(f"{name:8} {'all':5} {total[0]:>8,} {total[1]:>8,}")


if __name__ == "__main__":
    main()
