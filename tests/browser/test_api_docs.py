"""The API docs page (Swagger UI) works in a real browser under the site's
Content-Security-Policy: its scripts come from our own static files."""

import pytest

expect = pytest.importorskip("playwright.sync_api").expect


def test_the_api_docs_render_with_no_csp_violation(browser_page, reader_site):
    violations = []
    browser_page.on("console", lambda message: "Content Security Policy" in message.text and violations.append(message))
    browser_page.goto(reader_site + "/api/v1/docs")
    expect(browser_page.locator(".swagger-ui .info .title")).to_contain_text("Newsroom API")
    expect(browser_page.locator(".opblock-summary-path").first).to_be_visible()
    assert [message.text for message in violations] == []
