"""An editor's day in a real browser: log in, write in Markdown, publish, see it live.

Uses ``browser_page`` from tests/browser/conftest.py (a Playwright page in a
fresh headless-Chromium context, skipped when Chromium or Playwright is
missing) against pytest-django's ``live_server``.
"""

import importlib
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command
from django.urls import reverse

from tests.builders import add_url

sync_api = pytest.importorskip("playwright.sync_api")
expect = sync_api.expect

USERNAME, PASSWORD = "xiaowang", "newsroom-2024!"
TITLE = "国产大模型发布新版本"


def editors_group() -> None:
    """The Editors group as its data migration makes it: the flush after an
    earlier live-server test removed it."""
    importlib.import_module("content.migrations.0004_editors_group").create_group(apps, schema_editor=None)


def test_an_editor_writes_a_markdown_article_publishes_it_and_finds_it_on_the_home_page(live_server, browser_page):
    editors_group()
    call_command("create_editor", USERNAME, password=PASSWORD, author="小王", stdout=StringIO())
    page = browser_page
    page.goto(live_server.url + reverse("admin:login"))
    page.fill("#id_username", USERNAME)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")

    page.goto(live_server.url + add_url())
    page.fill("#id_title", TITLE)
    page.select_option("#id_body_format", "markdown")
    page.fill("#id_body_source", "**重点**：支持更长的上下文。\n\n- 推理更快\n- 价格更低")
    page.fill("#id_tags", "人工智能，大模型")
    page.click("input[name=_save]")
    expect(page.locator(".messagelist")).to_contain_text(TITLE)

    row = page.locator("#result_list tr", has=page.get_by_role("link", name=TITLE))
    expect(row).to_contain_text("草稿")
    row.locator("input.action-select").check()
    page.select_option("select[name=action]", "publish_now")
    page.click("button[name=index]")
    expect(page.locator(".messagelist")).to_contain_text("已发布 1 篇文章")

    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name=TITLE).first.click()
    expect(page.locator(".article-body strong")).to_have_text("重点")
    expect(page.locator(".article-body li")).to_have_text(["推理更快", "价格更低"])
