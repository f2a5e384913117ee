"""A reader's way through the site in a real browser, with screenshots of the
home and article pages at phone and desktop widths (kept in test-artifacts/)."""

import re

import pytest

from content.models import Article
from tests.browser.conftest import DESKTOP, PHONE, SEED_TITLE

expect = pytest.importorskip("playwright.sync_api").expect


@pytest.fixture
def seed_article(reader_site):
    return Article.objects.get(title=SEED_TITLE)


def test_reader_opens_an_article_from_home(browser_page, reader_site):
    browser_page.goto(reader_site)
    browser_page.get_by_role("link", name=SEED_TITLE).first.click()
    expect(browser_page.get_by_role("heading", level=1)).to_have_text(SEED_TITLE)
    expect(browser_page.locator(".byline")).to_contain_text("2022年8月29日 12:01")  # 04:01 GMT in Shanghai


def test_article_images_load_from_media(browser_page, reader_site, seed_article):
    browser_page.goto(reader_site + seed_article.get_absolute_url())
    images = browser_page.locator(".article-body img")
    expect(images).to_have_count(3)
    for image in images.all():
        image.scroll_into_view_if_needed()  # they load lazily
        expect(image).to_have_js_property("complete", True)
        assert image.evaluate("img => img.naturalWidth") > 0


def test_reader_follows_a_tag_from_an_article(browser_page, reader_site, seed_article):
    browser_page.goto(reader_site + seed_article.get_absolute_url())
    browser_page.locator(".tags").get_by_role("link", name="电动汽车").click()
    expect(browser_page.get_by_role("heading", level=1)).to_have_text("标签：电动汽车")
    expect(browser_page.get_by_role("link", name=SEED_TITLE)).to_be_visible()


def test_reader_searches_in_chinese_from_the_header(browser_page, reader_site):
    browser_page.goto(reader_site)
    browser_page.get_by_role("searchbox", name="搜索文章").fill("电动汽车")
    browser_page.get_by_role("button", name="搜索").click()
    expect(browser_page).to_have_url(re.compile(r"/search/\?q=%E7%94%B5%E5%8A%A8%E6%B1%BD%E8%BD%A6$"))
    expect(browser_page.get_by_role("link", name=SEED_TITLE)).to_be_visible()
    expect(browser_page.locator("mark").first).to_have_text("电动汽车")


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_home_and_article_fit_the_screen(browser_page, reader_site, seed_article, screenshot, viewport):
    browser_page.set_viewport_size(viewport)
    for name, url in [("home", "/"), ("article", seed_article.get_absolute_url())]:
        browser_page.goto(reader_site + url)
        browser_page.evaluate("() => document.fonts.ready")
        screenshot(browser_page, f"{name}-{viewport['width']}")
        page_width = browser_page.evaluate("() => document.documentElement.scrollWidth")
        assert page_width <= viewport["width"], f"{url} scrolls sideways at {viewport['width']} px"
