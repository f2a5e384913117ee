"""The one HTML policy for article bodies, used by the importer and the admin.

Everything readers see goes through :func:`clean_html`: an allow-list of
structural tags and safe attributes (bleach), with http(s), mailto and relative
links and images only. Scripts, styles, iframes, SVG and form controls are
removed together with their contents; inline ``style`` and event-handler
attributes never survive. Tags written inside ``<pre>`` that are not code
markup (JSX ``<div>``, Java ``List<String>``) are shown as the text they are.

The policy also repairs what the aggregated feeds do to markup: the CORS proxy
wrapper is removed from links and images, lazy-load placeholders give way to the
real URL in ``data-original``/``data-src``, and every image loads lazily without
a referrer.

The work is bleach's html5lib pipeline (a browser-grade parser) with our own
pieces at four points: the tokenizer (tags inside ``<pre>``), a filter before
bleach's sanitiser (what it would strip without looking inside), and two after
it (reader attributes; a tree the parser reads back the same, so cleaning is
idempotent).
"""

import re
import threading

from bleach import html5lib_shim
from bleach.sanitizer import BleachSanitizerFilter

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
    {"script", "style", "template", "noscript", "noembed", "noframes", "iframe", "frame", "frameset"}
    | {"object", "embed", "applet", "svg", "math", "button", "select", "textarea", "form", "head", "title"}
    | {"audio", "video", "canvas", "map", "marquee"}
)
# Source sites' own buttons, marked by class (juejin's "复制代码" inside code blocks).
UI_CHROME_CLASS = re.compile(r"(^|\s)copy-code-btn(\s|$)")

# The only tags that stay markup inside <pre>: what syntax highlighters and
# line breaks use. Any other tag there is source code the feed did not escape.
CODE_MARKUP = frozenset(
    {"pre", "code", "span", "br", "a", "b", "i", "em", "strong", "u", "s", "del", "ins", "mark", "sub", "sup"}
    | {"small", "kbd", "samp"}
)

LAZY_IMAGE_ATTRIBUTES = ("data-original", "data-src", "data-actualsrc", "data-lazy-src")
CODE_LANGUAGE_CLASS = re.compile(r"^(language-[\w+#-]+\s*)+$")

_PROXY_PREFIX = re.compile("|".join(map(re.escape, IMAGE_PROXY_PREFIXES)), re.I)
_PRE_END_TAG = re.compile(r"</pre", re.I)
_TAG_TOKENS = html5lib_shim.TAG_TOKEN_TYPES
_CHARACTERS = html5lib_shim.TAG_TOKEN_TYPE_CHARACTERS
_COMMENT_OR_DOCTYPE = frozenset({html5lib_shim.constants.tokenTypes[t] for t in ("Comment", "Doctype")})


def unwrap_image_proxy(url: str) -> str:
    """``https://cors.zfour.workers.dev/?http://x/y.png`` → ``http://x/y.png``
    (as often as it was wrapped)."""
    url = url.strip()
    while match := _PROXY_PREFIX.match(url):
        url = url[match.end() :].strip()
    return url


# -- Parsing: tags inside <pre> ----------------------------------------------------


class _SourceMemory(html5lib_shim.InputStreamWithMemory):
    """The source text since the last ``<`` (for :meth:`get_tag`), kept in
    chunks: bleach's version stores every character of the text separately."""

    def charsUntil(self, characters, opposite=False):
        chars = self._inner_stream.charsUntil(characters, opposite=opposite)
        if chars:
            self._buffer.append(chars)
        return chars

    def unget(self, char):
        if self._buffer:
            last = self._buffer.pop()
            if len(last) > 1:
                self._buffer.append(last[:-1])
        return self._inner_stream.unget(char)


class _CodeAwareTokenizer(html5lib_shim.BleachHTMLTokenizer):
    """Inside a ``<pre>`` that is closed later on, a tag that is not code
    markup becomes its source text as written (case, attributes, even
    ``<String, View>``), before the tree builder can obey it, lower-case it or
    add a matching end tag. An unclosed ``<pre>`` is parsed as browsers do."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        inner = self.stream._inner_stream
        inner.reportCharacterErrors = None  # skips a regex scan per chunk for errors nobody reads
        self.stream = _SourceMemory(inner)

    def __iter__(self):
        # ``<?>`` (Java generics) and ``<!doctype`` are bogus comments to HTML;
        # in a code block they are code. Real ``<!-- -->`` comments stay hidden.
        for token in super().__iter__():
            if token["type"] in _COMMENT_OR_DOCTYPE and self._in_code_block():
                source = self.stream.get_tag()
                if not source.startswith("<!--"):
                    token = {"type": _CHARACTERS, "data": source}
            yield token

    def emitCurrentToken(self):
        token = self.currentToken
        if token["type"] in _TAG_TOKENS and token["name"] not in CODE_MARKUP and self._in_code_block():
            self.currentToken = self.emitted_last_token = {"type": _CHARACTERS, "data": self.stream.get_tag()}
            self.tokenQueue.append(self.currentToken)
            self.state = self.dataState
            return
        if token["type"] == html5lib_shim.TAG_TOKEN_TYPE_END and token["name"] == "pre":
            self.parser.pre_end_tags_ahead -= 1
        super().emitCurrentToken()

    def _in_code_block(self) -> bool:
        if self.parser.pre_end_tags_ahead <= 0:
            return False
        return any(element.name == "pre" for element in self.parser.tree.openElements)


class _Parser(html5lib_shim.BleachHTMLParser):
    """bleach's parser with :class:`_CodeAwareTokenizer`. Every element is
    parsed as an element (``tags=None``): bleach's own allow-list would turn
    a ``<script>`` into text before any filter could drop it with its contents."""

    def __init__(self):
        super().__init__(tags=None, strip=True, consume_entities=False, namespaceHTMLElements=False)
        self.pre_end_tags_ahead = 0

    def _parse(self, stream, innerHTML=False, container="div", scripting=True, **kwargs):
        self.pre_end_tags_ahead = len(_PRE_END_TAG.findall(stream))
        self.innerHTMLMode = innerHTML
        self.container = container
        self.scripting = scripting  # <noscript> parsed as a browser with JavaScript would
        self.tokenizer = _CodeAwareTokenizer(stream=stream, consume_entities=False, parser=self, **kwargs)
        self.reset()
        self.mainLoop()


# -- Before the sanitiser ----------------------------------------------------------


class _SourceRepairFilter(html5lib_shim.Filter):
    """Runs before the sanitiser, which would strip a ``<script>`` tag but keep
    its text: drops dangerous elements and UI chrome with their contents, and
    unwraps proxied URLs *before* their scheme is checked."""

    def __iter__(self):
        dropping: list[str] = []
        for token in super().__iter__():
            kind, name = token["type"], token.get("name")
            if dropping:
                if kind == "StartTag" and name == dropping[-1]:
                    dropping.append(name)
                elif kind == "EndTag" and name == dropping[-1]:
                    dropping.pop()
                continue
            if kind == "StartTag" and (name in DROP_WITH_CONTENT or UI_CHROME_CLASS.search(_attr(token, "class"))):
                dropping.append(name)
                continue
            if kind in ("StartTag", "EmptyTag") and name in ("img", "a"):
                _repair_url(token, "src" if name == "img" else "href")
            yield token


def _attr(token: dict, name: str) -> str:
    return token["data"].get((None, name)) or ""


def _repair_url(token: dict, name: str) -> None:
    """Unwrap the proxy; for an image, a lazy-load attribute holds the real URL
    (``src`` is a placeholder or a thumbnail until the page's script swaps it)."""
    url = _attr(token, name).strip()
    if name == "src":
        url = next((lazy for a in LAZY_IMAGE_ATTRIBUTES if (lazy := _attr(token, a).strip())), url)
    if url:
        token["data"][(None, name)] = unwrap_image_proxy(url)


def _allow_attribute(tag: str, name: str, value: str) -> bool:
    if tag == "code" and name == "class":
        return bool(CODE_LANGUAGE_CLASS.match(value))
    if name == "title" and not value.strip():
        return False  # a valueless title (a common feed glitch) says nothing
    return name in ALLOWED_ATTRIBUTES.get(tag, ())


# -- After the sanitiser -----------------------------------------------------------


class _ReaderAttributesFilter(html5lib_shim.Filter):
    """Images load lazily without leaking the referrer, and links opening a new
    window cannot reach back to us. An image left without a source goes."""

    def __iter__(self):
        for token in super().__iter__():
            if token["type"] in ("StartTag", "EmptyTag"):
                data = token["data"]
                if token["name"] == "img":
                    if not data.get((None, "src")):
                        continue
                    data[(None, "loading")] = "lazy"
                    data[(None, "referrerpolicy")] = "no-referrer"
                elif token["name"] == "a" and data.get((None, "target")):
                    data[(None, "target")] = "_blank"
                    data[(None, "rel")] = "noopener noreferrer"
            yield token


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


class _ReadsBackFilter(html5lib_shim.Filter):
    """Makes the output a tree the parser reads back unchanged, so cleaning
    clean HTML changes nothing. Removing a tag (``<font>``, ``<marquee>``) can
    leave an element where the parser would not nest it (a heading right inside
    a heading, ``<li>`` in ``<li>``, a block in ``<p>``, ``<a>`` in ``<a>``, a
    ``<div>`` in a ``<pre>``): such an element gives way to its contents."""

    def __iter__(self):
        open_names: list[str] = []  # the elements written out and still open
        written: list[bool] = []  # for every open element, whether it was written
        after_pre = False
        for token in super().__iter__():
            kind = token["type"]
            if kind in ("StartTag", "EmptyTag"):
                keep = not _parser_would_close(open_names, token["name"])
                if kind == "StartTag":
                    written.append(keep)
                    if keep:
                        open_names.append(token["name"])
                if not keep:
                    continue
            elif kind == "EndTag":
                if not (written and written.pop()):
                    continue
                open_names.pop()
            elif after_pre and kind in ("Characters", "SpaceCharacters") and token["data"].startswith("\n"):
                token["data"] = "\n" + token["data"]  # the parser drops a newline right after <pre>
            after_pre = kind == "StartTag" and token["name"] == "pre"
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


# -- The pipeline --------------------------------------------------------------------


class _Cleaner:
    """Parse → repair → sanitise → reader attributes → read-back-safe tree →
    serialise. Holds a parser, which keeps state while parsing: one per thread."""

    def __init__(self):
        self.parser = _Parser()
        self.walker = html5lib_shim.getTreeWalker("etree")
        self.serializer = html5lib_shim.BleachHTMLSerializer(
            quote_attr_values="always",
            # Always ": bleach undoes html5lib's escaping of & only in
            # "-quoted values, so a '-quoted one gained an &amp; per clean.
            quote_char='"',
            omit_optional_tags=False,
            escape_lt_in_attrs=True,
            resolve_entities=False,  # entities stay as written, and bare & is escaped
            sanitize=False,
            alphabetical_attributes=False,
        )

    def clean(self, text: str) -> str:
        stream = BleachSanitizerFilter(
            source=_SourceRepairFilter(self.walker(self.parser.parseFragment(text))),
            allowed_tags=ALLOWED_TAGS,
            attributes=_allow_attribute,
            strip_disallowed_tags=True,
            strip_html_comments=True,
            css_sanitizer=None,
            allowed_protocols=ALLOWED_PROTOCOLS,
        )
        return self.serializer.render(_ReadsBackFilter(_ReaderAttributesFilter(stream)))


_per_thread = threading.local()


def clean_html(html: str) -> str:
    """Sanitise ``html`` for readers. Idempotent: cleaning clean HTML changes nothing."""
    if not html:
        return ""
    cleaner = getattr(_per_thread, "cleaner", None)
    if cleaner is None:
        cleaner = _per_thread.cleaner = _Cleaner()
    return cleaner.clean(html).strip()
