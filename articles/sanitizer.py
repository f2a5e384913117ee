"""The one HTML policy for article bodies, used by the importer and the admin.

Everything readers see goes through :func:`clean_html`: an allow-list of
structural tags and safe attributes (bleach), with http(s) links and images
only. Scripts, styles, iframes, SVG and form controls are removed together with
their contents; inline ``style`` and event-handler attributes never survive.

The policy also repairs what the aggregated feeds do to images: the CORS proxy
wrapper is removed, lazy-load placeholders give way to the real URL in
``data-original``/``data-src``, and every image loads lazily without a referrer.
"""

import re

import bleach
from bleach import html5lib_shim
from bleach.sanitizer import BleachSanitizerFilter

IMAGE_PROXY_PREFIXES = ("https://cors.zfour.workers.dev/?", "http://cors.zfour.workers.dev/?")

ALLOWED_TAGS = frozenset(
    {
        "a",
        "abbr",
        "b",
        "blockquote",
        "br",
        "caption",
        "cite",
        "code",
        "col",
        "colgroup",
        "dd",
        "del",
        "div",
        "dl",
        "dt",
        "em",
        "figcaption",
        "figure",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "hr",
        "i",
        "img",
        "ins",
        "kbd",
        "li",
        "mark",
        "ol",
        "p",
        "pre",
        "q",
        "s",
        "samp",
        "small",
        "span",
        "strong",
        "sub",
        "sup",
        "table",
        "tbody",
        "td",
        "tfoot",
        "th",
        "thead",
        "tr",
        "u",
        "ul",
    }
)

ALLOWED_ATTRIBUTES = {
    "a": ["href", "title", "target"],
    "abbr": ["title"],
    "code": ["class"],
    "col": ["span"],
    "img": ["src", "alt", "title", "width", "height"],
    "ol": ["start", "reversed"],
    "td": ["colspan", "rowspan"],
    "th": ["colspan", "rowspan", "scope"],
}

ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto"})

# Elements removed with everything inside them: their text is code, styling
# or UI chrome, never article prose.
DROP_WITH_CONTENT = frozenset(
    {
        "script",
        "style",
        "template",
        "noscript",
        "iframe",
        "frame",
        "frameset",
        "object",
        "embed",
        "applet",
        "svg",
        "math",
        "button",
        "select",
        "textarea",
        "form",
        "head",
        "title",
        "audio",
        "video",
        "canvas",
        "map",
    }
)

LAZY_IMAGE_ATTRIBUTES = ("data-original", "data-src", "data-actualsrc", "data-lazy-src")
PLACEHOLDER_IMAGE = re.compile(r"^(data:|about:)|blank\.(png|gif)$|placeholder|loading\.gif", re.I)
CODE_LANGUAGE_CLASS = re.compile(r"^(language-[\w+#-]+\s*)+$")


def unwrap_image_proxy(url: str) -> str:
    """``https://cors.zfour.workers.dev/?http://x/y.png`` → ``http://x/y.png``."""
    url = url.strip()
    for prefix in IMAGE_PROXY_PREFIXES:
        if url.startswith(prefix):
            return url[len(prefix) :]
    return url


def _attr(token: dict, name: str) -> str | None:
    return token["data"].get((None, name))


def _tag_as_text(token: dict) -> dict:
    """The source text of a tag, as a Characters token (shown, not obeyed)."""
    if token["type"] == "EndTag":
        return {"type": "Characters", "data": f"</{token['name']}>"}
    attrs = "".join(f' {name}="{value}"' for (_, name), value in token["data"].items())
    return {"type": "Characters", "data": f"<{token['name']}{attrs}>"}


class _SourceRepairFilter(html5lib_shim.Filter):
    """Runs before the sanitiser: drops dangerous elements with their contents,
    keeps tags written inside ``<pre>`` as visible text, and fixes image URLs."""

    def __iter__(self):
        dropping: list[str] = []
        pre_depth = 0
        for token in super().__iter__():
            kind, name = token["type"], token.get("name")
            if dropping:
                if kind == "StartTag" and name == dropping[-1]:
                    dropping.append(name)
                elif kind == "EndTag" and name == dropping[-1]:
                    dropping.pop()
                continue
            if kind in ("StartTag", "EmptyTag", "EndTag"):
                if name == "pre":
                    pre_depth += 1 if kind == "StartTag" else -1 if kind == "EndTag" else 0
                elif pre_depth and name not in ALLOWED_TAGS:
                    yield _tag_as_text(token)
                    continue
                elif kind == "StartTag" and name in DROP_WITH_CONTENT:
                    dropping.append(name)
                    continue
                if name == "img" and kind != "EndTag":
                    _repair_image(token)
            yield token


def _repair_image(token: dict) -> None:
    src = (_attr(token, "src") or "").strip()
    lazy = next((v for a in LAZY_IMAGE_ATTRIBUTES if (v := _attr(token, a))), None)
    if lazy and (not src or PLACEHOLDER_IMAGE.search(src)):
        src = lazy.strip()
    token["data"][(None, "src")] = unwrap_image_proxy(src)


class _ReaderAttributesFilter(html5lib_shim.Filter):
    """Runs after the sanitiser: images load lazily without leaking the
    referrer, and links opening a new window cannot reach back to us."""

    def __iter__(self):
        for token in super().__iter__():
            if token["type"] in ("StartTag", "EmptyTag"):
                data = token["data"]
                if token["name"] == "img":
                    if not data.get((None, "src")):
                        continue
                    data[(None, "loading")] = "lazy"
                    data[(None, "referrerpolicy")] = "no-referrer"
                elif token["name"] == "a":
                    if (None, "href") in data:
                        data[(None, "href")] = unwrap_image_proxy(data[(None, "href")])
                    if data.get((None, "target")):
                        data[(None, "target")] = "_blank"
                        data[(None, "rel")] = "noopener noreferrer"
            yield token


def _allow_attribute(tag: str, name: str, value: str) -> bool:
    if tag == "code" and name == "class":
        return bool(CODE_LANGUAGE_CLASS.match(value))
    return name in ALLOWED_ATTRIBUTES.get(tag, ())


class _PolicyCleaner(bleach.Cleaner):
    """bleach's Cleaner with the repair filter placed *before* sanitising,
    where it can still see the elements the sanitiser would strip."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        # Parse every element as an element (bleach's own parser turns
        # disallowed tags into text before any filter sees them), so the repair
        # filter can drop a <script> with its contents.
        self.parser = html5lib_shim.BleachHTMLParser(
            tags=None, strip=True, consume_entities=False, namespaceHTMLElements=False
        )

    def clean(self, text: str) -> str:
        if not text:
            return ""
        dom = self.parser.parseFragment(text)
        stream = BleachSanitizerFilter(
            source=_SourceRepairFilter(self.walker(dom)),
            allowed_tags=self.tags,
            attributes=self.attributes,
            strip_disallowed_tags=True,
            strip_html_comments=True,
            css_sanitizer=None,
            allowed_protocols=self.protocols,
        )
        return self.serializer.render(_ReaderAttributesFilter(stream))


_cleaner = _PolicyCleaner(
    tags=ALLOWED_TAGS,
    attributes=_allow_attribute,
    protocols=ALLOWED_PROTOCOLS,
    strip=True,
    strip_comments=True,
)


def clean_html(html: str) -> str:
    """Sanitise ``html`` for readers. Idempotent: cleaning clean HTML changes nothing."""
    return _cleaner.clean(html).strip()
