"""Render-time repairs of article bodies: headings, alt text, empty links,
keyboard-scrollable code, and the rel of outbound links."""

import pytest
from PIL import Image

from content.body_repairs import BodyOrigin, repair_body
from content.rendering import render_body


def test_a_body_h1_becomes_h2_under_the_page_title():
    assert repair_body("<h1>小标题</h1><p>正文</p>") == "<h2>小标题</h2><p>正文</p>"


def test_heading_levels_never_skip():
    body = "<h3>一</h3><h5>一之一</h5><h2>二</h2><h4>二之一</h4><h4>二之二</h4>"
    assert repair_body(body) == "<h2>一</h2><h3>一之一</h3><h2>二</h2><h3>二之一</h3><h3>二之二</h3>"


def test_an_image_without_alt_is_marked_decorative():
    assert repair_body('<p><img src="https://x.cn/a.png"></p>') == '<p><img src="https://x.cn/a.png" alt=""></p>'


def test_an_image_without_alt_takes_its_title():
    assert 'alt="充电曲线"' in repair_body('<img src="https://x.cn/a.png" title="充电曲线">')


def test_an_image_without_alt_takes_its_figure_caption():
    body = '<figure><img src="https://x.cn/a.png"><figcaption>图1：电池 容量</figcaption></figure>'
    assert 'alt="图1：电池 容量"' in repair_body(body)


def test_existing_alt_text_is_kept():
    assert 'alt="原有说明"' in repair_body('<img src="https://x.cn/a.png" alt="原有说明" title="标题">')


def test_a_link_with_no_text_is_removed():
    assert repair_body('<p>前<a href="https://x.cn/"> </a>后</p>') == "<p>前 后</p>"


def test_a_link_around_a_decorative_image_gives_way_to_the_image():
    assert repair_body('<a href="https://x.cn/"><img src="https://x.cn/a.png"></a>') == (
        '<img src="https://x.cn/a.png" alt="">'
    )


def test_a_link_around_a_described_image_stays():
    body = '<a href="https://x.cn/"><img src="https://x.cn/a.png" alt="图表"></a>'
    assert repair_body(body) == body


def test_code_blocks_can_be_scrolled_with_the_keyboard():
    assert repair_body("<pre><code>x = 1</code></pre>") == '<pre tabindex="0"><code>x = 1</code></pre>'


def test_outbound_links_of_imported_posts_are_nofollow():
    body = repair_body('<a href="https://c.duomai.com/track.php?x=1&amp;y=2">购买</a>', BodyOrigin.IMPORT)
    assert body == '<a href="https://c.duomai.com/track.php?x=1&amp;y=2" rel="nofollow noopener">购买</a>'


def test_outbound_links_of_feed_items_are_also_ugc():
    assert 'rel="nofollow noopener ugc"' in repair_body('<a href="http://x.cn/">外链</a>', BodyOrigin.FEED)


def test_rel_words_already_there_are_kept_once():
    body = repair_body('<a href="https://x.cn/" target="_blank" rel="noopener noreferrer">外链</a>', BodyOrigin.IMPORT)
    assert 'rel="noopener noreferrer nofollow"' in body


def test_links_within_the_site_and_editors_links_stay_plain():
    assert "rel=" not in repair_body('<a href="/tag/%E5%82%A8%E8%83%BD/">储能</a>', BodyOrigin.FEED)
    assert "rel=" not in repair_body('<a href="https://x.cn/">外链</a>', BodyOrigin.EDITOR)


def test_text_and_entities_survive_the_repairs():
    body = "开头 &lt;b&gt; 与 &amp;<p>AT&amp;T 的“引号”</p>结尾"
    assert repair_body(body) == body


def test_a_local_image_gets_its_width_and_height(settings, tmp_path):
    (tmp_path / "media" / "downloads").mkdir(parents=True)
    Image.new("RGB", (640, 360)).save(tmp_path / "media" / "downloads" / "chart.png")
    body = repair_body('<img src="/media/downloads/chart.png" alt="图">')
    assert 'width="640" height="360"' in body


def test_a_missing_local_image_is_left_without_size():
    assert (
        repair_body('<img src="/media/downloads/gone.png" alt="图">')
        == '<img src="/media/downloads/gone.png" alt="图">'
    )


@pytest.mark.parametrize("body_format", ["html", "markdown"])
def test_rendering_applies_the_repairs(body_format):
    source = "<h1>标题</h1>" if body_format == "html" else "# 标题"
    assert render_body(source, body_format).html == "<h2>标题</h2>"
