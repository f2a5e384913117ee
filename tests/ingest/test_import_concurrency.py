"""Two import runs over the same folder at the same time (PostgreSQL)."""

import subprocess
import sys

import pytest
from django.db import connection

from content.models import Article, ArticleSource, Author, Category, Tag
from tests.conftest import PROJECT_DIR, subprocess_env

POSTS = 40


def _write_posts(folder):
    """Posts that share authors, categories and tags, plus cross-feed twins, so the runs collide."""
    for n in range(POSTS):
        feed = ["新媒体", f"来源{n % 3}", "新闻"] if n % 5 else ["设计", "来源0", "推荐"]
        title = f"并发导入的文章{n // 2 if n % 5 == 0 else n}"
        (folder / f"post-{n:03}.md").write_text(
            f"\n---\ntitle: '{title}'\ncategories: \n" + "".join(f" - {c}\n" for c in feed) + f"author: 来源{n % 3}\n"
            "date: Mon, 29 Aug 2022 04:01:00 GMT\ntags: [电动汽车, 芯片]\n---\n\n"
            f'<div><p>正文 {title}，<span class="hrefStyle"><a title="充电">充电</a></span>。</p></div>\n',
            encoding="utf-8",
        )


@pytest.mark.slow
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_imports_create_no_duplicates(tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: set DATABASE_URL")
    _write_posts(tmp_path)
    env = subprocess_env("newsroom.test_settings", tmp_path / "media")
    command = [sys.executable, "manage.py", "import_posts", str(tmp_path)]
    runs = [
        subprocess.Popen(command, cwd=PROJECT_DIR, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for _ in range(2)
    ]
    outputs = [run.communicate(timeout=120) for run in runs]
    assert [run.returncode for run in runs] == [0, 0], outputs
    assert ArticleSource.objects.count() == POSTS
    distinct_titles = len({f"{n // 2 if n % 5 == 0 else n}" for n in range(POSTS)})
    assert Article.objects.count() == distinct_titles
    assert Author.objects.count() == 3
    assert Tag.objects.count() == 3
    assert Category.objects.filter(parent=None).count() == 2
