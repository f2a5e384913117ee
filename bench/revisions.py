#!/usr/bin/env python
"""What revisions cost: rows and bytes per 1,000 editor saves of one article.

    .venv/bin/python bench/revisions.py [--edits 1000] [--body-chars 3000] [--database-url postgres://…/scratch]

Makes an article with a body of ``--body-chars`` characters of Chinese text,
three categories and five tags, then saves it ``--edits`` times as an editor
does (a changed paragraph each time, inside ``reversion.create_revision()``
with a user and a comment) and prints the revision and version rows added and
their size: the stored payload (serialized data, object text and comment) on
any database, and on PostgreSQL also the growth of the two tables with their
indexes (``pg_total_relation_size``). A scratch SQLite database is the default;
``--database-url`` must name a database that may be wiped (it is migrated).
"""

import argparse
import os
import sys
import tempfile
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
PARAGRAPH = "动力电池企业公布新一代电芯路线图，能量密度提升百分之二十，快充时间缩短到十五分钟，回收体系同步建设。"


def set_up(database_url: str, workdir: Path) -> None:
    os.environ.update(
        DJANGO_SETTINGS_MODULE="newsroom.settings",
        DATABASE_URL=database_url or f"sqlite:///{workdir / 'bench.sqlite3'}",
        MEDIA_ROOT=str(workdir / "media"),
        SECRET_KEY="bench-only",
        DEBUG="false",
        HTTPS="false",
        LOG_LEVEL="WARNING",
    )
    sys.path.insert(0, str(PROJECT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def table_bytes() -> int | None:
    from django.db import connection

    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_total_relation_size('reversion_revision') + pg_total_relation_size('reversion_version')"
        )
        return cursor.fetchone()[0]


def payload_bytes() -> int:
    from django.db.models import Sum
    from django.db.models.functions import Length
    from reversion.models import Revision, Version

    versions = Version.objects.aggregate(
        n=Sum(Length("serialized_data")) + Sum(Length("object_repr")) + Sum(Length("object_id"))
    )["n"]
    comments = Revision.objects.aggregate(n=Sum(Length("comment")))["n"]
    return (versions or 0) + (comments or 0)


def edit_many(edits: int, body_chars: int) -> None:
    import reversion
    from django.contrib.auth.models import User

    from content.models import Article, Author, Category

    user, _ = User.objects.get_or_create(username="bench-editor")
    paragraphs = max(1, body_chars // len(PARAGRAPH))
    article = Article.objects.create(
        title="修订成本基准文章",
        author=Author.objects.get_or_create(name="编辑部")[0],
        body_source="".join(f"<p>{PARAGRAPH}</p>" for _ in range(paragraphs)),
    )
    article.categories.set([Category.objects.get_or_create_path(["新媒体", f"来源{n}", "新闻"]) for n in range(3)])
    article.tags.set(["电池", "快充", "回收", "新能源", "电动汽车"])
    for n in range(edits):
        with reversion.create_revision():
            article.body_source = article.body_source.replace("<p>", f"<p>第{n}次修改：", 1)
            article.save_as_editor()
            reversion.set_user(user)
            reversion.set_comment("已修改 正文（原文）。")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--edits", type=int, default=1000)
    parser.add_argument("--body-chars", type=int, default=3000)
    parser.add_argument("--database-url", default="")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as workdir:
        set_up(options.database_url, Path(workdir))
        from reversion.models import Revision, Version

        Version.objects.all().delete()
        Revision.objects.all().delete()
        before = table_bytes()
        edit_many(options.edits, options.body_chars)
        after = table_bytes()
        per_thousand = 1000 / options.edits
        revisions, versions = Revision.objects.count(), Version.objects.count()
        print(f"{options.edits} edits of a {options.body_chars}-character article with 3 categories and 5 tags:")
        rows = (revisions + versions) * per_thousand
        print(f"  rows: {revisions} revisions + {versions} versions ({rows:.0f} per 1,000 edits)")
        print(f"  payload: {payload_bytes() * per_thousand / 2**20:.2f} MiB per 1,000 edits")
        if before is not None:
            print(f"  PostgreSQL tables and indexes: {(after - before) * per_thousand / 2**20:.2f} MiB per 1,000 edits")


if __name__ == "__main__":
    main()
