#!/usr/bin/env python
"""Editors' saves while readers read through the edge: how soon a saved page is
fresh there, and how many readers got the old page after its purge.

    DATABASE_URL=… REDIS_URL=… EDGE_PURGE_URL=http://127.0.0.1:6081/ \\
      .venv/bin/python bench/edge_saves.py --edge http://127.0.0.1:6081 --paths FILE --seconds 20 [--every 1]

Every ``--every`` seconds an article from ``--paths`` gets a new title through
the one write path (``save_as_editor`` in a transaction, as the admin saves);
the purge happens after the commit. Then its page is read through the edge
until the new title shows: the time from the commit to that read is
its freshness, and any read after the save returned (its purge done) that
still shows the old title is a stale page served after its purge (the target
is none). Prints the number of
saves, p50 and p99 of the freshness in ms, and the stale reads.
"""

import argparse
import os
import random
import statistics
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import django

PROJECT = Path(__file__).resolve().parent.parent
FRESH_WITHIN = 5.0  # seconds a save is watched for


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--edge", required=True)
    parser.add_argument("--paths", required=True, help="article paths, one a line (what wrk reads)")
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--every", type=float, default=1)
    args = parser.parse_args()
    sys.path.insert(0, str(PROJECT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
    django.setup()
    from django.db import transaction

    from content.models import Article

    paths = [line.strip() for line in Path(args.paths).read_text().splitlines() if line.strip()]
    freshness, stale, saves = [], 0, 0
    until = time.monotonic() + args.seconds
    while time.monotonic() < until:
        path = random.choice(paths)
        slug = urllib.parse.unquote(path.rstrip("/").rsplit("/", 1)[-1])
        article = Article.objects.filter(slug=slug).first()
        if article is None:
            continue
        saves += 1
        title = f"{article.title.split('（更新')[0]}（更新{saves}）"
        started, committed = time.monotonic(), []
        with transaction.atomic():
            transaction.on_commit(lambda moments=committed: moments.append(time.monotonic()))  # first: the commit
            article.title = title
            article.save_as_editor()
        seconds, old_reads = watch(args.edge + path, title, committed[0])
        stale += old_reads
        if seconds is not None:
            freshness.append(seconds * 1000)
        time.sleep(max(0.0, args.every - (time.monotonic() - started)))
    if not freshness:
        print(f"edge saves: {saves}, none fresh within {FRESH_WITHIN:.0f} s, stale pages after purge: {stale}")
        return
    quantiles = statistics.quantiles(freshness, n=100) if len(freshness) > 1 else freshness * 99
    print(
        f"edge saves: {saves}, fresh within {FRESH_WITHIN:.0f} s: {len(freshness)}, "
        f"commit to fresh p50 {statistics.median(freshness):.1f} ms p99 {quantiles[98]:.1f} ms, "
        f"stale pages after purge: {stale}"
    )


def watch(url: str, title: str, started: float) -> tuple[float | None, int]:
    """Read ``url`` until it shows ``title``; returns the seconds since ``started`` and the reads that did not."""
    old_reads = 0
    while time.monotonic() - started < FRESH_WITHIN:
        with urllib.request.urlopen(url, timeout=5) as response:
            if title in response.read().decode():
                return time.monotonic() - started, old_reads
        old_reads += 1
    return None, old_reads


if __name__ == "__main__":
    main()
