"""The editors' desk in Chromium: axe finds nothing serious on the article list, the
change form and the admin home; the list fits 1280 px; a pinned story leads the home page."""

import pytest
from django.urls import reverse

from content.models import Article
from tests.browser.conftest import take_screenshot
from tests.browser.test_accessibility import SERIOUS, describe
from tests.builders import add_url, change_url, changelist_url, make_article

sync_api = pytest.importorskip("playwright.sync_api")
expect = sync_api.expect


def axe_serious(page, node_script) -> list[dict]:
    page.evaluate(node_script("axe-core/axe.min.js").read_text())
    results = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    return [v for v in results["violations"] if v["impact"] in SERIOUS]


@pytest.mark.parametrize("where", ["list", "change", "add", "home"])
def test_admin_pages_have_no_serious_accessibility_violations(desk, node_script, where):
    page, url = desk
    article = Article.objects.first()
    paths = {
        "list": changelist_url(),
        "change": change_url(article),
        "add": add_url(),
        "home": reverse("admin:index"),
    }
    page.goto(url + paths[where])
    page.wait_for_load_state("networkidle")
    take_screenshot(page, f"admin-{where}-1280")
    serious = axe_serious(page, node_script)
    assert not serious, describe(serious)


def test_the_article_list_fits_1280_pixels_with_titles_on_few_lines(desk):
    page, url = desk
    page.goto(url + changelist_url())
    widths = page.evaluate(
        "() => ({page: document.documentElement.scrollWidth, view: window.innerWidth,"
        " title: document.querySelector('#result_list th.field-title').getBoundingClientRect().width})"
    )
    assert widths["page"] <= widths["view"]
    assert widths["title"] >= 280  # about 20 characters a line, not one or two


def test_the_category_filter_is_a_search_box(desk):
    page, url = desk
    page.goto(url + changelist_url())
    page.locator("#changelist-filter .select2-selection").first.click()
    page.keyboard.type("新闻")
    page.get_by_role("option", name="新媒体 › 高科技行业门户 › 新闻").click()
    page.wait_for_url("**category=*")
    expect(page.locator("#result_list tbody tr")).to_have_count(12)


def test_an_editor_pins_a_story_and_it_leads_the_home_page(desk):
    page, url = desk
    story = make_article("央行发布数字人民币新规", days_ago=40)
    page.goto(url + change_url(story))
    page.fill("#id_pin_order", "1")
    page.click("input[name=_save]")
    expect(page.locator(".messagelist")).to_contain_text("央行发布数字人民币新规")
    page.goto(f"{url}/")
    lead = page.locator("section.featured article").first
    expect(lead).to_contain_text("央行发布数字人民币新规")
    take_screenshot(page, "home-with-pinned-story-1280")
