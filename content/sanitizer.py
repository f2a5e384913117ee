"""The one HTML policy for article bodies, used by the importer and the admin.

Everything readers see goes through :func:`clean_html`: an allow-list of
structural tags and safe attributes, with http(s), mailto and relative URLs
only. Scripts, styles, SVG and form controls are removed together with their
contents; inline ``style`` and event-handler attributes never survive. Tags
written inside ``<pre>`` that are not code markup (JSX ``<div>``, Java
``List<String>``) are shown as the text they are. Players embedded from the
hosts in ``settings.EMBED_HOSTS`` become click-to-load links, any other embed or
video a plain link to its source (see :mod:`content.embeds`).

The policy also repairs what the aggregated feeds do to markup: the CORS proxy
wrapper is removed from links and images, lazy-load placeholders give way to the
real URL in ``data-original``/``data-src``, and every image loads lazily without
a referrer.

The sanitising itself is nh3 (the Rust ammonia sanitiser on a browser-grade
HTML parser). What it cannot express is done by small linear passes of ours:

- before it, on the source: tags inside ``<pre>`` escaped (nh3 sees only the
  parsed tree, where they are already elements), and nesting deeper than
  ``MAX_DEPTH`` flattened (the HTML parser's scope checks cost time per open
  element, so 100,000 nested ``<div>`` would take minutes);
- after it, on nh3's well-formed output: rules that look at more than one
  attribute or at an element's surroundings (lazy images, proxied URLs checked
  again once unwrapped, UI chrome marked by class, embeds, controls inside
  links), and a tree the parser reads back the same, so cleaning is
  idempotent. (Links left empty are ``content.body_repairs``'s.)
"""

import html
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

import nh3

from content.embeds import player_url
from content.text import without_controls

IMAGE_PROXY_PREFIXES = ("https://cors.zfour.workers.dev/?", "http://cors.zfour.workers.dev/?")

HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
ALLOWED_TAGS = HEADINGS | frozenset(
    {"a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "col", "colgroup", "dd", "del", "div"}
    | {"dl", "dt", "em", "figcaption", "figure", "hr", "i", "img", "ins", "kbd", "li", "mark", "ol", "p", "pre"}
    | {"q", "s", "samp", "small", "span", "strong", "sub", "sup", "table", "tbody", "td", "tfoot", "th"}
    | {"thead", "tr", "u", "ul"}
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

# Elements removed with everything inside them: their text is code, styling,
# UI chrome or a fallback browsers do not show, never article prose.
DROP_WITH_CONTENT = frozenset(
    {"script", "style", "template", "noscript", "noembed", "noframes", "frame", "frameset", "applet"}
    | {"svg", "math", "select", "textarea", "form", "head", "title", "canvas", "map", "marquee"}
)
# Players: each becomes a link to its source (see content.embeds); what is inside is a fallback.
EMBEDS = {"iframe": "视频", "embed": "视频", "object": "视频", "video": "视频", "audio": "音频"}
# Buttons go with their labels (UI chrome), except inside a link, where the label is the link's text.
CONTROLS = frozenset({"button"})
# Source sites' own buttons, marked by class (juejin's "复制代码" inside code blocks).
UI_CHROME_CLASS = "copy-code-btn"

# The only tags that stay markup inside <pre>: what syntax highlighters and
# line breaks use. Any other tag there is source code the feed did not escape.
CODE_MARKUP = frozenset(
    {"pre", "code", "span", "br", "a", "b", "i", "em", "strong", "u", "s", "del", "ins", "mark", "sub", "sup"}
    | {"small", "kbd", "samp"}
)

LAZY_IMAGE_ATTRIBUTES = ("data-original", "data-src", "data-actualsrc", "data-lazy-src")
CODE_LANGUAGE_CLASS = re.compile(r"^(language-[\w+#-]+\s*)+$")
# Deeper than this, elements give way to their contents (real posts stay under 30).
MAX_DEPTH = 64

_NH3_TAGS = ALLOWED_TAGS | EMBEDS.keys() | CONTROLS | {"source"}
_NH3_ATTRIBUTES = {
    **{tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
    "*": {"class"},
    "a": {*ALLOWED_ATTRIBUTES["a"], "data-embed"},
    "img": {*ALLOWED_ATTRIBUTES["img"], *LAZY_IMAGE_ATTRIBUTES},
    **{tag: {"src", "title"} for tag in ("iframe", "embed", "video", "audio", "source")},
    "object": {"data", "title"},
}
_VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track"})
_VOID_IN_SOURCE = _VOID | {"wbr", "param", "keygen", "frame"}
_RAW_TEXT = frozenset({"script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes", "noscript"})
_ENDED_BY_SIBLING = frozenset({"p", "li", "dt", "dd", "option", "tr", "td", "th"})

_PROXY_PREFIX = re.compile("|".join(map(re.escape, IMAGE_PROXY_PREFIXES)), re.I)
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*):")
# Browsers drop tabs and newlines anywhere in a URL, and controls and spaces at its ends.
_IGNORED_IN_URLS = re.compile(r"^[\x00-\x20]+|[\t\n\r]")
_PRE_START = re.compile(r"<pre\b[^>]*>", re.I)
_PRE_END = re.compile(r"</pre[\s/>]", re.I)
_TAG_IN_CODE = re.compile(r"<(/?)([A-Za-z][\w:-]*)|<(?!!--)(?=[!?])")
_SOURCE_TAG = re.compile(r"<(/?)([A-Za-z][^\s/>]*)[^>]*>")
_OUTPUT_TOKEN = re.compile(r'<(/?)([a-z][a-z0-9]*)((?:\s+[^\s=>]+="[^"]*")*)\s*>|[^<]+|<')
_OUTPUT_ATTRIBUTE = re.compile(r'([^\s=>]+)="([^"]*)"')


def unwrap_image_proxy(url: str) -> str:
    """``https://cors.zfour.workers.dev/?http://x/y.png`` → ``http://x/y.png``
    (as often as it was wrapped)."""
    url = url.strip()
    while match := _PROXY_PREFIX.match(url):
        url = url[match.end() :].strip()
    return url


def allowed_url(url: str) -> bool:
    """Whether a browser would read ``url`` (already entity-decoded) as http(s),
    mailto or relative: ``javascript:123``, ``cid:…`` and ``data:`` are not."""
    scheme = _SCHEME.match(_IGNORED_IN_URLS.sub("", url))
    return scheme is None or scheme.group(1).lower() in ALLOWED_PROTOCOLS


def clean_html(source: str) -> str:
    """Sanitise ``source`` for readers. Idempotent: cleaning clean HTML changes nothing."""
    if not source:
        return ""
    sanitised = nh3.clean(
        _flatten_deep_nesting(_code_blocks_as_text(without_controls(source))),
        tags=_NH3_TAGS,
        clean_content_tags=DROP_WITH_CONTENT,
        attributes=_NH3_ATTRIBUTES,
        attribute_filter=_filter_attribute,
        strip_comments=True,
        link_rel=None,
        url_schemes=ALLOWED_PROTOCOLS,
    )
    tokens = _reads_back(_repaired(_output_tokens(sanitised)))
    return "".join(token.html() for token in tokens).strip()


# -- Before nh3: passes over the source ----------------------------------------------


def _code_blocks_as_text(source: str) -> str:
    """Inside a ``<pre>`` that is closed later on, a tag that is not code markup
    (and ``<!doctype``, ``<?>``) is escaped, so it shows as written (case,
    attributes, even ``<String, View>``). Comments stay comments. An unclosed
    ``<pre>`` is left for the parser, which treats it as browsers do."""
    parts, position = [], 0
    while (start := _PRE_START.search(source, position)) and (end := _PRE_END.search(source, start.end())):
        parts += [source[position : start.end()], _TAG_IN_CODE.sub(_escape_code_tag, source[start.end() : end.start()])]
        position = end.start()
    return "".join(parts) + source[position:]


def _escape_code_tag(match: re.Match) -> str:
    name = match.group(2)
    return match.group() if name and name.lower() in CODE_MARKUP else "&lt;" + match.group()[1:]


def _flatten_deep_nesting(source: str) -> str:
    """Drops the start and end tags of elements more than ``MAX_DEPTH`` deep,
    keeping their contents, in one scan of the source. Depth is counted as a
    parser would, roughly (void elements, ``<p>``/``<li>`` ended by the next
    one, raw text skipped): it only bounds the parser's work, nh3 still judges
    what remains."""
    if source.count("<") <= MAX_DEPTH:
        return source
    parts, position, open_names, dropped = [], 0, [], Counter()
    for match in _SOURCE_TAG.finditer(source):
        if match.start() < position:
            continue  # inside raw text
        closing, name = match.group(1), match.group(2).lower()
        remove = False
        if closing:
            remove = _close(name, open_names, dropped)
        elif name not in _VOID_IN_SOURCE and not match.group().endswith("/>"):
            if name in _ENDED_BY_SIBLING and open_names and open_names[-1] == name:
                open_names.pop()
            remove = len(open_names) >= MAX_DEPTH
            if remove:
                dropped[name] += 1
            else:
                open_names.append(name)
        parts.append(source[position : match.start()] if remove else source[position : match.end()])
        position = match.end()
        if name in _RAW_TEXT and not closing and not remove:
            end = re.compile(rf"</{re.escape(name)}[\s/>]", re.I).search(source, position)
            raw_end = end.start() if end else len(source)
            parts.append(source[position:raw_end])
            position = raw_end
    return "".join(parts) + source[position:]


def _close(name: str, open_names: list[str], dropped: Counter) -> bool:
    """An end tag: whether it closes a dropped element (and goes with it)."""
    if dropped[name]:
        dropped[name] -= 1
        return True
    if name in open_names:
        del open_names[len(open_names) - 1 - open_names[::-1].index(name) :]
    return False


def _filter_attribute(tag: str, name: str, value: str) -> str | None:
    """nh3's per-attribute rule: ``class`` only as a code language or as the UI
    chrome marker (which the pass after nh3 removes with its element)."""
    if name == "class":
        if tag == "code" and CODE_LANGUAGE_CLASS.match(value):
            return value
        return UI_CHROME_CLASS if UI_CHROME_CLASS in value.split() else None
    if name == "title" and not value.strip():
        return None  # a valueless title (a common feed glitch) says nothing
    return value


# -- After nh3: passes over its well-formed output ------------------------------------


@dataclass(slots=True)
class _Token:
    """A start tag (``attributes`` decoded), an end tag, or text (as escaped by nh3)."""

    kind: str  # "start", "end" or "text"
    name: str = ""
    attributes: dict[str, str] = field(default_factory=dict)
    text: str = ""

    def html(self) -> str:
        if self.kind == "text":
            return self.text
        if self.kind == "end":
            return f"</{self.name}>"
        written = "".join(f' {name}="{_escape_attribute(value)}"' for name, value in self.attributes.items())
        return f"<{self.name}{written}>"


def _escape_attribute(value: str) -> str:
    return html.escape(value, quote=True).replace("&#x27;", "'").replace("\xa0", "&nbsp;")


def _text(text: str) -> _Token:
    return _Token("text", text=html.escape(text, quote=False))


def _output_tokens(sanitised: str) -> Iterator[_Token]:
    """nh3's output as tokens. An iframe's content is raw text there: it is skipped."""
    position = 0
    while match := _OUTPUT_TOKEN.match(sanitised, position):
        position = match.end()
        closing, name, attributes = match.groups()
        if not name:
            yield _Token("text", text="&lt;" if match.group() == "<" else match.group())
        elif closing:
            yield _Token("end", name)
        else:
            found = _OUTPUT_ATTRIBUTE.findall(attributes) if attributes else ()
            yield _Token("start", name, {key: html.unescape(value) for key, value in found})
            if name == "iframe":
                position = sanitised.index("</iframe>", position)


class _Dropping:
    """An element being removed with its contents; an embed's source is noted on the way."""

    def __init__(self, token: _Token):
        self.name, self.depth = token.name, 1
        self.label = EMBEDS.get(token.name)
        self.source = token.attributes.get("src") or token.attributes.get("data") or ""

    def take(self, token: _Token) -> bool:
        """Whether ``token`` ends the element."""
        if token.kind == "start" and token.name == "source" and not self.source:
            self.source = token.attributes.get("src", "")
        if token.name == self.name:
            self.depth += 1 if token.kind == "start" else -1
        return self.depth == 0


def _repaired(tokens: Iterable[_Token]) -> Iterator[_Token]:
    """UI chrome and embed fallbacks removed with their contents, embeds made
    links, buttons kept as text inside links only, and the attribute rules of
    :func:`_start_tag`."""
    dropping: _Dropping | None = None
    kept: list[bool] = []  # for every open element: whether its tags are written
    links_open = 0
    for token in tokens:
        if dropping:
            if dropping.take(token):
                yield from _embed_link(dropping)
                dropping = None
            continue
        if token.kind == "start" and (token.name in EMBEDS or token.attributes.get("class") == UI_CHROME_CLASS):
            dropping = _Dropping(token)
            if token.name in _VOID:
                yield from _embed_link(dropping)
                dropping = None
            continue
        if token.kind == "start" and token.name in CONTROLS:
            if links_open:
                kept.append(False)
            else:
                dropping = _Dropping(token)
            continue
        if token.kind == "end":
            if kept.pop():
                links_open -= token.name == "a"
                yield token
            continue
        if token.kind == "start":
            kept_token = _start_tag(token) if token.name in ALLOWED_TAGS else None
            if token.name not in _VOID:
                kept.append(kept_token is not None)
                links_open += kept_token is not None and token.name == "a"
            if kept_token is None:
                continue
        yield token


def _embed_link(dropped: _Dropping) -> Iterator[_Token]:
    """A player as a link to its source: a click-to-load facade on an allowed host."""
    if not dropped.label:
        return
    source = unwrap_image_proxy(dropped.source)
    if source.startswith("//"):
        source = f"https:{source}"
    if not source or not allowed_url(source):
        return
    player = player_url(source)
    attributes = {"href": player, "data-embed": ""} if player else {"href": source}
    yield _Token("start", "a", attributes)
    yield _text(f"{dropped.label}：{player or source}")
    yield _Token("end", "a")


def _start_tag(token: _Token) -> _Token | None:
    """Images: the lazy-load source, no proxy, lazy without a referrer (gone
    without a source). Links: no proxy, ``noopener`` with a new window, a
    facade only for an allowed player. No class left but a code language."""
    attributes = token.attributes
    if token.name == "img":
        lazy = [attributes.pop(name, "").strip() for name in LAZY_IMAGE_ATTRIBUTES]  # every one popped
        source = unwrap_image_proxy(next((url for url in lazy if url), attributes.pop("src", "")))
        if not source or not allowed_url(source):
            return None
        token.attributes = {"src": source, **attributes, "loading": "lazy", "referrerpolicy": "no-referrer"}
    elif token.name == "a":
        if "href" in attributes:
            attributes["href"] = unwrap_image_proxy(attributes["href"])
            if not allowed_url(attributes["href"]):
                del attributes["href"]
        if "data-embed" in attributes and player_url(attributes.get("href", "")) != attributes.get("href"):
            del attributes["data-embed"]
        if attributes.get("target"):
            attributes.update(target="_blank", rel="noopener noreferrer")
        else:
            attributes.pop("target", None)
    if token.name != "code":
        attributes.pop("class", None)
    return token


# What the HTML parser does on reading a start tag, for the tags we keep (see
# "the in body insertion mode" in the HTML standard).
CLOSES_P = HEADINGS | frozenset(
    {"blockquote", "div", "dl", "figcaption", "figure", "hr", "ol", "p", "ul", "pre"} | {"li", "dd", "dt", "table"}
)
SCOPE_BOUNDARIES = frozenset({"table", "td", "th", "caption"})
ENDS_ITEM_SEARCH = HEADINGS | frozenset(
    {"blockquote", "br", "caption", "col", "colgroup", "dd", "dl", "dt", "figcaption", "figure", "hr", "img"}
    | {"li", "ol", "pre", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul"}
)


def _reads_back(tokens: Iterable[_Token]) -> Iterator[_Token]:
    """Makes the output a tree the parser reads back unchanged, so cleaning
    clean HTML changes nothing. Removing a tag (``<font>``, ``<marquee>``) can
    leave an element where the parser would not nest it (a heading right inside
    a heading, ``<li>`` in ``<li>``, a block in ``<p>``, ``<a>`` in ``<a>``, a
    ``<div>`` in a ``<pre>``): such an element gives way to its contents. The
    newline the parser drops right after ``<pre>`` is doubled."""
    open_names: list[str] = []  # the elements written out and still open
    written: list[bool] = []  # for every open element, whether it was written
    after_pre = False
    for token in tokens:
        if token.kind == "start":
            keep = not _parser_would_close(open_names, token.name)
            if token.name not in _VOID:
                written.append(keep)
                if keep:
                    open_names.append(token.name)
            if not keep:
                continue
        elif token.kind == "end":
            if not (written and written.pop()):
                continue
            open_names.pop()
        elif after_pre and token.text.startswith("\n"):
            token.text = "\n" + token.text
        after_pre = token.kind == "start" and token.name == "pre"
        yield token


def _parser_would_close(open_names: list[str], name: str) -> bool:
    """Whether the parser, reading ``<name>`` inside ``open_names``, would close
    one of them instead of nesting the new element there."""
    if "pre" in open_names and name not in CODE_MARKUP:
        return True
    if name in HEADINGS and open_names and open_names[-1] in HEADINGS:
        return True
    if name in CLOSES_P and _in_scope(open_names, "p"):
        return True
    if name == "a" and _in_scope(open_names, "a"):
        return True
    if name in ("li", "dd", "dt"):
        return _item_open(open_names, {"li"} if name == "li" else {"dd", "dt"})
    return False


def _in_scope(open_names: list[str], name: str) -> bool:
    for open_name in reversed(open_names):
        if open_name == name:
            return True
        if open_name in SCOPE_BOUNDARIES:
            return False
    return False


def _item_open(open_names: list[str], items: set[str]) -> bool:
    for open_name in reversed(open_names):
        if open_name in items:
            return True
        if open_name in ENDS_ITEM_SEARCH:
            return False
    return False
