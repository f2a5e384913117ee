"""Never lose work, in Chromium: typed text survives a reload through autosave;
with two editors, the second save over a newer one is refused with the difference."""

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from tests.browser.conftest import ADMIN_PASSWORD, DESKTOP, take_screenshot
from tests.builders import change_url, make_article

sync_api = pytest.importorskip("playwright.sync_api")
expect = sync_api.expect


def test_an_editor_types_reloads_and_restores_the_autosave(desk):
    page, url = desk
    article = make_article("自动保存的文章", body="<p>原来的正文。</p>")
    page.goto(url + change_url(article))
    page.fill("#id_title", "还没保存的新标题")
    page.get_by_role("textbox", name="正文").click()
    page.keyboard.press("Control+End")
    page.keyboard.type("刚打的一句话。")
    expect(page.locator(".autosave-status")).to_contain_text("已自动保存")  # after a pause in typing
    page.reload()
    expect(page.locator(".autosave-offer")).to_be_visible()
    expect(page.locator("#id_title")).to_have_value("自动保存的文章")  # the article itself is untouched
    take_screenshot(page, "admin-autosave-offer-1280", full_page=False)
    page.get_by_role("button", name="恢复自动保存的内容").click()
    expect(page.locator("#id_title")).to_have_value("还没保存的新标题")
    expect(page.get_by_role("textbox", name="正文")).to_contain_text("刚打的一句话。")
    page.click("input[name=_continue]")
    expect(page.locator(".messagelist")).to_contain_text("还没保存的新标题")
    expect(page.locator(".autosave-offer")).to_have_count(0)


def test_the_second_save_over_a_newer_one_is_refused_with_the_difference(desk, chromium, live_server):
    page, url = desk
    User.objects.create_superuser("laoli", password=ADMIN_PASSWORD)
    article = make_article("两人同时编辑", body="<p>原来的正文。</p>")
    change = url + change_url(article)
    other_context = chromium.new_context(viewport=DESKTOP, locale="zh-CN", timezone_id="Asia/Shanghai")
    other = other_context.new_page()
    try:
        other.goto(f"{url}{reverse('admin:login')}?next={reverse('admin:index')}")
        other.fill("#id_username", "laoli")
        other.fill("#id_password", ADMIN_PASSWORD)
        other.click("input[type=submit]")
        page.goto(change)
        other.goto(change)

        other.fill("#id_title", "老李先保存的标题")
        other.click("input[name=_continue]")
        expect(other.locator(".messagelist")).to_contain_text("老李先保存的标题")

        page.fill("#id_title", "我后保存的标题")
        page.click("input[name=_continue]")
        expect(page.locator(".errornote, .errorlist").first).to_be_visible()
        expect(page.locator("body")).to_contain_text("laoli 在")
        expect(page.locator("table.conflict-diff ins").first).to_be_visible()
        take_screenshot(page, "admin-conflict-refused-1280")
        article.refresh_from_db()
        assert article.title == "老李先保存的标题"
    finally:
        other_context.close()
