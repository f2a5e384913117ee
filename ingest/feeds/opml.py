"""OPML subscription lists, read and written: how feed readers move their sources.

Every reader exports OPML (Feedly, Inoreader, FreshRSS, Miniflux): an outline
per feed, with ``xmlUrl``, inside outlines that are folders. Reading gives one
:class:`Outline` per feed with its folder path (nested folders become the
category path, top first) and the line it is on; it writes nothing.

The file comes from outside, so it is read with ``defusedxml``: no DTDs'
entity expansion ("billion laughs") and no external entities. A file that is
not well-formed XML, or not OPML, is an :class:`OpmlError` naming the line
and the reason, so that nothing of it is subscribed.
"""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from xml.etree.ElementTree import Element, ParseError, SubElement, indent, tostring
from xml.parsers.expat import ErrorString

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser

from ingest.records import clean_text


class OpmlError(Exception):
    """Why a file cannot be read as OPML, with where: ``line 8, column 74: not well-formed``."""

    def __init__(self, line: int, reason: str, column: int | None = None):
        self.line, self.reason = line, reason
        where = f"line {line}" if column is None else f"line {line}, column {column}"
        super().__init__(f"{where}: {reason}")


@dataclass(frozen=True)
class Outline:
    """One feed of the list: its URL, its title (may be empty) and its folders."""

    line: int
    url: str
    title: str
    path: tuple[str, ...]


def parse_opml(data: bytes) -> list[Outline]:
    """Every feed outline of an OPML 1.0, 1.1 or 2.0 document, in document order."""
    collector = _Collector()
    parser = DefusedXMLParser(target=collector, forbid_dtd=True)
    collector.expat = parser.parser
    try:
        parser.feed(data)
        parser.close()
    except ParseError as exc:
        line, column = exc.position
        raise OpmlError(line, ErrorString(exc.code), column) from exc
    except DefusedXmlException as exc:
        raise OpmlError(collector.line, f"refused: {exc}") from exc
    if not collector.seen_body:
        raise OpmlError(collector.line, "no <body> element: not an OPML subscription list")
    return collector.outlines


class _Collector:
    """An ElementTree parser target that keeps feed outlines and the folders around them."""

    def __init__(self):
        self.expat = None
        self.outlines: list[Outline] = []
        self.stack: list[str] = []  # element names from the root
        self.folders: list[str] = []  # per open outline: its folder name, or "" for a feed or an empty title
        self.seen_body = False

    @property
    def line(self) -> int:
        return self.expat.CurrentLineNumber if self.expat else 1

    def start(self, tag: str, attributes: dict[str, str]) -> None:
        if not self.stack and tag != "opml":
            raise OpmlError(self.line, f"not an OPML file (its root element is <{tag}>)")
        self.stack.append(tag)
        self.seen_body = self.seen_body or self.stack[:2] == ["opml", "body"]
        if tag != "outline" or self.stack[:2] != ["opml", "body"]:
            return
        # Exporters disagree on case (xmlUrl, xmlurl, XMLURL).
        attributes = {name.lower(): value for name, value in attributes.items()}
        title = clean_text(attributes.get("text") or attributes.get("title"))
        url = clean_text(attributes.get("xmlurl"))
        if url:
            self.outlines.append(Outline(self.line, url, title, tuple(name for name in self.folders if name)))
        self.folders.append("" if url else folder_name(title))

    def end(self, tag: str) -> None:
        self.stack.pop()
        if tag == "outline" and self.stack[:2] == ["opml", "body"]:
            self.folders.pop()

    def data(self, text: str) -> None:
        pass

    def close(self) -> None:
        return None


def folder_name(value: str) -> str:
    """A folder's title as a category name: a ``/`` would split the path, so it becomes ``／``."""
    return value.replace("/", "／")


@dataclass(frozen=True)
class ExportedFeed:
    url: str
    title: str
    path: list[str]  # category names, top first


def opml_document(feeds: Iterable[ExportedFeed], *, title: str, now: dt.datetime) -> bytes:
    """An OPML 2.0 document with each feed in nested outlines for its category path."""
    root = Element("opml", version="2.0")
    head = SubElement(root, "head")
    SubElement(head, "title").text = title
    SubElement(head, "dateCreated").text = now.strftime("%a, %d %b %Y %H:%M:%S %z")
    body = SubElement(root, "body")
    folders: dict[tuple[str, ...], Element] = {(): body}
    for feed in feeds:
        parent = _folder(folders, tuple(feed.path))
        SubElement(parent, "outline", type="rss", text=feed.title, title=feed.title, xmlUrl=feed.url)
    indent(root)
    return tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


def _folder(folders: dict[tuple[str, ...], Element], path: tuple[str, ...]) -> Element:
    if path not in folders:
        folders[path] = SubElement(_folder(folders, path[:-1]), "outline", text=path[-1], title=path[-1])
    return folders[path]
