#!/usr/bin/env python
"""Story detection: precision and recall on a labelled set, and the cost of filing a new article.

    .venv/bin/python bench/stories.py labelled [--database sqlite|postgres]
    nice -n 10 .venv/bin/python bench/stories.py cost --sizes 1000 100000 [--database postgres] [--new 200]

``labelled`` builds the labelled set of ``tests/stories/republications.py``
from ../shared/corpus/posts (re-published copies and hard negatives), saves
every item as an article through the one write path (each is filed as an
editor's save is), and prints precision and recall over same-story pairs,
with the pairs missed and wrongly joined.

``cost`` builds an archive of synthetic articles in a scratch database
(PostgreSQL ``stories_bench_<size>`` or SQLite under /tmp/stories/): bodies of
corpus paragraphs recombined (bench/scale_data.py), published over the last
year, filed by ``cluster_stories``; it prints the archive build rate, then
files ``--new`` fresh articles one by one (half of them re-runs of archive
articles) and prints the median and 95th-percentile milliseconds and the SQL
queries per article.
"""

import argparse
import datetime as dt
import random
import statistics
import sys
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
CORPUS = PROJECT.parent / "shared" / "corpus" / "posts"
SCRATCH = Path("/tmp/stories")
POSTGRES = "postgres://postgres@127.0.0.1:5432/"


def set_up(database: str, name: str) -> None:
    sys.path.insert(0, str(PROJECT))
    from bench.pages import set_up as set_up_django

    SCRATCH.mkdir(exist_ok=True)
    if database == "postgres":
        import psycopg

        with psycopg.connect(POSTGRES + "postgres", autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
            conn.execute(f"CREATE DATABASE {name}")
        set_up_django(SCRATCH, POSTGRES + name)
    else:
        (SCRATCH / "bench.sqlite3").unlink(missing_ok=True)
        set_up_django(SCRATCH)
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def labelled(args) -> None:
    set_up(args.database, "stories_bench_labelled")
    from tests.stories.republications import found_pairs, labelled_items, precision_recall, publish, same_story_pairs

    items = labelled_items(CORPUS)
    started = time.perf_counter()
    articles = publish(items)
    elapsed = time.perf_counter() - started
    truth, found = same_story_pairs(items), found_pairs(articles)
    precision, recall = precision_recall(truth, found)
    kinds = {kind: sum(item.kind == kind for item in items) for kind in ("original", "copy", "quoting")}
    print(f"labelled set: {len(items)} articles {kinds}, {len(truth)} same-story pairs")
    print(f"found {len(found)} pairs: precision {precision:.3f}, recall {recall:.3f}")
    print(f"saved and filed in {elapsed:.1f} s ({elapsed / len(items) * 1000:.1f} ms an article, save included)")
    for name, pairs in (("missed", truth - found), ("wrongly joined", found - truth)):
        for pair in sorted(map(sorted, pairs))[:10]:
            print(f"  {name}: " + " | ".join(f"{items[n].kind} {items[n].title[:24]}" for n in pair))


def cost(args) -> None:
    for size in args.sizes:
        set_up(args.database, f"stories_bench_{size}")
        build_archive(size)
        measure_new(args.new)


def build_archive(size: int) -> None:
    from django.core.management import call_command

    from bench import scale_data
    from content.models import Article

    started = time.perf_counter()
    scale_data.load(size)
    Article.objects.update(published_at=None)  # spread over the last year, so each window holds its share
    now = dt.datetime.now(dt.UTC)
    ids = list(Article.objects.order_by("pk").values_list("pk", flat=True))
    rng = random.Random(3)
    Article.objects.bulk_update(
        [Article(pk=pk, published_at=now - dt.timedelta(seconds=rng.randrange(365 * 86400))) for pk in ids],
        ["published_at"],
        batch_size=5000,
    )
    print(f"{size:>9,} articles written in {time.perf_counter() - started:.0f} s", flush=True)
    started = time.perf_counter()
    call_command("cluster_stories", verbosity=0)
    elapsed = time.perf_counter() - started
    print(f"{size:>9,} archive filed in {elapsed:.0f} s: {size / elapsed:,.0f} articles a second", flush=True)


def measure_new(count: int) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from content.models import Article, Author
    from stories.detection import detect

    rng = random.Random(5)
    author = Author.objects.create(name="测速来源", kind=Author.Kind.SOURCE)
    archive = list(Article.objects.order_by("-published_at").values_list("body", flat=True)[: count * 4])
    times, queries = [], []
    for n in range(count):
        body = rng.choice(archive) if n % 2 else "".join(rng.sample(archive, 2))[:20000]
        article = Article(title=f"新文章{n}", author=author, body_source=body, status="published")
        article.published_at = dt.datetime.now(dt.UTC)
        Article.objects.bulk_create([article])  # stored without announcing: detection is timed alone
        article = Article.objects.get(pk=article.pk) if article.pk is None else article
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            detect([article.pk])
            times.append((time.perf_counter() - started) * 1000)
        queries.append(len(captured))
    times.sort()
    print(
        f"{Article.objects.count():>9,} articles: a new article filed in {statistics.median(times):.1f} ms median, "
        f"{times[int(len(times) * 0.95)]:.1f} ms p95, {statistics.median(queries):.0f} queries",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("mode", choices=["labelled", "cost"])
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 100_000])
    parser.add_argument("--new", type=int, default=200)
    args = parser.parse_args()
    if not CORPUS.is_dir() and args.mode == "labelled":
        sys.exit(f"no corpus at {CORPUS}")
    labelled(args) if args.mode == "labelled" else cost(args)


if __name__ == "__main__":
    main()
