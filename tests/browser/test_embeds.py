"""A player from an allowed host loads only when the reader clicks it, in a
sandboxed frame the Content-Security-Policy allows; the page runs no inline code."""

import pytest

from tests.builders import make_article

expect = pytest.importorskip("playwright.sync_api").expect


@pytest.fixture
def article_with_player(transactional_db, live_server):
    article = make_article(
        "带视频的文章",
        body='<p>发布会视频：</p><iframe src="https://www.youtube.com/embed/abc123"></iframe><p>完。</p>',
    )
    return live_server.url + article.get_absolute_url()


def test_a_player_loads_in_a_sandboxed_frame_only_on_click(browser_page, article_with_player):
    violations = []
    browser_page.on(
        "console", lambda message: violations.append(message.text) if "Content Security" in message.text else None
    )
    browser_page.goto(article_with_player)
    expect(browser_page.locator(".article-body iframe")).to_have_count(0)
    browser_page.get_by_role("link", name="视频：https://www.youtube-nocookie.com/embed/abc123").click()
    frame = browser_page.locator(".article-body iframe")
    expect(frame).to_have_attribute("src", "https://www.youtube-nocookie.com/embed/abc123")
    expect(frame).to_have_attribute("sandbox", "allow-scripts allow-same-origin allow-presentation allow-popups")
    assert violations == []
