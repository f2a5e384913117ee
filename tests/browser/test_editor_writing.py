"""Writing in the rich-text editor (django-prose-editor) in Chromium: the toolbar
makes headings, bold, lists and links; imported HTML opens without losing text;
Markdown keeps its textarea with a live preview."""

import pytest

from content.models import Article
from content.rendering import visible_text
from tests.browser.conftest import take_screenshot
from tests.builders import add_url, change_url, make_article

sync_api = pytest.importorskip("playwright.sync_api")
expect = sync_api.expect

IMPORTED = (
    '<div>\n<p>某电池厂商发布新一代<span class="hrefStyle">'
    '<a href="https://www.ofweek.com/tag/1.html" title="电动汽车">电动汽车</a></span>电池。</p>\n'
    '<p><img src="https://images.example/lg.jpg" referrerpolicy="no-referrer"></p>'
    "<h1>一级标题的小节</h1><table><tr><th>指标</th><td>数值</td></tr></table>"
    "<pre><code>print('快充')</code></pre><blockquote>引用的话</blockquote><ol><li>第一</li><li>第二</li></ol>"
    '<figure><img src="https://images.example/b.jpg" alt="电芯"><figcaption>新一代电芯</figcaption></figure></div>'
)


def body_box(page):
    return page.get_by_role("textbox", name="正文")


def test_an_editor_writes_a_heading_a_bold_word_a_list_and_a_link_with_the_toolbar(desk):
    page, url = desk
    page.goto(url + add_url())
    page.fill("#id_title", "快充电池量产")
    editor = body_box(page)
    editor.click()
    page.keyboard.type("量产时间表")
    page.locator(".prose-menubar__selected").click()
    page.locator(".prose-menubar__option[data-name=heading2]").click()
    page.keyboard.press("End")
    page.keyboard.press("Enter")
    page.keyboard.type("三家企业宣布")
    page.get_by_role("button", name="粗体").click()
    page.keyboard.type("量产")
    page.get_by_role("button", name="粗体").click()
    expect(editor.locator("strong")).to_have_text("量产")
    page.keyboard.press("Enter")
    page.get_by_role("button", name="项目列表").click()
    page.keyboard.type("续航更长")
    page.keyboard.press("Enter")
    page.keyboard.type("充电更快")
    page.keyboard.press("Enter")
    page.keyboard.press("Enter")
    page.keyboard.type("详见公告")
    page.keyboard.press("Shift+Home")
    page.get_by_role("button", name="插入链接").click()
    page.get_by_role("textbox", name="网址", exact=True).fill("https://example.com/notice")
    page.get_by_role("button", name="确定").click()
    take_screenshot(page, "admin-editor-toolbar-1280", full_page=False)
    page.click("input[name=_save]")
    expect(page.locator(".messagelist")).to_contain_text("快充电池量产")
    body = Article.objects.get(title="快充电池量产").body
    assert "<h2>量产时间表</h2>" in body
    assert "<strong>量产</strong>" in body
    assert "<li><p>续航更长</p></li>" in body or "<li>续航更长</li>" in body
    assert 'href="https://example.com/notice"' in body and ">详见公告</a>" in body


def test_imported_html_opens_in_the_editor_without_losing_text(desk):
    page, url = desk
    article = make_article("导入的文章", body=IMPORTED)
    page.goto(url + change_url(article))
    shown = body_box(page).inner_text()
    assert " ".join(shown.split()) == " ".join(visible_text(article.body).split())
    assert page.locator(".ProseMirror img").count() == 2
    body_box(page).click()
    page.keyboard.press("Control+End")
    page.keyboard.type("补充一句。")
    page.click("input[name=_save]")
    article.refresh_from_db()
    assert visible_text(article.body).replace("补充一句。", "").split() == visible_text(IMPORTED).split()


def test_markdown_keeps_a_textarea_with_a_live_preview(desk):
    page, url = desk
    page.goto(url + add_url())
    page.select_option("#id_body_format", "markdown")
    expect(page.locator(".ProseMirror[contenteditable]")).to_have_count(0)
    page.fill("#id_body_source", "## 小标题\n\n**重点**内容")
    expect(page.locator(".markdown-preview-body h2")).to_have_text("小标题")
    expect(page.locator(".markdown-preview-body strong")).to_have_text("重点")


def test_a_body_with_a_player_stays_in_its_html_textarea(desk):
    page, url = desk
    body = '<p>发布会视频：</p><iframe src="https://player.bilibili.com/player.html?bvid=BV1"></iframe>'
    article = make_article("有视频的文章", body=body)
    page.goto(url + change_url(article))
    expect(page.locator(".editor-players-note")).to_be_visible()
    expect(page.locator("#id_body_source")).to_have_value(body)
    expect(page.locator(".ProseMirror[contenteditable]")).to_have_count(0)
