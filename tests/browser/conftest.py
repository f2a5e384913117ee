"""Browser tests: Debian's headless Chromium driven by Playwright (sync API)
against pytest-django's ``live_server``.

Fixtures other test modules may rely on:

- ``browser_page``: a Playwright ``Page`` in a fresh browser context per test,
  1280×800 desktop viewport, zh-CN locale, Asia/Shanghai time zone;
- ``screenshot`` (or ``take_screenshot(page, name)``): a full-page PNG in
  ``test-artifacts/``, which CI keeps;
- ``reader_site``: the live server's URL, with the seed post and a few more
  articles published;
- ``desk``: (page, live server URL) with a superuser logged in to the admin
  and a dozen long-titled articles.

Where Chromium or Playwright is missing the tests using ``browser_page`` skip,
unless ``NEWSROOM_BROWSER_TESTS=required`` (CI), which turns that into a failure.
``tests/browser/install.sh`` installs everything.
"""

import datetime as dt
import os
import shutil
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.urls import reverse
from django.utils import timezone

from content.models import Article, Category, ReadCount, Tag
from reader import most_read
from tests.builders import make_article, make_author, make_category
from tests.conftest import PROJECT_DIR, import_posts

try:
    from playwright.sync_api import sync_playwright
except ImportError:  # pragma: no cover - depends on the machine
    sync_playwright = None

CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
# Without the networking switches Chromium keeps calling Google's hosts, which this network refuses.
LAUNCH_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 360, "height": 740}
ARTIFACTS = PROJECT_DIR / "test-artifacts"
NODE_MODULES = PROJECT_DIR / "node_modules"
SEEDS_DIR = PROJECT_DIR / "seeds"
BROWSER_TESTS = Path(__file__).parent


def require(missing: str) -> None:
    """Skip the test for want of a tool, or fail when CI says the tools must be there."""
    if os.environ.get("NEWSROOM_BROWSER_TESTS") == "required":
        pytest.fail(f"{missing} (run tests/browser/install.sh)")
    pytest.skip(f"{missing} (run tests/browser/install.sh)")


def pytest_configure(config):
    config.addinivalue_line("markers", "browser: drives headless Chromium (skipped where it is missing)")


def pytest_collection_modifyitems(items):
    for item in items:
        if "browser_page" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.browser)
        # Every test of this folder is slow (a live server, Chromium); the hook sees the whole run's items.
        if item.path.is_relative_to(BROWSER_TESTS):
            item.add_marker(pytest.mark.slow)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    item.stash.setdefault("reports", {})[report.when] = report
    return report


@pytest.fixture(scope="package")
def chromium():
    """One browser for the tests of this folder, gone before other tests run."""
    if sync_playwright is None:
        require("Python playwright is not installed")
    if not CHROMIUM.exists():
        require(f"{CHROMIUM} is missing")
    # Playwright's sync API keeps an event loop running in the test thread, and
    # Django then refuses database access from test code as "async unsafe". Only
    # while the browser runs: the variable must not reach other tests' subprocesses.
    with pytest.MonkeyPatch.context() as patch, sync_playwright() as playwright:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def browser_page(chromium, request):
    context = chromium.new_context(viewport=DESKTOP, locale="zh-CN", timezone_id="Asia/Shanghai")
    page = context.new_page()
    yield page
    call = request.node.stash.get("reports", {}).get("call")
    if call is not None and call.failed:
        take_screenshot(page, f"failed-{request.node.name}")
    # Offline first: a page that sends a beacon as it closes (the admin's autosave)
    # must not reach the live server while the test database is being flushed.
    context.set_offline(True)
    context.close()


# Lazy images below the fold would be blank in a full-page screenshot: load
# them all, waiting at most a few seconds for each.
LOAD_LAZY_IMAGES = """async () => {
  const images = [...document.images];
  images.forEach(image => { image.loading = "eager"; });
  const loaded = image => image.complete || new Promise(done => { image.onload = image.onerror = done; });
  const patience = new Promise(done => setTimeout(done, 5000));
  await Promise.race([Promise.all(images.map(loaded)), patience]);
}"""


def take_screenshot(page, name: str, *, full_page: bool = True) -> Path:
    """Save what ``page`` shows as ``test-artifacts/<name>.png`` (all its images loaded)."""
    ARTIFACTS.mkdir(exist_ok=True)
    if full_page:
        page.evaluate(LOAD_LAZY_IMAGES)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page)
    return path


@pytest.fixture
def screenshot():
    return take_screenshot


SEED_TITLE = "动力电池技术观察：续航、快充与回收成为新能源汽车竞争焦点"


def reader_urls() -> dict[str, str]:
    """The pages the accessibility and validity checks visit, on ``reader_site``."""
    article = Article.objects.get(title=SEED_TITLE)
    category = Category.objects.get(parent=None, name="新媒体")
    return {
        "home": "/",
        "article": article.get_absolute_url(),
        "category": category.get_absolute_url(),
        "search": "/search/?q=电动汽车",
    }


def every_page_type() -> dict[str, str]:
    """One page of each kind on ``reader_site``, the widest article among them."""
    wide = Article.objects.get(title__startswith="编程频道")
    local = timezone.localtime(wide.published_at)
    return {
        **reader_urls(),
        "wide article": wide.get_absolute_url(),
        "sub-category": wide.categories.get().get_absolute_url(),
        "tag": Tag.objects.get(name="电动汽车").get_absolute_url(),
        "author": wide.author.get_absolute_url(),
        "year": reverse("articles:year", args=[local.year]),
        "month": reverse("articles:month", args=[local.year, local.month]),
        "home page 2": "/?page=2",
        "not found": "/no-such-page/",
    }


@pytest.fixture
def reader_site(transactional_db, live_server, settings):
    """The live server with the seed post (its images in media) and enough
    other articles for pagination, related articles and archives."""
    result = import_posts(SEEDS_DIR)
    assert not result.failed, result.stderr
    seed = Article.objects.get(title=SEED_TITLE)
    category = make_category("新媒体", "高科技行业门户", "新闻")
    source = make_author("36氪", kind="source")
    for n in range(12):
        image = seed.thumbnail if n % 3 == 0 else ""
        article = make_article(
            f"新能源观察第{n + 1}期：充电网络与电池回收",
            body=f"<p>第{n + 1}期：电动汽车充电桩建设提速，电池回收进入规模化阶段。</p>",
            author=source,
            days_ago=n + 2,
            head_image=image,
            thumbnail=image,
        )
        article.categories.add(category)
        article.tags.add("电动汽车" if n % 2 else "储能")
        # Something for 热门 to show (the seed post's reads are left to the tests).
        ReadCount.objects.create(article=article, hour=timezone.now() - dt.timedelta(hours=n * 15), reads=20 - n)
    most_read.refresh()
    add_corpus_sections()
    return live_server.url


# The corpus's ten top-level categories, so the category bar is as long as the real site's.
TOP_CATEGORIES = ["新媒体", "编程", "图片", "二次元", "游戏", "金融", "音视频", "阅读", "博客", "设计"]
# What imported bodies bring that can push a page wider than a phone: long
# Latin words and URLs, code, tables, a picture that fails and one without alt.
WIDE_BODY = (
    "<h1>Diffie–Hellman 密钥交换：I’m Something 的“Diffie’s”注解</h1>"
    "<p>在昨天推出的 AI 加速卡 NVIDIA-H200-SXM5-141GB-HBM3e 上，官方称 supercalifragilisticexpialidocious"
    " 性能提升 https://example.com/a/very/long/path/that/never/breaks/by/itself/0123456789abcdef 两倍。</p>"
    "<pre><code>for (let index = 0; index &lt; pipeline.stages.length; index++) "
    "{ console.log(pipeline.stages[index].name, pipeline.stages[index].duration); }</code></pre>"
    "<table><tr><th>型号</th><th>显存</th><th>带宽</th><th>功耗</th><th>价格</th><th>上市时间</th></tr>"
    "<tr><td>H200-SXM5</td><td>141 GB HBM3e</td><td>4.8 TB/s</td><td>700 W</td><td>约 30,000 美元</td>"
    "<td>2024 年第二季度</td></tr></table>"
    '<p><img src="http://127.0.0.1:9/missing.png"></p>'
    '<h4>小结</h4><p>文末<a href="https://example.com/"> </a>链接。</p>'
)


def add_corpus_sections() -> None:
    """An article in each top-level category (one of them with a wide body)."""
    for n, name in enumerate(TOP_CATEGORIES[1:]):
        article = make_article(
            f"{name}频道：Diffie’s 算法与 AI 加速卡的一周" if n == 0 else f"{name}频道本周要闻",
            body=WIDE_BODY if n == 0 else f"<p>{name}频道的新闻，I’m Something 与 AI 加速卡。</p>",
            author=make_author("少数派", kind="source"),
            days_ago=n + 2000,  # older than the seed post, which stays on the first page
            thumbnail="http://127.0.0.1:9/missing-thumbnail.png" if n == 0 else "",
        )
        article.categories.add(make_category(name, "少数派", "推荐"))


ADMIN_PASSWORD = "newsroom-2024!"
LONG_TITLE = "动力电池技术观察：续航、快充与回收成为新能源汽车竞争焦点，三家头部企业公布新一代电芯路线图"


@pytest.fixture
def desk(transactional_db, live_server, browser_page):
    """A logged-in superuser (the author 主编) on the live server, with a list worth of articles."""
    make_author("主编", user=User.objects.create_superuser("zhubian", password=ADMIN_PASSWORD))
    category = make_category("新媒体", "高科技行业门户", "新闻")
    for n in range(12):
        article = make_article(
            f"{LONG_TITLE}（{n + 1}）",
            author=make_author(f"来源{n % 4}", kind="source"),
            thumbnail="/static/admin/img/icon-yes.svg",
            days_ago=n - 2,
        )
        article.categories.add(category)
        article.tags.add("电动汽车", "动力电池", "储能")
    page = browser_page
    page.goto(live_server.url + reverse("admin:login"))
    page.fill("#id_username", "zhubian")
    page.fill("#id_password", ADMIN_PASSWORD)
    page.click("input[type=submit]")
    return page, live_server.url


@pytest.fixture
def node_script():
    """The path of a file in node_modules (axe-core), or a skip when npm packages are missing."""

    def find(relative: str) -> Path:
        path = NODE_MODULES / relative
        if not path.exists():
            require(f"{path} is missing")
        return path

    return find


@pytest.fixture
def java():
    path = shutil.which("java")
    if path is None:
        require("java is missing")
    return path
