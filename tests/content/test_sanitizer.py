"""The one HTML policy: what survives and what never does.

The markup below is written for these tests in the shapes the aggregated feeds
use (see ../shared/corpus/README.md); the real posts are read at the end, when
they are on this machine.
"""

import functools
import re
from concurrent.futures import ThreadPoolExecutor
from html.parser import HTMLParser

import pytest

from content.rendering import visible_text
from content.sanitizer import clean_html, unwrap_image_proxy
from tests.conftest import CORPUS_DIR, needs_corpus

PROXY = "https://cors.zfour.workers.dev/?"


class _Elements(HTMLParser):
    def __init__(self, cleaned: str):
        super().__init__()
        self.found: list[tuple[str, dict[str, str | None]]] = []
        self.feed(cleaned)

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, dict(attrs)))


def image_attributes(cleaned: str) -> list[dict[str, str | None]]:
    """The attributes of every ``<img>`` in ``cleaned``, entity-decoded."""
    return [attributes for tag, attributes in _Elements(cleaned).found if tag == "img"]


# -- What never reaches readers -------------------------------------------------------


@pytest.mark.parametrize(
    "dirty",
    [
        "<script>alert('x')</script>",
        "<style>body{display:none}</style>",
        "<svg><use href='#a'></use><script>x</script></svg>",
        "<button onclick='x()'>复制</button>",
    ],
)
def test_dangerous_elements_vanish_with_their_contents(dirty):
    assert clean_html(f"<p>前</p>{dirty}<p>后</p>") == "<p>前</p><p>后</p>"


def test_style_blocks_never_show_their_css_even_with_crawler_braces():
    cleaned = clean_html("<style>\n  .article p &#123; text-indent: 2em; &#125;\n</style><p>正文</p>")
    assert cleaned == "<p>正文</p>"


def test_script_code_never_shows_even_when_it_holds_markup():
    cleaned = clean_html("<p>前</p><script>document.write('<p>广告</p>');</script><p>后</p>")
    assert cleaned == "<p>前</p><p>后</p>"


def test_players_from_other_hosts_become_a_link_without_their_fallback_text():
    iframe = (
        '<iframe src="https://player.example.com/video/1" width="640" frameborder="0" sandbox="allow-scripts" '
        "webkitallowfullscreen mozallowfullscreen allowfullscreen>请升级浏览器</iframe>"
    )
    assert clean_html(f"<p>视频：</p>{iframe}") == (
        '<p>视频：</p><a href="https://player.example.com/video/1">视频：https://player.example.com/video/1</a>'
    )


def test_a_frame_from_another_host_is_never_a_frame():
    assert clean_html('<iframe src="https://evil.example/"></iframe>') == (
        '<a href="https://evil.example/">视频：https://evil.example/</a>'
    )


def test_hidden_svg_sprite_sheets_and_icon_references_vanish():
    sprite = (
        '<svg style="display:none"><symbol id="icon-share" viewBox="0 0 24 24">'
        '<desc>分享图标</desc><path d="M1 1h22"/></symbol></svg>'
    )
    share = '<a href="https://example.com/share"><svg class="icon"><use href="#icon-share"></use></svg>分享</a>'
    assert clean_html(sprite + share) == '<a href="https://example.com/share">分享</a>'


def test_buttons_vanish_with_their_labels_and_icons():
    button = '<button class="support-author" onclick="reward()"><svg><path d="M0 0"/></svg>赞赏作者</button>'
    assert clean_html(f"<p>正文</p>{button}") == "<p>正文</p>"


def test_fallbacks_browsers_never_show_stay_hidden():
    assert (
        clean_html("<noembed>插件不可用</noembed><noframes>不支持框架</noframes><noscript>请启用 JS</noscript>") == ""
    )


def test_event_handlers_go_even_without_a_value():
    assert clean_html('<div onclick>文</div><p ONMOUSEOVER="x()">字</p>') == "<div>文</div><p>字</p>"


@pytest.mark.parametrize(
    ("dirty", "clean"),
    [
        ('<p onclick="x()" style="color:red">文</p>', "<p>文</p>"),
        ('<a href="javascript:alert(1)">链接</a>', "<a>链接</a>"),
        ('<a href="file:///etc/passwd">本地</a>', "<a>本地</a>"),
        ('<a href="file:///C:/Users/x/Desktop/paper.docx#_ftn1">[1]</a>', "<a>[1]</a>"),
        ('<a href=" JaVa&#x09;ScRiPt:alert(1)">伪装</a>', "<a>伪装</a>"),
        ('<img src="data:image/png;base64,AAAA">', ""),
        ("<!-- 注释 --><p>文</p>", "<p>文</p>"),
        ('<p data-id="1" class="x">文</p>', "<p>文</p>"),
    ],
)
def test_unsafe_attributes_and_urls_are_removed(dirty, clean):
    assert clean_html(dirty) == clean


def test_a_proxied_link_cannot_smuggle_a_script_url():
    assert clean_html(f'<a href="{PROXY}javascript:alert(1)">点我</a>') == "<a>点我</a>"


def test_html_comments_vanish_everywhere():
    dirty = "<!-- 正文开始 --><p>文<!----></p><!--\n  多行\n  注释\n--><pre><code>a<!-- 注 -->b</code></pre>"
    assert clean_html(dirty) == "<p>文</p><pre><code>ab</code></pre>"


# -- What readers keep ------------------------------------------------------------------


def test_structure_is_kept():
    html = (
        "<h2>标题</h2><blockquote><p>引用</p></blockquote><ul><li>一</li></ul>"
        "<table><tbody><tr><td>格</td></tr></tbody></table>"
    )
    assert clean_html(html) == html


def test_inline_styles_go_but_full_width_indents_stay():
    assert clean_html('<p style="text-indent:2em">\u3000\u3000正文</p>') == "<p>\u3000\u3000正文</p>"


def test_data_attributes_go_from_every_element():
    cleaned = clean_html('<div data-v-3a1b2c data-id="9"><span data-vmark="f6">文</span></div>')
    assert cleaned == "<div><span>文</span></div>"


def test_figures_keep_their_image_and_caption():
    figure = (
        '<figure class="wp-block-image"><img src="https://img.example.com/a.jpg" alt="图">'
        "<figcaption>说明</figcaption></figure>"
    )
    cleaned = clean_html(figure)
    assert cleaned.startswith('<figure><img src="https://img.example.com/a.jpg" alt="图"')
    assert cleaned.endswith("<figcaption>说明</figcaption></figure>")


def test_picture_sources_give_way_to_the_plain_image():
    picture = (
        '<picture><source srcset="https://img.example.com/a.webp 1x" type="image/webp">'
        '<img src="https://img.example.com/a.jpg" alt="图"></picture>'
    )
    assert [image["src"] for image in image_attributes(clean_html(picture))] == ["https://img.example.com/a.jpg"]
    assert "webp" not in clean_html(picture)


def test_responsive_image_candidates_are_dropped():
    cleaned = clean_html(
        '<img src="https://img.example.com/a.jpg" srcset="https://img.example.com/a2.jpg 2x" sizes="50vw">'
    )
    assert "srcset" not in cleaned and "sizes" not in cleaned and 'src="https://img.example.com/a.jpg"' in cleaned


def test_a_valueless_alt_stays_empty_and_a_valueless_title_goes():
    [image] = image_attributes(clean_html('<img src="https://img.example.com/a.jpg" alt title>'))
    assert image["alt"] == "" and "title" not in image


def test_malformed_attributes_leave_a_clean_image():
    dirty = '<img src="https://img.example.com/a.jpg" title 标题被拆开"成了属性" alt referrerpolicy="no-referrer">'
    [image] = image_attributes(clean_html(dirty))
    assert image == {
        "src": "https://img.example.com/a.jpg",
        "alt": "",
        "loading": "lazy",
        "referrerpolicy": "no-referrer",
    }


# -- Images and links -------------------------------------------------------------------


def test_images_load_lazily_without_referrer_and_lose_the_proxy():
    cleaned = clean_html(f'<img src="{PROXY}http://img.example.com/a.png" alt="图">')
    assert cleaned == '<img src="http://img.example.com/a.png" alt="图" loading="lazy" referrerpolicy="no-referrer">'


def test_the_source_sites_referrer_policy_is_replaced_by_ours():
    [image] = image_attributes(clean_html('<img src="https://img.example.com/a.jpg" referrerpolicy="unsafe-url">'))
    assert image["referrerpolicy"] == "no-referrer"


def test_lazy_load_placeholders_give_way_to_the_real_image():
    cleaned = clean_html('<img src="https://x.example/blank.png" data-original="https://img.example.com/real.jpg">')
    assert 'src="https://img.example.com/real.jpg"' in cleaned and "data-original" not in cleaned


def test_an_image_with_several_lazy_attributes_keeps_none_of_them():
    cleaned = clean_html('<img data-original="https://example.com/a.png" data-src="https://example.com/a.png">')
    assert cleaned == '<img src="https://example.com/a.png" loading="lazy" referrerpolicy="no-referrer">'
    assert clean_html(cleaned) == cleaned


def test_a_lazy_image_shows_its_full_size_picture_not_the_thumbnail():
    dirty = '<img data-original="https://img.example.com/a.png" src="https://img.example.com/thumb/a.png">'
    assert [image["src"] for image in image_attributes(clean_html(dirty))] == ["https://img.example.com/a.png"]


def test_a_lazy_image_without_src_gets_its_data_src():
    dirty = f'<img class="lazy" data-src="{PROXY}http://img.example.com/a.jpg">'
    assert [image["src"] for image in image_attributes(clean_html(dirty))] == ["http://img.example.com/a.jpg"]


def test_an_image_left_without_a_source_goes():
    assert clean_html('<p>图：<img src="" alt="空"></p>') == "<p>图：</p>"


def test_links_lose_the_image_proxy_too():
    assert (
        clean_html(f'<a href="{PROXY}https://example.com/post">原文</a>')
        == '<a href="https://example.com/post">原文</a>'
    )


def test_an_image_proxied_twice_is_unwrapped_fully():
    assert unwrap_image_proxy(f" {PROXY}{PROXY.upper()}http://img.example.com/a.png") == "http://img.example.com/a.png"


def test_links_opening_a_new_window_get_noopener():
    cleaned = clean_html('<a href="https://example.com" target="_blank">外链</a>')
    assert cleaned == '<a href="https://example.com" target="_blank" rel="noopener noreferrer">外链</a>'


# -- Text and entities ------------------------------------------------------------------


def test_named_and_numeric_entities_show_as_their_characters():
    cleaned = clean_html("<p>Intel&reg; oneAPI&trade; 的 R&amp;D，&#039;引号&#039;</p>")
    assert visible_text(cleaned) == "Intel® oneAPI™ 的 R&D，'引号'"


def test_crawler_braces_show_as_braces():
    assert visible_text(clean_html("<p>function f() &#123; return 1; &#125;</p>")) == "function f() { return 1; }"


def test_a_raw_ampersand_is_escaped_not_lost():
    assert clean_html("<p>M&M'S & 17173&TalkingData</p>") == "<p>M&amp;M'S &amp; 17173&amp;TalkingData</p>"


def test_entities_in_links_keep_the_address_intact():
    cleaned = clean_html('<a href="https://example.com/?a=1&amp;b=2&#039;&c=3">链接</a>')
    assert re.search(r'href="([^"]*)"', cleaned).group(1) == "https://example.com/?a=1&amp;b=2'&amp;c=3"
    [(_, attributes)] = _Elements(cleaned).found
    assert attributes["href"] == "https://example.com/?a=1&b=2'&c=3"


def test_quotes_and_ampersands_in_attributes_survive_cleaning_twice():
    once = clean_html('<a href="/x" title=\'说 "你好" &amp; 再见\'>链接</a>')
    assert once == '<a href="/x" title="说 &quot;你好&quot; &amp; 再见">链接</a>'
    assert clean_html(once) == once


# -- Code blocks --------------------------------------------------------------------------


def test_tags_written_inside_code_blocks_stay_visible_as_text():
    cleaned = clean_html('<pre><code><script src="tf.js"></script>\nconst a = {b: 1};</code></pre>')
    assert cleaned == '<pre><code>&lt;script src="tf.js"&gt;&lt;/script&gt;\nconst a = {b: 1};</code></pre>'


def test_jsx_inside_a_code_block_shows_as_written():
    cleaned = clean_html('<pre><code>return <div className="box">&#123;msg&#125;</div></code></pre>')
    assert visible_text(cleaned) == 'return <div className="box">{msg}</div>'


def test_event_handlers_written_inside_a_code_block_show_as_code():
    cleaned = clean_html('<pre><code><button onclick="save()">保存</button></code></pre>')
    assert cleaned == '<pre><code>&lt;button onclick="save()"&gt;保存&lt;/button&gt;</code></pre>'


def test_generics_inside_a_code_block_keep_their_case_and_brackets():
    cleaned = clean_html("<pre><code>Map<String, View> m = new HashMap<>();\nClass<?> c;</code></pre>")
    assert visible_text(cleaned) == "Map<String, View> m = new HashMap<>(); Class<?> c;"


def test_highlighting_spans_and_line_breaks_inside_code_blocks_stay_markup():
    cleaned = clean_html('<pre><code class="language-js"><span class="hljs-keyword">const</span> a<br>b</code></pre>')
    assert cleaned == '<pre><code class="language-js"><span>const</span> a<br>b</code></pre>'


def test_copy_code_buttons_inside_code_blocks_vanish():
    cleaned = clean_html('<pre><code>x = 1\n<span class="copy-code-btn">复制代码</span></code></pre>')
    assert cleaned == "<pre><code>x = 1\n</code></pre>"


def test_an_unclosed_code_block_ends_where_a_browser_ends_it():
    cleaned = clean_html("<div><pre>code<b>粗</b></div><p>后文</p>")
    assert cleaned == "<div><pre>code<b>粗</b></pre></div><p>后文</p>"


def test_blank_first_lines_of_a_code_block_survive_cleaning_twice():
    once = clean_html("<pre>\n\n  缩进的代码</pre>")
    assert once == "<pre>\n\n  缩进的代码</pre>" and clean_html(once) == once


# -- Idempotence --------------------------------------------------------------------------


def test_cleaning_is_idempotent():
    once = clean_html(f'<p style="x">文<img src="{PROXY}http://a.example/b.png"></p>')
    assert clean_html(once) == once


@pytest.mark.parametrize(
    "dirty",
    [
        "<h2>标题<font><h2>又一个标题</h2></font></h2>",
        "<ul><li>一<center><li>二</li></center></li></ul>",
        "<p>段<marquee><div>块</div></marquee>落</p>",
        '<a href="/1">一<center><a href="/2">二</a></center></a>',
        "<dl><dd>甲<section><dd>乙</dd></section></dd></dl>",
    ],
)
def test_what_removed_tags_leave_behind_reads_back_the_same(dirty):
    once = clean_html(dirty)
    assert clean_html(once) == once


def test_posts_cleaned_in_several_threads_at_once_come_out_right():
    bodies = [
        f"<h2>第{n}节</h2>" + f"<p>段落<b>粗</b><img src='https://img.example.com/{n}.png'></p>" * 100
        for n in range(16)
    ]
    expected = [clean_html(body) for body in bodies]
    with ThreadPoolExecutor(max_workers=8) as pool:
        assert list(pool.map(clean_html, bodies)) == expected


# -- The real posts -------------------------------------------------------------------------

BODY = re.compile(r"\A\s*---[ \t]*\n.*?\n---[ \t]*\n(.*)\Z", re.S)
EXECUTABLE_TAGS = {"script", "style", "iframe", "object", "embed", "svg", "math", "button"}


def executable(cleaned: str) -> bool:
    """Whether ``cleaned`` holds an element or attribute that runs or styles."""
    return any(
        tag in EXECUTABLE_TAGS or any(name.startswith("on") or name == "style" for name in attributes)
        for tag, attributes in _Elements(cleaned).found
    )


@functools.cache
def cleaned_corpus() -> dict[str, str]:
    """Every real post's body, cleaned (once for all the tests here)."""
    paths = sorted(CORPUS_DIR.glob("*.md"))
    return {path.name: clean_html(BODY.match(path.read_text("utf-8")).group(1)) for path in paths}


@needs_corpus
def test_no_real_post_keeps_executable_or_styling_markup():
    assert [name for name, cleaned in cleaned_corpus().items() if executable(cleaned)] == []


@needs_corpus
def test_cleaning_any_real_post_twice_changes_nothing():
    assert [name for name, cleaned in cleaned_corpus().items() if clean_html(cleaned) != cleaned] == []


@needs_corpus
@pytest.mark.parametrize("name", ["0015.md", "0071.md"])
def test_real_images_with_malformed_attributes_come_out_clean(name):
    images = image_attributes(cleaned_corpus()[name])
    assert images and all(image["src"].startswith("https://") for image in images)
    assert all(set(image) <= {"src", "alt", "loading", "referrerpolicy"} for image in images)
