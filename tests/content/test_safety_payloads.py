"""Thousands of public XSS payloads, each list named by its source, through
``render_body`` as HTML and as Markdown: nothing executable survives.

The lists (tests/data/xss_payloads.json) come from the test suites and fixtures
of DOMPurify, HTML5 Security Cheatsheet, ammonia, nh3, bleach and sanitize-html,
and from the payloadbox list. "Executable" is judged on the output as a browser
parses it: any element outside the allow-list, any ``on*`` or ``style``
attribute, any URL that is not http(s), mailto or relative, and any
click-to-load player outside ``EMBED_HOSTS``.
"""

import json
import re
from functools import cache
from html.parser import HTMLParser

import pytest

from content.embeds import player_url
from content.rendering import BodyRefused, render_body
from content.sanitizer import ALLOWED_TAGS, allowed_url
from tests.conftest import TESTS_DIR

PAYLOADS = TESTS_DIR / "data" / "xss_payloads.json"
DANGEROUS_IN_SOURCE = re.compile(r"<\s*/?\s*(script|style|iframe|object|embed|svg|math|base|form|frame)\b", re.I)
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "poster", "data", "xlink:href", "background"}


@cache
def payload_lists() -> dict[str, list[str]]:
    lists = json.loads(PAYLOADS.read_text("utf-8"))["lists"]
    return {
        f"{entry['repository'].removeprefix('https://github.com/')}:{entry['path']}": entry["payloads"]
        for entry in lists
    }


class _Problems(HTMLParser):
    """What in a rendered body could run, as a browser would parse it."""

    def __init__(self, rendered: str):
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self.feed(rendered)
        self.close()

    def handle_starttag(self, tag, attrs):
        if tag not in ALLOWED_TAGS:
            self.found.append(f"element <{tag}>")
        values = dict(attrs)
        for name, value in attrs:
            if name.startswith("on") or name == "style":
                self.found.append(f"attribute {name}")
            elif name in URL_ATTRIBUTES and not allowed_url(value or ""):
                self.found.append(f"{name}={value!r}")
        if "data-embed" in values and player_url(values.get("href") or "") != values.get("href"):
            self.found.append(f"player from {values.get('href')!r}")


def problems(rendered: str) -> list[str]:
    found = _Problems(rendered).found
    if match := DANGEROUS_IN_SOURCE.search(rendered):
        found.append(f"markup {match.group()!r}")
    return found


def survivors(payloads: list[str], body_format: str) -> list[tuple[str, list[str]]]:
    """Every payload whose rendering keeps something executable, with what it kept."""
    kept = []
    for payload in payloads:
        try:
            rendered = render_body(payload, body_format).html
        except BodyRefused:
            continue  # refused bodies are never stored
        if found := problems(rendered):
            kept.append((payload, found))
    return kept


def test_the_payload_lists_are_thousands_strong_and_named_by_source():
    lists = payload_lists()
    assert len(lists) >= 7 and sum(map(len, lists.values())) >= 2_500
    assert all(source.count(":") == 1 and payloads for source, payloads in lists.items())


@pytest.mark.parametrize("body_format", ["html", "markdown"])
@pytest.mark.parametrize("source", list(payload_lists()))
def test_no_public_payload_survives_rendering(source, body_format):
    assert survivors(payload_lists()[source], body_format) == []


def test_the_checker_catches_what_it_looks_for():
    assert problems('<a href="javascript:1" onclick="x">a</a><script></script><p style="x">')
    assert problems('<a href="https://evil.example/" data-embed="">x</a>')
    assert not problems('<a href="https://www.youtube-nocookie.com/embed/x" data-embed="">x</a>')
