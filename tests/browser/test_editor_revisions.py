"""Revisions in Chromium: edit twice, compare two revisions side by side, restore the first."""

import pytest

from tests.browser.conftest import take_screenshot
from tests.builders import change_url, make_article

sync_api = pytest.importorskip("playwright.sync_api")
expect = sync_api.expect


def edit(page, url, article, title, body):
    page.goto(url + change_url(article))
    page.fill("#id_title", title)
    page.get_by_role("textbox", name="正文").click()
    page.keyboard.press("Control+A")
    page.keyboard.type(body)
    page.click("input[name=_continue]")
    expect(page.locator(".messagelist")).to_contain_text(title)


def test_an_editor_compares_two_revisions_and_restores_the_first(desk):
    page, url = desk
    article = make_article("固态电池量产时间表", body="<p>初稿。</p>")
    edit(page, url, article, "固态电池量产时间表公布", "三家企业公布固态电池量产时间表。")
    edit(page, url, article, "固态电池量产推迟", "三家企业宣布固态电池量产推迟一年。")

    page.get_by_role("link", name="历史").click()
    expect(page.locator("#revisions tbody tr")).to_have_count(2)
    page.get_by_role("button", name="比较所选的两个版本").click()
    expect(page.locator("table.compare ins").first).to_be_visible()
    expect(page.locator("table.compare")).to_contain_text("宣布")
    take_screenshot(page, "admin-revisions-compare-1280")

    page.get_by_role("button", name="恢复到旧版本").click()
    expect(page.locator(".messagelist")).to_contain_text("已恢复到")
    expect(page.locator("#id_title")).to_have_value("固态电池量产时间表公布")
    page.goto(url + article.get_absolute_url())
    expect(page.locator(".article-body")).to_contain_text("三家企业公布固态电池量产时间表。")
