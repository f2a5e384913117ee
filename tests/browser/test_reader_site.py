"""The reader's site on a phone and a desktop, in both themes, with the ten
top-level categories of the corpus: width, dark mode, 热门's read counter on
cached pages, the WeChat QR code, failed pictures. Screenshots of home,
article and category at 360 and 1280 px, light and dark, go to test-artifacts/."""

import base64

import pytest

from content.models import Article, Category
from reader import most_read
from tests.browser.conftest import DESKTOP, PHONE, SEED_TITLE, TOP_CATEGORIES, every_page_type, reader_urls

expect = pytest.importorskip("playwright.sync_api").expect

NARROWEST = {"width": 320, "height": 640}
DARK_BACKGROUND = "rgb(22, 24, 28)"
LIGHT_BACKGROUND = "rgb(255, 255, 255)"
READER_AGENT = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0 Safari/537.36"
SECOND_READER_AGENT = "Mozilla/5.0 (Linux; Android 15) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0 Mobile"

PAGE_WIDTH = "() => document.documentElement.scrollWidth"
BACKGROUND = "() => getComputedStyle(document.documentElement).backgroundColor"


def test_the_category_bar_lists_the_ten_sections(browser_page, reader_site):
    browser_page.goto(reader_site)
    names = browser_page.locator(".site-nav a").all_inner_texts()
    assert sorted(names) == sorted(TOP_CATEGORIES)


@pytest.mark.parametrize("viewport", [NARROWEST, PHONE], ids=["320", "360"])
def test_no_page_is_wider_than_a_phone(browser_page, reader_site, viewport):
    browser_page.set_viewport_size(viewport)
    too_wide = {}
    for name, url in every_page_type().items():
        browser_page.goto(reader_site + url)
        if (width := browser_page.evaluate(PAGE_WIDTH)) > viewport["width"]:
            too_wide[name] = width
    assert not too_wide, f"pages wider than {viewport['width']} px: {too_wide}"


def test_the_category_bar_scrolls_inside_itself_on_a_phone(browser_page, reader_site):
    browser_page.set_viewport_size(PHONE)
    browser_page.goto(reader_site)
    bar = browser_page.locator(".site-nav ul")
    assert bar.evaluate("bar => bar.scrollWidth > bar.clientWidth")
    last = browser_page.locator(".site-nav a").last
    name = last.inner_text()
    last.scroll_into_view_if_needed()
    last.click()
    expect(browser_page.get_by_role("heading", level=1)).to_have_text(name)
    expect(browser_page.locator(".site-nav a[aria-current]")).to_have_text(name)


def test_the_article_body_is_not_justified(browser_page, reader_site):
    browser_page.goto(reader_site + reader_urls()["article"])
    assert browser_page.locator(".article-body p").first.evaluate("p => getComputedStyle(p).textAlign") == "start"


def test_latin_apostrophes_are_not_full_width(browser_page, reader_site):
    """I’m and Diffie’s keep a Latin apostrophe: the font stack puts Latin fonts before CJK ones."""
    browser_page.goto(reader_site + every_page_type()["wide article"])
    widths = browser_page.locator(".article-body").evaluate(
        """body => ["’", "中"].map(text => {
          const span = document.createElement("span");
          span.textContent = text;
          body.append(span);
          return span.getBoundingClientRect().width;
        })"""
    )
    apostrophe, ideograph = widths
    assert apostrophe < ideograph / 2, widths


def test_dark_mode_follows_the_system_setting(browser_page, reader_site):
    browser_page.emulate_media(color_scheme="dark")
    browser_page.goto(reader_site)
    assert browser_page.evaluate(BACKGROUND) == DARK_BACKGROUND
    browser_page.emulate_media(color_scheme="light")
    assert browser_page.evaluate(BACKGROUND) == LIGHT_BACKGROUND


def test_the_theme_toggle_is_remembered_on_the_next_page(browser_page, reader_site):
    browser_page.goto(reader_site)
    toggle = browser_page.get_by_role("button", name="深色模式")
    expect(toggle).to_have_attribute("aria-pressed", "false")
    toggle.click()
    assert browser_page.evaluate(BACKGROUND) == DARK_BACKGROUND
    browser_page.goto(reader_site + reader_urls()["category"])
    expect(browser_page.get_by_role("button", name="深色模式")).to_have_attribute("aria-pressed", "true")
    assert browser_page.evaluate(BACKGROUND) == DARK_BACKGROUND


def test_the_chosen_theme_is_applied_before_the_page_is_drawn(browser_page, reader_site):
    """No flash of the other theme: the choice is read by a blocking script in <head>."""
    browser_page.goto(reader_site)
    browser_page.evaluate("() => localStorage.setItem('theme', 'dark')")
    seen = []
    browser_page.on("console", lambda message: seen.append(message.text))
    # The first change of readyState comes once the whole document is parsed, before it is first drawn.
    browser_page.add_init_script(
        "document.addEventListener('readystatechange',"
        " () => console.log('theme ' + document.documentElement.dataset.theme), {once: true})"
    )
    browser_page.goto(reader_site)
    assert browser_page.locator("head script:not([defer]):not([async])").count() == 1
    assert [text for text in seen if text.startswith("theme ")] == ["theme dark"]


def test_the_read_counter_counts_pages_served_from_the_cache(chromium, reader_site):
    article = Article.objects.get(title=SEED_TITLE)
    url = reader_site + article.get_absolute_url()

    def read_as(agent: str, *, times: int = 1) -> None:
        context = chromium.new_context(user_agent=agent)
        page = context.new_page()
        for _ in range(times):
            with page.expect_request(lambda request: "/read/" in request.url and request.method == "POST"):
                page.goto(url)
            page.wait_for_load_state("networkidle")
        context.close()

    read_as(READER_AGENT)
    # The second reader gets the cached page: a change made without telling the cache stays unseen.
    Article.objects.filter(pk=article.pk).update(title="改过但未失效的标题")
    read_as(SECOND_READER_AGENT, times=2)  # a repeat read by the same reader counts once
    check = chromium.new_context()
    page = check.new_page()
    assert SEED_TITLE in page.goto(url).text()  # still from the cache
    # The live server shares the in-memory SQLite database: let the page's own requests finish before writing.
    page.wait_for_load_state("networkidle")
    check.close()
    Article.objects.filter(pk=article.pk).update(title=SEED_TITLE)
    (top,) = [item for item in most_read.refresh()["day"] if item.url == article.get_absolute_url()]
    assert top.reads == 2


def test_the_wechat_qr_code_decodes_to_the_article_url(browser_page, reader_site, node_script):
    """Decoded by jsQR (npm) from a screenshot of the code as the reader sees it."""
    jsqr = node_script("jsqr/dist/jsQR.js")
    article = Article.objects.get(title=SEED_TITLE)
    browser_page.goto(reader_site + article.get_absolute_url())
    browser_page.get_by_text("微信", exact=True).click()
    code = browser_page.locator(".share img.qr")
    code.evaluate("image => image.decode()")  # fetched once the box opens
    png = code.screenshot()
    # Decoded on a blank page: the site's CSP rightly refuses data: images.
    browser_page.goto("about:blank")
    browser_page.evaluate(jsqr.read_text())
    decoded = browser_page.evaluate(
        """async png => {
          const image = new Image();
          image.src = "data:image/png;base64," + png;
          await image.decode();
          const canvas = document.createElement("canvas");
          canvas.width = image.width; canvas.height = image.height;
          const context = canvas.getContext("2d");
          context.drawImage(image, 0, 0);
          const pixels = context.getImageData(0, 0, canvas.width, canvas.height);
          const code = jsQR(pixels.data, pixels.width, pixels.height);
          return code && code.data;
        }""",
        base64.b64encode(png).decode(),
    )
    assert decoded == reader_site + article.get_absolute_url()


@pytest.mark.parametrize("url", ["/feed/", "/feed/atom/"])
def test_a_feed_opened_in_the_browser_reads_as_a_page(browser_page, reader_site, url, settings):
    browser_page.goto(reader_site)
    if not browser_page.evaluate("() => typeof XSLTProcessor === 'function'"):
        pytest.skip("this Chromium no longer applies XSL stylesheets")
    browser_page.goto(reader_site + url)
    expect(browser_page.get_by_role("heading", level=1)).to_have_text(f"{settings.SITE_NAME}：{settings.SITE_TAGLINE}")
    expect(browser_page.get_by_role("link", name=SEED_TITLE)).to_be_visible()


def test_a_failed_picture_shows_a_placeholder_not_a_broken_image(browser_page, reader_site):
    browser_page.goto(reader_site + Category.objects.get(parent=None, name="编程").get_absolute_url())
    picture = browser_page.locator(".card-image img")
    expect(picture).to_have_class("failed")
    assert picture.evaluate("img => getComputedStyle(img).visibility") == "hidden"
    box = browser_page.locator(".card-image").bounding_box()
    assert box["width"] > 0 and abs(box["height"] - box["width"] * 3 / 4) < 2  # the 4:3 placeholder


@pytest.mark.parametrize("theme", ["light", "dark"])
@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["360", "1280"])
def test_screenshots_of_home_article_and_category(browser_page, reader_site, screenshot, viewport, theme):
    browser_page.set_viewport_size(viewport)
    browser_page.emulate_media(color_scheme=theme)
    wide = every_page_type()["wide article"]
    for name, url in [*reader_urls().items(), ("wide-article", wide)]:
        browser_page.goto(reader_site + url)
        browser_page.evaluate("() => document.fonts.ready")
        screenshot(browser_page, f"{name}-{viewport['width']}-{theme}")
