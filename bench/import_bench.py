#!/usr/bin/env python
"""Import speed and memory, measured side by side in one run.

    .venv/bin/python bench/import_bench.py [--sizes 1000 10000] [--databases sqlite postgres]

For each corpus size it generates synthetic posts with
../shared/tools/make_corpus.py, then for each database prints posts/s for

- the ceiling: parse + sanitise every file, no database;
- a first import into an empty database;
- a re-import of the same, unchanged files;

with the ratios first/ceiling and re-import/first, and the peak memory (RSS)
of each process. Every measurement runs in its own process so peaks are its
own, and is repeated (--repeat) keeping the fastest run, since the machine is
shared and noisy.
PostgreSQL uses a scratch database ``newsroom_bench`` on $BENCH_POSTGRES
(default postgres://postgres@127.0.0.1:5432), dropped and re-created per run.
"""

import argparse
import contextlib
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
MAKE_CORPUS = PROJECT.parent / "shared" / "tools" / "make_corpus.py"
POSTGRES = os.environ.get("BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432")
SCRATCH_DB = "newsroom_bench"


def run_measured(command: list[str], env: dict) -> tuple[float, float]:
    """Run a command; return (seconds, peak RSS in MiB) of that process alone."""
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=PROJECT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    stderr = process.stderr.read().decode(errors="replace")
    process.stderr.close()
    if os.waitstatus_to_exitcode(status) not in (0, 1):  # 1: some posts failed, reported below
        sys.exit(f"{' '.join(command)} failed:\n{stderr[-2000:]}")
    return seconds, usage.ru_maxrss / 1024


def fresh_database(kind: str, workdir: Path) -> str:
    if kind == "sqlite":
        path = workdir / "bench.sqlite3"
        path.unlink(missing_ok=True)
        return f"sqlite:///{path}"
    import psycopg

    with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {SCRATCH_DB} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {SCRATCH_DB}")
    return f"{POSTGRES}/{SCRATCH_DB}"


def environment(database_url: str, workdir: Path) -> dict:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "newsroom.settings",
        "SECRET_KEY": "bench-only",
        "DEBUG": "false",
        "DATABASE_URL": database_url,
        "MEDIA_ROOT": str(workdir / "media"),
    }


def ceiling(posts: Path) -> None:
    """Child mode: parse and sanitise every post, touching no database."""
    import django

    django.setup()
    from ingest.errors import ParseError
    from ingest.files import find_post_files
    from ingest.hexo import parse_post

    for post in find_post_files([posts]):
        with contextlib.suppress(ParseError):
            parse_post(post.path.read_bytes(), post.name, asset_dir=post.path.parent)


def best(runs: list[tuple[float, float]]) -> tuple[float, float]:
    """The fastest wall time of several runs, with the largest peak seen."""
    return min(seconds for seconds, _ in runs), max(peak for _, peak in runs)


def import_figures(kind: str, posts: Path, workdir: Path, repeat: int) -> tuple[tuple, tuple]:
    """(first import, re-import) as (seconds, peak MiB), each the fastest of ``repeat``."""
    command = [sys.executable, "manage.py", "import_posts", str(posts)]
    firsts, agains = [], []
    for _ in range(repeat):
        env = environment(fresh_database(kind, workdir), workdir)
        subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=PROJECT, env=env, check=True)
        firsts.append(run_measured(command, env))
        agains.append(run_measured(command, env))
    return best(firsts), best(agains)


def bench(size: int, databases: list[str], workdir: Path, repeat: int) -> None:
    posts = workdir / f"posts-{size}"
    if not posts.exists():
        subprocess.run([sys.executable, str(MAKE_CORPUS), str(posts), "--count", str(size)], check=True)
    parse_env = environment(f"sqlite:///{workdir / 'unused.sqlite3'}", workdir)
    ceiling_command = [sys.executable, __file__, "--ceiling", str(posts)]
    ceiling_s, ceiling_mb = best([run_measured(ceiling_command, parse_env) for _ in range(repeat)])
    print(f"\n{size} posts")
    print(f"  parse+sanitise (ceiling): {size / ceiling_s:8.1f} posts/s   peak {ceiling_mb:6.1f} MiB")
    for kind in databases:
        (first_s, first_mb), (again_s, again_mb) = import_figures(kind, posts, workdir, repeat)
        print(
            f"  {kind:8} first import:  {size / first_s:8.1f} posts/s   peak {first_mb:6.1f} MiB"
            f"   first/ceiling {ceiling_s / first_s:5.0%}\n"
            f"  {kind:8} re-import:     {size / again_s:8.1f} posts/s   peak {again_mb:6.1f} MiB"
            f"   re-import is {first_s / again_s:4.1f}x faster than first"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--databases", nargs="+", default=["sqlite", "postgres"], choices=["sqlite", "postgres"])
    parser.add_argument("--workdir", type=Path, help="keep generated posts here between runs")
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement; the fastest counts")
    parser.add_argument("--ceiling", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.ceiling:
        sys.path.insert(0, str(PROJECT))
        return ceiling(args.ceiling)
    if not MAKE_CORPUS.exists():
        sys.exit(f"needs {MAKE_CORPUS} (the shared corpus tools)")
    with tempfile.TemporaryDirectory(prefix="newsroom-bench-") as scratch:
        workdir = args.workdir or Path(scratch)
        workdir.mkdir(parents=True, exist_ok=True)
        for size in args.sizes:
            bench(size, args.databases, workdir, args.repeat)


if __name__ == "__main__":
    main()
