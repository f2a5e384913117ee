#!/usr/bin/env python
"""Story detection: precision and recall on a labelled set, and the cost of filing a new article.

    .venv/bin/python bench/stories.py labelled [--database sqlite|postgres] [--seed 7]
    nice -n 10 .venv/bin/python bench/stories.py cost --sizes 1000 100000 [--database postgres] [--new 200]

``labelled`` builds the labelled set of ``tests/stories/republications.py``
from ../shared/corpus/posts (re-published copies and hard negatives), saves
every item as an article through the one write path (each is filed as an
editor's save is), and prints precision and recall over same-story pairs,
with the pairs missed and wrongly joined.

``cost`` builds an archive of synthetic articles in a scratch database
(PostgreSQL ``stories_bench_<size>`` or SQLite under /tmp/stories/): bodies of
random common characters, one in ten a re-run of a recent one, published over
the last year, filed by ``cluster_stories``; it prints the archive build rate,
then files ``--new`` fresh articles one by one (half of them re-runs of recent
articles) and prints the median and 95th-percentile milliseconds and the SQL
queries per article. ``--again`` measures the new articles again on the
PostgreSQL archive a previous run built (after a change to detection).
"""

import argparse
import datetime as dt
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
CORPUS = PROJECT.parent / "shared" / "corpus" / "posts"
SCRATCH = Path("/tmp/stories")
POSTGRES = "postgres://postgres@127.0.0.1:5432/"
LOCAL_CACHE = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}


def set_up(database: str, name: str, fresh: bool = True) -> None:
    sys.path.insert(0, str(PROJECT))
    from bench.pages import set_up as set_up_django

    SCRATCH.mkdir(exist_ok=True)
    if database == "postgres" and not fresh:
        set_up_django(SCRATCH, POSTGRES + name)
    elif database == "postgres":
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

    items = labelled_items(CORPUS, seed=args.seed)
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
    """Each size in its own process (Django connects to one database per process)."""
    if len(args.sizes) > 1:
        for size in args.sizes:
            command = [sys.executable, __file__, "cost", "--database", args.database, "--new", str(args.new)]
            command += ["--again"] if args.again else []
            subprocess.run([*command, "--sizes", str(size)], check=True)
        return
    [size] = args.sizes
    set_up(args.database, f"stories_bench_{size}", fresh=not args.again)
    from django.core.management import call_command
    from django.test.utils import override_settings

    with override_settings(CACHES=LOCAL_CACHE):  # the reader forgets pages in memory, as in Redis, not in files
        if args.again:
            call_command("migrate", verbosity=0)
        else:
            build_archive(size)
        measure_new(args.new)


def build_archive(size: int) -> None:
    """``size`` articles over the last year from 50 sources, one in ten a re-run
    of an article of the day before (bulk, unfiled), then ``cluster_stories``."""
    from django.core.management import call_command

    from content.models import Article, Author

    started = time.perf_counter()
    rng, now = random.Random(3), dt.datetime.now(dt.UTC)
    authors = Author.objects.bulk_create(Author(name=f"来源{n}", slug=f"s{n}", kind="source") for n in range(50))
    bodies: list[str] = []
    for first in range(0, size, 5000):
        rows = []
        for n in range(first, min(first + 5000, size)):
            rerun = n > 100 and rng.random() < 0.1
            body = rng.choice(bodies[-100:]) + "<p>来源：转载</p>" if rerun else synthetic_body(rng)
            bodies.append(body)
            published_at = now - dt.timedelta(days=365) * (1 - n / size)
            rows.append(Article(title=f"文章{n}", slug=f"a{n}", author=rng.choice(authors), body=body,
                                status="published", published_at=published_at))  # fmt: skip
        Article.objects.bulk_create(rows)
        bodies = bodies[-100:]
    print(f"{size:>9,} articles written in {time.perf_counter() - started:.0f} s", flush=True)
    started = time.perf_counter()
    call_command("cluster_stories", verbosity=0)
    elapsed = time.perf_counter() - started
    print(f"{size:>9,} archive filed in {elapsed:.0f} s: {size / elapsed:,.0f} articles a second", flush=True)


HAN = [chr(code) for code in range(0x4E00, 0x4E00 + 3500)]


def synthetic_body(rng: random.Random) -> str:
    """Three to eight paragraphs of random common characters (unrelated to any other body)."""
    paragraphs = ("".join(rng.choices(HAN, k=rng.randint(60, 300))) for _ in range(rng.randint(3, 8)))
    return "".join(f"<p>{text}。</p>" for text in paragraphs)


def measure_new(count: int) -> None:
    """Print the cost of filing ``count`` new articles (see :func:`file_new_articles`)."""
    from content.models import Article

    total = Article.objects.count() + count
    for kind, (queries, median, p95) in file_new_articles(count).items():
        print(
            f"{total:>9,} articles, {kind}: filed in {median:.1f} ms median, {p95:.1f} ms p95, {queries:.0f} queries",
            flush=True,
        )


def file_new_articles(count: int) -> dict[str, tuple[float, float, float]]:
    """File ``count`` new articles one by one, alternately a story of its own
    and a re-run of a recent article, and return each kind's cost: (queries,
    median ms, 95th-percentile ms), what follows a story's change (the reader
    forgetting the pages of its members) included. The articles are deleted
    afterwards, their stories counted again, as a deleted article's are."""
    from django.conf import settings
    from django.utils import timezone

    from content.models import Article, Author

    rng = random.Random(5)
    author, _ = Author.objects.get_or_create(name="测速来源", defaults={"kind": Author.Kind.SOURCE})
    now, window = timezone.now(), dt.timedelta(days=settings.STORIES_WINDOW_DAYS)
    recent = Article.objects.filter(published_at__range=(now - window, now)).order_by("-published_at")
    recent = list(recent.values_list("body", flat=True)[:100])  # a re-run of one of these joins its story
    runs = {"own story": [], "re-run joining": []}
    Article.objects.filter(author=author).delete()  # left by a run that stopped
    try:
        for n in range(count):
            kind = "re-run joining" if n % 2 else "own story"
            body = rng.choice(recent) + "<p>责任编辑：测速</p>" if n % 2 else synthetic_body(rng)
            runs[kind].append(file_new(author, f"new{n}", body))
    finally:
        Article.objects.filter(author=author).delete()
    costs = {}
    for kind, measured in runs.items():
        times = sorted(ms for ms, _ in measured)
        costs[kind] = (
            statistics.median(q for _, q in measured),
            statistics.median(times),
            times[int(len(times) * 0.95)],
        )
    return costs


def file_new(author, slug: str, body: str) -> tuple[float, int]:
    """Store an article without announcing it, then time its filing alone: (ms, queries)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from content.models import Article
    from stories.detection import detect

    [article] = Article.objects.bulk_create(
        [
            Article(
                title=slug,
                slug=slug,
                author=author,
                body=body,
                status="published",
                published_at=dt.datetime.now(dt.UTC),
            )
        ]  # fmt: skip
    )
    with CaptureQueriesContext(connection) as captured:
        started = time.perf_counter()
        detect([article.pk])
        elapsed = (time.perf_counter() - started) * 1000
    return elapsed, len(captured)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("mode", choices=["labelled", "cost"])
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 100_000])
    parser.add_argument("--new", type=int, default=200)
    parser.add_argument("--seed", type=int, default=7, help="labelled: how the copies are re-run (the test uses 7)")
    parser.add_argument("--again", action="store_true", help="PostgreSQL: measure again on the archive already built")
    args = parser.parse_args()
    if not CORPUS.is_dir() and args.mode == "labelled":
        sys.exit(f"no corpus at {CORPUS}")
    labelled(args) if args.mode == "labelled" else cost(args)


if __name__ == "__main__":
    main()
