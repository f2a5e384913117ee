"""Pictures in the story, in Chromium: paste an image into the editor, give its
alt text, save; the reader page serves it with srcset, sizes, width and height."""

import base64

import pytest

from content.models import Article
from tests.browser.conftest import take_screenshot
from tests.builders import add_url, image_bytes

sync_api = pytest.importorskip("playwright.sync_api")
expect = sync_api.expect

PASTE_IMAGE = """async (data) => {
  const bytes = Uint8Array.from(atob(data), c => c.charCodeAt(0));
  const transfer = new DataTransfer();
  transfer.items.add(new File([bytes], "截图.jpg", {type: "image/jpeg"}));
  const target = document.querySelector(".ProseMirror[contenteditable]");
  target.dispatchEvent(new ClipboardEvent("paste", {clipboardData: transfer, bubbles: true, cancelable: true}));
}"""


def test_an_editor_pastes_a_picture_gives_its_alt_text_and_readers_get_srcset(desk):
    page, url = desk
    page.goto(url + add_url())
    page.fill("#id_title", "充电桩建设提速")
    page.get_by_role("textbox", name="正文").click()
    page.keyboard.type("城市快充站数量翻番，新建站点多在高速服务区。")
    page.once("dialog", lambda dialog: dialog.accept("高速服务区里的一排快充桩"))
    page.evaluate(PASTE_IMAGE, base64.b64encode(image_bytes(2000, 1200)).decode())
    expect(page.locator(".ProseMirror figure img")).to_have_attribute("alt", "高速服务区里的一排快充桩")
    take_screenshot(page, "admin-editor-pasted-image-1280", full_page=False)
    page.select_option("#id_status", "published")
    page.click("input[name=_save]")
    expect(page.locator(".messagelist")).to_contain_text("充电桩建设提速")

    page.goto(url + Article.objects.get(title="充电桩建设提速").get_absolute_url())
    picture = page.locator(".article-body img")
    expect(picture).to_have_attribute("alt", "高速服务区里的一排快充桩")
    assert "480w" in picture.get_attribute("srcset") and "1600w" in picture.get_attribute("srcset")
    assert picture.get_attribute("sizes") and picture.get_attribute("width") == "960"
    assert picture.evaluate("img => img.complete && img.naturalWidth > 0")
    take_screenshot(page, "article-with-library-picture-1280")
