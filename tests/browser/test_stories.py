"""Stories in Chromium, at 360 and 1280 px: the home page shows one card for a
story three outlets carry, its sources within the screen; on the desk an
editor opens today's story and chooses another lead, which the home card then
follows. Screenshots of the card and the desk land in test-artifacts/."""

import pytest
from django.urls import reverse

from tests.browser.conftest import ARTIFACTS, DESKTOP, PHONE, take_screenshot
from tests.builders import make_story

sync_api = pytest.importorskip("playwright.sync_api")
expect = sync_api.expect

MINUTE = 1 / 24 / 60


@pytest.fixture
def story(desk):
    """A story three outlets ran in the last few minutes (today's, on the desk)."""
    return make_story("第一财经", "极客观察", "新浪科技", first_days_ago=5 * MINUTE, apart_days=MINUTE)


def fits_the_width(page) -> bool:
    return page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["360", "1280"])
def test_a_story_reads_as_one_card_naming_its_sources(desk, story, viewport):
    page, url = desk
    page.set_viewport_size(viewport)
    page.goto(f"{url}/")
    cards = page.locator("article.card", has_text="某车企发布第三款纯电轿车")
    expect(cards).to_have_count(1)
    sources = cards.locator(".story-sources")
    expect(sources).to_contain_text("3 家媒体报道")
    expect(sources.locator("a")).to_have_text(["极客观察", "新浪科技"])
    assert fits_the_width(page)
    cards.scroll_into_view_if_needed()
    cards.screenshot(path=str(ARTIFACTS / f"story-card-{viewport['width']}.png"))
    take_screenshot(page, f"story-home-{viewport['width']}")


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["360", "1280"])
def test_an_editor_chooses_the_lead_on_the_desk(desk, story, viewport):
    page, url = desk
    first, second, third = story
    page.set_viewport_size(viewport)
    page.goto(url + reverse("admin:stories_story_changelist"))
    row = page.locator("#result_list tbody tr", has_text=first.title)
    expect(row).to_contain_text("第一财经、极客观察、新浪科技")
    take_screenshot(page, f"story-desk-list-{viewport['width']}")
    row.locator("a", has_text=first.title).click()
    take_screenshot(page, f"story-desk-{viewport['width']}")
    page.locator("#story-members tr", has_text=second.title).get_by_role("button", name="设为主稿").click()
    expect(page.locator(".messagelist")).to_contain_text("已指定")
    expect(page.locator("#story-members tr.story-lead")).to_contain_text(second.title)
    page.goto(f"{url}/")
    card = page.locator("article.card", has_text="某车企发布第三款纯电轿车")
    expect(card).to_have_count(1)
    expect(card.locator("h3 a")).to_have_text(second.title)
    expect(card.locator(".story-sources a")).to_have_text(["第一财经", "新浪科技"])
