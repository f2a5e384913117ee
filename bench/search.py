#!/usr/bin/env python
"""Search speed at 100,000 and 1,000,000 articles, and relevance on real posts.

    .venv/bin/python bench/search.py speed --database postgres --sizes 100000 1000000 [--repeat 11]
    .venv/bin/python bench/search.py speed --database sqlite --sizes 100000
    .venv/bin/python bench/search.py relevance [--posts ../shared/corpus/posts] [--database sqlite|postgres]
    .venv/bin/python bench/search.py pages --url postgres://…/archive [--repeat 7]

``speed`` builds each size in a scratch database (PostgreSQL ``search_bench_<size>``,
dropped at the end unless ``--keep``; SQLite under /tmp/search/): synthetic
articles with bulk SQL, then their search documents through the product code
(``search.documents.index``) in batches, then the index. It prints the
build times, the documents' and index's size per 100,000 articles, and the
median milliseconds of each query as the reader page runs it (first page,
count of the window and the "约 N 条结果" estimate). 芯片 and 华为 are each in a
third of the articles.

``pages`` times the whole reader page (``/search/?q=…`` through Django's test
client: queries, snippets, filters, template; page cache off, DEBUG off) for
each query on an existing database, such as one filled by ``import_posts``.

``relevance`` imports the real posts and prints, per query of the test set
(tests/search_cases.py), precision and recall against the articles whose
normalised visible text contains every term, then five example searches.
"""

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
CORPUS = PROJECT.parent / "shared" / "corpus" / "posts"
SCRATCH = Path("/tmp/search")
POSTGRES = "postgres://postgres@127.0.0.1:5432/"
BATCH = 2000
# (label, query, order): what readers type, from the common two-character case to the rare and the odd.
QUERIES = [
    ("2 chars, 1/3 of articles", "芯片", ""),
    ("2 chars, 1/3, newest first", "华为", "new"),
    ("two 2-char terms (1/9)", "芯片 华为", ""),
    ("4 chars phrase (1/20)", "电动汽车", ""),
    ("4 chars, rare (1/5000)", "量子计算", ""),
    ("Latin word (1/10)", "iPhone", ""),
    ("mixed Latin + Chinese", "OpenAI 芯片", ""),
    ("traditional (游戏, 1/100)", "遊戲", ""),
    ("full-width Latin", "ｉＰｈｏｎｅ", ""),
    ("exclusion", "芯片 -华为", ""),
    ("1 CJK char, common", "的", ""),
    ("1 CJK char, rare", "鲸", ""),
    ("no match", "不存在的词语", ""),
]
PLANTED = [("芯片", 3), ("华为", 3), ("苹果", 10), ("电动汽车", 20), ("量子计算", 5000), ("iPhone", 10)]
PLANTED += [("OpenAI", 50), ("遊戲", 100), ("鲸", 2000)]


def set_up(database_url: str) -> None:
    sys.path.insert(0, str(PROJECT))
    from bench.pages import set_up as set_up_django

    SCRATCH.mkdir(exist_ok=True)
    set_up_django(SCRATCH, database_url)


def words(rng: random.Random, count: int) -> list[str]:
    """Two-character "words" of common Han characters, the filler of the articles."""
    han = [chr(code) for code in range(0x4E00, 0x4E00 + 3500)]
    return ["".join(rng.choices(han, k=2)) for _ in range(count)]


def body(rng: random.Random, vocabulary: list[str], n: int) -> str:
    sentences = []
    for _ in range(6):
        sentence = rng.choices(vocabulary, k=20)
        sentence.insert(rng.randrange(len(sentence)), "的")
        sentences.append("".join(sentence) + "。")
    planted = [word for word, every in PLANTED if n % every == rng.randrange(every)]
    for word in planted:
        position = rng.randrange(len(sentences))
        sentences[position] = word + sentences[position]
    return "<p>" + "</p><p>".join(sentences) + f"</p><p>第 {n} 号 <a href='https://example.com/{n}'>原文</a></p>"


def build(size: int) -> dict[str, float]:
    """Articles with bulk SQL, then their documents by the product code; seconds taken."""
    import datetime as dt

    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from content.models import Article, Author
    from search import documents

    call_command("migrate", verbosity=0)
    postgres = connection.vendor == "postgresql"
    rng, now = random.Random(13), timezone.now()
    vocabulary = words(rng, 5000)
    authors = [Author.objects.create(name=f"来源{n}", kind=Author.Kind.SOURCE) for n in range(50)]
    started = time.perf_counter()
    for first in range(0, size, BATCH):
        Article.objects.bulk_create(
            Article(
                title="".join(rng.choices(vocabulary, k=8)) + f" {n}",
                slug=f"a{n}",
                author=authors[n % len(authors)],
                body=body(rng, vocabulary, n),
                status=Article.Status.PUBLISHED,
                published_at=now - dt.timedelta(minutes=n),
            )
            for n in range(first, min(size, first + BATCH))
        )
    articles_seconds = time.perf_counter() - started
    if postgres:  # load first, then index: as fast as a fresh rebuild can be
        with connection.cursor() as cursor:
            cursor.execute("DROP INDEX searchdocument_vector_gin")
    started = time.perf_counter()
    ids = list(Article.objects.order_by("pk").values_list("pk", flat=True))
    for first in range(0, len(ids), BATCH):
        documents.index(ids[first : first + BATCH])
    documents_seconds = time.perf_counter() - started
    started = time.perf_counter()
    if postgres:
        with connection.cursor() as cursor:
            cursor.execute("SET maintenance_work_mem = '512MB'")
            cursor.execute("CREATE INDEX searchdocument_vector_gin ON articles_searchdocument USING gin (vector)")
            cursor.execute("VACUUM ANALYZE articles_searchdocument")
            cursor.execute("ANALYZE articles_article")
    index_seconds = time.perf_counter() - started
    return {"articles": articles_seconds, "documents": documents_seconds, "index": index_seconds}


def sizes_mb() -> dict[str, float]:
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT pg_total_relation_size('articles_searchdocument') - pg_indexes_size('articles_searchdocument'),"
                " pg_relation_size('searchdocument_vector_gin')"
            )
            table, index = cursor.fetchone()
        else:
            cursor.execute("SELECT SUM(pgsize) FROM dbstat WHERE name = 'articles_searchdocument'")
            (table,) = cursor.fetchone()
            cursor.execute("SELECT SUM(pgsize) FROM dbstat WHERE name LIKE 'articles_searchdocument_fts%'")
            (index,) = cursor.fetchone()
    return {"documents": table / 2**20, "index": index / 2**20}


def run_query(query: str, order: str) -> tuple[list, int, int]:
    """What the reader page asks: the first page, the window count and the estimate."""
    from content.models import Article
    from search.forms import SearchForm

    form = SearchForm({"q": query, "sort": order})
    published = Article.objects.published()
    results = form.results(published)
    page = list(results[:20])
    return page, form.in_window, form.estimate(published).number


def median_ms(query: str, order: str, repeat: int) -> tuple[float, int, int]:
    run_query(query, order)  # warm the caches
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        _, in_window, estimate = run_query(query, order)
        timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings), in_window, estimate


def speed(args) -> None:
    for size in args.sizes:
        if args.database == "postgres":
            name = f"search_bench_{size}"
            if not args.reuse:
                os.system(
                    f"dropdb -h 127.0.0.1 -U postgres --if-exists {name}; createdb -h 127.0.0.1 -U postgres {name}"
                )
            url = POSTGRES + name
        else:
            SCRATCH.mkdir(exist_ok=True)
            path = SCRATCH / f"bench_{size}.sqlite3"
            if not args.reuse:
                path.unlink(missing_ok=True)
            url = f"sqlite:///{path}"
        set_up(url)
        print(f"\n{args.database}, {size:,} articles", flush=True)
        if not args.reuse:
            seconds = build(size)
            print(
                f"  build: articles {seconds['articles']:.0f} s (bulk SQL), documents {seconds['documents']:.0f} s"
                f" ({size / seconds['documents']:.0f}/s), index {seconds['index']:.0f} s",
                flush=True,
            )
        per_100k = 100_000 / size
        sizes = sizes_mb()
        print(
            f"  size per 100,000 articles: documents {sizes['documents'] * per_100k:.0f} MB,"
            f" index {sizes['index'] * per_100k:.0f} MB"
        )
        print(f"  {'query':<30} {'median ms':>10} {'in window':>10} {'约 N':>10}")
        for label, query, order in QUERIES:
            ms, in_window, estimate = median_ms(query, order, args.repeat)
            print(f"  {label + ' ' + query:<30} {ms:>10.1f} {in_window:>10} {estimate:>10}", flush=True)
        from django.db import connections

        connections.close_all()
        if args.database == "postgres" and not (args.keep or args.reuse):
            os.system(f"dropdb -h 127.0.0.1 -U postgres --if-exists {name}")
        if len(args.sizes) > 1:  # django.setup() once per process: the next size runs in a fresh one
            os.execv(sys.executable, [sys.executable, __file__, *rest_of(args, size)])


def rest_of(args, done: int) -> list[str]:
    sizes = [str(size) for size in args.sizes if size != done]
    flags = [flag for flag in ("--keep", "--reuse") if getattr(args, flag[2:])]
    return ["speed", "--database", args.database, "--repeat", str(args.repeat), "--sizes", *sizes, *flags]


def relevance(args) -> None:
    if args.database == "postgres":
        os.system("dropdb -h 127.0.0.1 -U postgres --if-exists search_bench_corpus")
        os.system("createdb -h 127.0.0.1 -U postgres search_bench_corpus")
        set_up(POSTGRES + "search_bench_corpus")
    else:
        SCRATCH.mkdir(exist_ok=True)
        (SCRATCH / "corpus.sqlite3").unlink(missing_ok=True)
        set_up(f"sqlite:///{SCRATCH / 'corpus.sqlite3'}")
    import contextlib
    from io import StringIO

    from django.core.management import CommandError, call_command

    from content.models import Article
    from search.documents import index
    from tests.search_cases import RELEVANCE_QUERIES, expected_ids, found

    call_command("migrate", verbosity=0)
    with contextlib.suppress(CommandError):  # malformed corpus files fail alone
        call_command("import_posts", str(args.posts), stdout=StringIO(), stderr=StringIO())
    index(Article.objects.values_list("pk", flat=True))  # whatever the importer's path announced
    published = Article.objects.published()
    print(f"{published.count()} published articles from {args.posts}")
    print(f"{'query':<22} {'expected':>8} {'found':>6} {'precision':>9} {'recall':>7}")
    for query in RELEVANCE_QUERIES:
        expected, results = expected_ids(published, query), {article.pk for article in found(query)}
        hits = len(expected & results)
        precision = hits / len(results) if results else 1.0
        recall = hits / len(expected) if expected else 1.0
        print(f"{query:<22} {len(expected):>8} {len(results):>6} {precision:>9.2f} {recall:>7.2f}")
    for query in args.examples:
        print(f"\n{query}:")
        for n, article in enumerate(found(query)[:3], 1):
            print(f"  {n}. {article.title} ({article.author.name}, {article.published_at:%Y-%m-%d})")
    if args.database == "postgres":
        from django.db import connections

        connections.close_all()
        os.system("dropdb -h 127.0.0.1 -U postgres --if-exists search_bench_corpus")


def pages(args) -> None:
    """The median milliseconds of the whole search page for each query, on ``args.url``'s database."""
    set_up(args.url)
    from django.core.management import call_command
    from django.test import Client
    from django.test.utils import override_settings

    call_command("collectstatic", interactive=False, verbosity=0)  # the manifest that production uses
    client = Client()
    print(f"{'query':<30} {'median ms':>10}")
    with override_settings(CACHES={"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}):
        for label, query, order in QUERIES:
            parameters = {"q": query, "sort": order}
            client.get("/search/", parameters)  # warm the caches
            timings = []
            for _ in range(args.repeat):
                started = time.perf_counter()
                response = client.get("/search/", parameters)
                timings.append((time.perf_counter() - started) * 1000)
                assert response.status_code == 200, response.status_code
            print(f"{label + ' ' + query:<30} {statistics.median(timings):>10.1f}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    speed_parser = commands.add_parser("speed")
    speed_parser.add_argument("--database", choices=["postgres", "sqlite"], default="postgres")
    speed_parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    speed_parser.add_argument("--repeat", type=int, default=11)
    speed_parser.add_argument("--keep", action="store_true", help="keep the databases")
    speed_parser.add_argument("--reuse", action="store_true", help="query the databases a --keep run left")
    relevance_parser = commands.add_parser("relevance")
    relevance_parser.add_argument("--posts", type=Path, default=CORPUS)
    relevance_parser.add_argument("--database", choices=["postgres", "sqlite"], default="sqlite")
    relevance_parser.add_argument("--examples", nargs="+", default=["电动汽车", "游戏", "Windows", "芯片 华为", "苹果"])
    pages_parser = commands.add_parser("pages")
    pages_parser.add_argument("--url", required=True, help="the database, e.g. postgres://postgres@127.0.0.1:5432/x")
    pages_parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    {"speed": speed, "relevance": relevance, "pages": pages}[args.command](args)


if __name__ == "__main__":
    main()
