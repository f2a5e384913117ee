"""Properties of the HTML policy that must hold for any input, however hostile.

Inputs are built from fragments of the markup the feeds (and attackers) send:
dangerous and harmless tags in mixed case, event handlers, styles, scripted URLs
disguised with entities, whitespace and the image proxy, unclosed tags and
comments. The output is read back with Python's ``html.parser`` (which decodes
entities in attribute values, as a browser does), so attributes are checked as
parsed, not by substring.
"""

import re
from html.parser import HTMLParser

from hypothesis import given, settings
from hypothesis import strategies as st

from content.sanitizer import ALLOWED_PROTOCOLS, ALLOWED_TAGS, clean_html
from tests.conftest import examples

# Modest, so the whole suite stays quick (fewer under HYPOTHESIS_PROFILE=fast); no example database in the checkout.
FAST = settings(max_examples=examples(200), deadline=None, database=None)

EXECUTABLE_TAGS = frozenset({"script", "style", "iframe", "object", "embed", "svg", "math", "frame", "base"})
EXECUTABLE_TAG_IN_SOURCE = re.compile(r"<\s*/?\s*(script|style|iframe|object|embed|svg|math)\b", re.I)
URL_ATTRIBUTES = frozenset({"href", "src"})
PROXY = "https://cors.zfour.workers.dev/?"

TAG_NAMES = [
    *("script", "style", "iframe", "object", "embed", "svg", "math", "img", "a", "use", "symbol", "image"),
    *("template", "noscript", "noembed", "noframes", "xmp", "plaintext", "textarea", "title", "frame", "frameset"),
    *("button", "form", "input", "select", "option", "base", "meta", "link", "video", "audio", "source", "picture"),
    *("p", "div", "span", "pre", "code", "b", "i", "em", "font", "table", "tr", "td", "ul", "li", "br", "hr"),
    *("figure", "figcaption", "blockquote", "h2", "foreignObject", "annotation-xml", "mglyph", "desc", "html"),
]
KEPT_TAG_NAMES = ["p", "div", "span", "pre", "code", "td", "b"]
URL_ATTRIBUTE_NAMES = ["href", "src", "data-src", "data-original", "xlink:href", "srcset", "formaction", "poster"]
SCRIPTED_ATTRIBUTE_NAMES = ["style", "onclick", "onerror", "onload", "onmouseover", "onbegin"]
OTHER_ATTRIBUTE_NAMES = [
    "class",
    "title",
    "alt",
    "target",
    "referrerpolicy",
    "width",
    "id",
    "sandbox",
    "allowfullscreen",
]
SCRIPTS = ["alert(1)", "color:red", "x:expression(alert(1))", "background:url(javascript:alert(1))", ""]
HARMLESS_VALUES = [
    *("https://example.com/a.png", "http://example.com/?a=1&b=2", "mailto:a@example.com", "/relative", "#top"),
    *("//example.com/x", "&lt;script&gt;", "", "_blank", "blank.gif", "&amp;&reg;&#039;", '"><script>', "a'b\"c"),
    *(f"{PROXY}http://example.com/a.png", "language-python", "copy-code-btn"),
]
TEXTS = [
    *("文字", "text", "<", ">", "&", "&amp;", "&lt;script&gt;alert(1)&lt;/script&gt;", "&#60;script&#62;"),
    *("\u3000", "&#123;", "&reg;", "a < b && c > d", "List<String>", "\n", " "),
]
OTHER_MARKUP = [
    *("<!-- 注释 -->", "<!-->", "<!--", "-->", "<!---->", "<![CDATA[<script>x</script>]]>", "<?xml x?>", "</"),
    *("<!doctype html>", "</ p>", "<", "<<script>", "<scr<script>ipt>", "</script", "<a href=", "=", '"', "'"),
]


def _names(names):
    """Names as written, or in a random mix of cases."""
    return st.builds(_mixed_case, st.sampled_from(names), st.one_of(st.just(0), st.integers(0, 2**12)))


def _mixed_case(text: str, mask: int) -> str:
    return "".join(c.upper() if mask >> i & 1 else c for i, c in enumerate(text))


# Ways to write one character of a URL scheme that a browser still reads as it.
DISGUISES = [
    lambda c: c,
    str.upper,
    lambda c: f"&#{ord(c)};",
    lambda c: f"&#x{ord(c):X};",
    lambda c: f"&#000{ord(c)}",
    lambda c: f"{c}\t",
    lambda c: f"{c}&Tab;",
    lambda c: f"{c}&NewLine;",
]
COLONS = [":", "&colon;", "&#58;", "&#x3a;", ":\n"]
LEADS = [PROXY, "", " ", "\x01", "\n\t", f" {PROXY}", PROXY.upper(), PROXY * 2, f"{PROXY}  "]


def _hostile_url(lead: str, scheme: str, disguises: int, colon: str) -> str:
    """``disguises`` holds a hex digit per character: 0-8 leave it plain, 9-f
    pick one of the disguises (one draw instead of one per character)."""
    digits = [disguises >> 4 * i & 15 for i in range(len(scheme))]
    disguised = "".join(DISGUISES[max(0, d - 8)](c) for c, d in zip(scheme, digits, strict=True))
    return f"{lead}{disguised}{colon}alert(1)"


hostile_urls = st.builds(
    _hostile_url,
    st.sampled_from(LEADS),
    st.sampled_from(["javascript", "vbscript", "data", "livescript", "file"]),
    st.integers(0, 16**10 - 1),
    st.sampled_from(COLONS),
)


def _attribute(name: str, value: str, quote: str | None) -> str:
    if quote is None:
        return f" {name}"
    if not quote:
        return f" {name}={value.replace(' ', '').replace('>', '')}"
    return f" {name}={quote}{value.replace(quote, '')}{quote}"


quotes = st.sampled_from(['"', "'", "", None])
attributes = st.one_of(
    st.builds(
        _attribute, _names(URL_ATTRIBUTE_NAMES), st.one_of(hostile_urls, st.sampled_from(HARMLESS_VALUES)), quotes
    ),
    st.builds(_attribute, _names(SCRIPTED_ATTRIBUTE_NAMES), st.sampled_from(SCRIPTS), quotes),
    st.builds(_attribute, _names(OTHER_ATTRIBUTE_NAMES), st.sampled_from(HARMLESS_VALUES), quotes),
)


def _tag(name: str, kind: str, attributes: list[str]) -> str:
    if kind == "close":
        return f"</{name}>"
    ending = {"open": ">", "self-closing": "/>", "unclosed": ""}[kind]
    return f"<{name}{''.join(attributes)}{ending}"


tags = st.builds(
    _tag,
    st.one_of(_names(["a", "img"]), _names(KEPT_TAG_NAMES), _names(TAG_NAMES)),
    st.sampled_from(["open", "open", "close", "self-closing", "unclosed"]),
    st.lists(attributes, max_size=3),
)
html_ish = st.lists(st.one_of(tags, tags, st.sampled_from(TEXTS), st.sampled_from(OTHER_MARKUP)), max_size=20).map(
    "".join
)


class _Elements(HTMLParser):
    """Every start tag of a document with its attributes, entity-decoded."""

    def __init__(self, document: str):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.feed(document)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))


def _scheme(url: str) -> str | None:
    """The scheme a browser would act on, given a value already entity-decoded
    by the parser: whitespace and control characters are dropped (browsers drop
    tabs and newlines anywhere and the rest only at the ends: this is stricter)."""
    squeezed = re.sub(r"[\x00-\x20\x7f-\x9f\s]+", "", url).lower()
    match = re.match(r"([a-z][a-z0-9+.-]*):", squeezed)
    return match.group(1) if match else None


def _assert_harmless(tag: str, attributes: list[tuple[str, str | None]]) -> None:
    assert tag not in EXECUTABLE_TAGS and tag in ALLOWED_TAGS, tag
    for name, value in attributes:
        assert not name.startswith("on") and name != "style", name
        if name in URL_ATTRIBUTES:
            assert _scheme(value or "") in ALLOWED_PROTOCOLS | {None}, value


@FAST
@given(html_ish)
def test_output_never_contains_an_executable_construct(dirty):
    cleaned = clean_html(dirty)
    assert not EXECUTABLE_TAG_IN_SOURCE.search(cleaned)
    for tag, attributes in _Elements(cleaned).tags:
        _assert_harmless(tag, attributes)


@FAST
@given(html_ish)
def test_cleaning_twice_changes_nothing(dirty):
    once = clean_html(dirty)
    assert clean_html(once) == once


# Focused inputs: every element survives, so every attribute gets judged.
def _element(name: str, attributes: list[str]) -> str:
    return f"<{name}{''.join(attributes)}>" + ("" if name == "img" else f"文</{name}>")


def _elements(name: str, attribute_names: list[str], values) -> st.SearchStrategy[str]:
    attribute = st.builds(_attribute, _names(attribute_names), values, quotes)
    return st.builds(_element, _names([name]), st.lists(attribute, min_size=1, max_size=3))


urls = st.one_of(hostile_urls, st.sampled_from(HARMLESS_VALUES))
linked = st.lists(
    st.one_of(_elements("a", ["href"], urls), _elements("img", ["src", "data-src", "data-original"], urls)),
    min_size=1,
    max_size=4,
)
scripted = st.lists(
    st.one_of(
        *(_elements(name, SCRIPTED_ATTRIBUTE_NAMES, st.sampled_from(SCRIPTS)) for name in ["a", "img", *KEPT_TAG_NAMES])
    ),
    min_size=1,
    max_size=4,
)


@FAST
@given(linked.map("".join))
def test_links_and_images_only_use_web_or_mail_schemes(dirty):
    for _, attributes in _Elements(clean_html(dirty)).tags:
        for name, value in attributes:
            if name in URL_ATTRIBUTES:
                assert _scheme(value or "") in ALLOWED_PROTOCOLS | {None}, value


@FAST
@given(scripted.map("".join))
def test_no_event_handler_or_inline_style_survives(dirty):
    for _, attributes in _Elements(clean_html(dirty)).tags:
        for name, _ in attributes:
            assert not name.startswith("on") and name != "style", name


# Well-formed documents in which only the bodies of script and style elements
# hold the mark: the mark showing up anywhere means their code reached readers.
# (Inside <pre>, <xmp> and <plaintext> a <script> tag is text by definition.)
SECRET = "SECRET"
CONTAINERS = [name for name in TAG_NAMES if name not in {"pre", "xmp", "plaintext", "script", "style"}]
leaves = st.one_of(
    st.sampled_from(["文字", "text", "&amp;", "\u3000"]),
    _names(["script", "style"]).map(lambda tag: f"<{tag}>var {SECRET} = '<p>';</{tag}>"),
)


def _nest(containers: list[str], children: list[str]) -> str:
    """``children`` inside the ``containers``, outermost first, each closed."""
    opening = "".join(f"<{name}>" for name in containers)
    closing = "".join(f"</{name}>" for name in reversed(containers))
    return f"{opening}{''.join(children)}{closing}"


documents = st.lists(
    st.builds(_nest, st.lists(_names(CONTAINERS), max_size=4), st.lists(leaves, min_size=1, max_size=3)), max_size=3
).map("".join)


@FAST
@given(documents)
def test_script_and_style_code_never_reaches_readers(document):
    assert SECRET not in clean_html(document)
