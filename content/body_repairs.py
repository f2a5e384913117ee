"""Repairs made to a sanitised body when it is rendered, for readers of
imported posts: accessibility faults the source sites left, and the ``rel`` of
links that leave the site.

:func:`repair_body` runs after :func:`content.sanitizer.clean_html` (which
decides what may appear at all); it only adjusts what is already safe:

- headings: the page title is the only ``<h1>``, so the body's headings start
  at ``<h2>`` and never skip a level (``h1 h3 h4`` → ``h2 h3 h4``);
- an image without ``alt`` takes its ``title`` or its figure's caption, or
  else an empty ``alt`` (decorative); a local image gets its ``width`` and
  ``height`` when the file is in media storage, so text does not jump;
- a link with neither text nor a described image gives way to its content;
- ``<pre>`` can be scrolled with the keyboard (``tabindex="0"``);
- links to other sites from imported posts get ``rel="nofollow noopener"``,
  plus ``ugc`` for feed items.
"""

import enum
import html
from urllib.parse import unquote, urlsplit

import lxml.html
from django.conf import settings
from django.core.files.storage import default_storage
from PIL import Image

HEADING_TAGS = ("h1", "h2", "h3", "h4", "h5", "h6")
# The element lxml puts around a fragment while it is being repaired.
FRAGMENT_WRAPPER = "div"


class BodyOrigin(enum.Enum):
    """Who wrote a body, which decides how its outbound links are marked."""

    EDITOR = ()
    IMPORT = ("nofollow", "noopener")
    FEED = ("nofollow", "noopener", "ugc")

    @property
    def link_rel(self) -> tuple[str, ...]:
        return self.value


def repair_body(body_html: str, origin: BodyOrigin = BodyOrigin.EDITOR) -> str:
    """``body_html`` (already sanitised) with the repairs above."""
    if not body_html:
        return body_html
    root = lxml.html.fragment_fromstring(body_html, create_parent=FRAGMENT_WRAPPER)
    renumber_headings(root)
    for image in root.iter("img"):
        describe_image(image)
    for link in list(root.iter("a")):
        if is_empty_link(link):
            link.drop_tag()
        elif origin.link_rel and is_outbound(link.get("href", "")):
            add_rel(link, origin.link_rel)
    for pre in root.iter("pre"):
        pre.set("tabindex", "0")
    return _inner_html(root)


def size_local_images(body_html: str) -> str:
    """``body_html`` with ``width``/``height`` on its images in media storage: for
    bodies whose images were stored after they were rendered (imported copies)."""
    if _media_url() not in body_html:
        return body_html
    root = lxml.html.fragment_fromstring(body_html, create_parent=FRAGMENT_WRAPPER)
    for image in root.iter("img"):
        describe_image(image)
    return _inner_html(root)


def renumber_headings(root) -> None:
    """Headings nest under the page's ``<h1>`` in order: each is one level
    below the nearest earlier heading of a higher level (h2 at the top)."""
    open_levels: list[tuple[int, int]] = []  # (level written, level given) of the enclosing headings
    for heading in list(root.iter(*HEADING_TAGS)):
        written = int(heading.tag[1])
        while open_levels and open_levels[-1][0] >= written:
            open_levels.pop()
        given = min(open_levels[-1][1] + 1 if open_levels else 2, 6)
        open_levels.append((written, given))
        heading.tag = f"h{given}"


def describe_image(image) -> None:
    if image.get("alt") is None:
        image.set("alt", image.get("title") or _caption_text(image))
    if not (image.get("width") or image.get("height")) and (size := local_image_size(image.get("src", ""))):
        image.set("width", str(size[0]))
        image.set("height", str(size[1]))


def _caption_text(image) -> str:
    figure = next(image.iterancestors("figure"), None)
    caption = figure.find(".//figcaption") if figure is not None else None
    return " ".join(caption.text_content().split()) if caption is not None else ""


def local_image_size(src: str) -> tuple[int, int] | None:
    """The pixel size of an image in media storage (imported or uploaded); None for others."""
    media_url = _media_url()
    if not src.startswith(media_url):
        return None
    try:
        with default_storage.open(unquote(src.removeprefix(media_url))) as file, Image.open(file) as picture:
            return picture.size
    except (OSError, ValueError, Image.DecompressionBombError):  # missing, unreadable or not an image
        return None


def _media_url() -> str:
    return settings.MEDIA_URL if "//" in settings.MEDIA_URL else "/" + settings.MEDIA_URL.lstrip("/")


def is_empty_link(link) -> bool:
    """Nothing a reader or screen reader could follow: no text and no image with alt text."""
    return not link.text_content().strip() and not any(image.get("alt") for image in link.iter("img"))


def is_outbound(href: str) -> bool:
    return urlsplit(href).scheme in ("http", "https")


def add_rel(link, words: tuple[str, ...]) -> None:
    rel = link.get("rel", "").split()
    link.set("rel", " ".join(rel + [word for word in words if word not in rel]))


def _inner_html(root) -> str:
    children = (lxml.html.tostring(child, encoding="unicode") for child in root)
    return html.escape(root.text or "", quote=False) + "".join(children)
