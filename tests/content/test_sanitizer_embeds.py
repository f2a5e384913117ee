"""What readers keep of embedded players, buttons inside links and empty links."""

import re

from content.rendering import render_body
from content.sanitizer import clean_html
from tests.conftest import PROJECT_DIR


def test_a_youtube_player_becomes_a_click_to_load_link_to_the_no_cookie_host():
    cleaned = clean_html('<iframe src="https://www.youtube.com/embed/abc?start=3" allowfullscreen>旧浏览器</iframe>')
    assert cleaned == (
        '<a href="https://www.youtube-nocookie.com/embed/abc?start=3" data-embed="">'
        "视频：https://www.youtube-nocookie.com/embed/abc?start=3</a>"
    )


def test_a_protocol_relative_bilibili_player_is_kept_over_https():
    cleaned = clean_html('<iframe src="//player.bilibili.com/player.html?aid=1&amp;page=1"></iframe>')
    assert 'href="https://player.bilibili.com/player.html?aid=1&amp;page=1" data-embed=""' in cleaned


def test_a_player_from_another_host_is_a_plain_link():
    cleaned = clean_html('<iframe src="https://leetcode.cn/playground/x/shared"></iframe>')
    assert (
        cleaned == '<a href="https://leetcode.cn/playground/x/shared">视频：https://leetcode.cn/playground/x/shared</a>'
    )


def test_a_video_becomes_a_visible_link_to_its_source():
    cleaned = clean_html('<video controls poster="p.jpg"><source src="https://v.example/a.mp4">不支持</video>')
    assert cleaned == '<a href="https://v.example/a.mp4">视频：https://v.example/a.mp4</a>'


def test_audio_and_flash_embeds_become_links():
    assert clean_html('<audio src="/a.mp3"></audio>') == '<a href="/a.mp3">音频：/a.mp3</a>'
    assert clean_html('<embed src="https://e.example/f.swf">') == (
        '<a href="https://e.example/f.swf">视频：https://e.example/f.swf</a>'
    )


def test_an_embed_with_a_script_source_leaves_nothing():
    assert clean_html('<p>前</p><iframe src="javascript:alert(1)"></iframe><video src="data:x"></video>') == "<p>前</p>"


def test_only_allowed_players_keep_the_click_to_load_mark():
    assert clean_html('<a href="https://evil.example/" data-embed>x</a>') == '<a href="https://evil.example/">x</a>'


def test_embeds_are_cleaned_the_same_twice():
    once = clean_html('<p>看<iframe src="https://player.vimeo.com/video/1"></iframe></p><video src="/v.mp4"></video>')
    assert clean_html(once) == once


def test_the_label_of_a_button_inside_a_link_is_kept_as_text():
    assert clean_html('<a href="/x"><button onclick="go()">阅读原文</button></a>') == '<a href="/x">阅读原文</a>'


def test_a_link_left_empty_gives_way_to_its_content():
    rendered = render_body('<p>前<a href="https://example.com/share"><svg><path d="M0 0"/></svg></a>后</p>', "html")
    assert rendered.html == "<p>前后</p>"


def test_the_embed_facade_script_and_styles_are_static_files():
    script = (PROJECT_DIR / "static" / "js" / "embeds.js").read_text()
    assert "data-embed" in script and "sandbox" in script
    detail = (PROJECT_DIR / "templates" / "articles" / "detail.html").read_text()
    assert re.search(r'<script src="{% static .js/embeds.js. %}" defer></script>', detail)
