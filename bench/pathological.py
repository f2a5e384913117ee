#!/usr/bin/env python
"""How long the worst-shaped bodies take to render, at the size cap.

    .venv/bin/python bench/pathological.py [--repeat 3]

Each shape (deep nesting, unclosed tags, bracket storms, …) is repeated up to
``BODY_MAX_CHARS`` and rendered as HTML or Markdown with ``render_body``, the
function the importer, the feeds and the admin use. Prints every shape's time
(the fastest of ``--repeat`` runs, since the machine is shared) and whether it
rendered or was refused, slowest first. The goal is at most 2 s for any shape.
"""

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
os.environ.setdefault("SECRET_KEY", "bench-only")

import django  # noqa: E402

django.setup()

from content.rendering import BODY_MAX_CHARS, BodyRefused, render_body  # noqa: E402

# (name, format, unit repeated to the cap, text before and after the repetition)
SHAPES = [
    ("nested <div>", "html", "<div>", ""),
    ("nested <div> closed", "html", "<div>x", "</div>"),
    ("nested <ul><li>", "html", "<ul><li>", ""),
    ("nested <blockquote>", "html", "<blockquote>", ""),
    ("nested <table><tr><td>", "html", "<table><tr><td>", ""),
    ("nested <b>", "html", "<b>", ""),
    ("nested <a>", "html", '<a href="/x">', ""),
    ("nested <span> in <pre>", "html", "<span>", "</pre>"),
    ("tags inside <pre>", "html", "<div>x", "</pre>"),
    ("misnested <b><i>", "html", "<b><i>x</b></i>", ""),
    ("unclosed <p>", "html", "<p>x", ""),
    ("unclosed comments", "html", "<!--", ""),
    ("bare <", "html", "<", ""),
    ("entities", "html", "&amp;&#123;&reg;", ""),
    ("images with lazy sources", "html", '<img src="/a.png" data-src="/b.png" alt="x">', ""),
    ("iframes", "html", '<iframe src="https://www.youtube.com/embed/x"></iframe>', ""),
    ("many attributes", "html", ' title="x" onclick="y" data-a="z"', ""),
    ("nested <svg>", "html", "<svg>", ""),
    ("markdown [", "markdown", "[", ""),
    ("markdown [ balanced", "markdown", "[", "]"),
    ("markdown <b ", "markdown", "<b ", ""),
    ("markdown ![", "markdown", "![", ""),
    ("markdown links", "markdown", "[链接](https://example.com/a) ", ""),
    ("markdown nested list", "markdown", "    - a\n", ""),
    ("markdown nested quote", "markdown", ">", " a"),
    ("markdown emphasis", "markdown", "*a", ""),
    ("markdown strong", "markdown", "**a", ""),
    ("markdown backticks", "markdown", "``a", ""),
    ("markdown table", "markdown", "|a", ""),
    ("markdown nested <div>", "markdown", "<div>", ""),
    ("markdown short lines", "markdown", "字\n", ""),
    ("markdown paragraphs of [", "markdown", "[" * 500 + "\n\n", ""),
]


def body(unit: str, tail: str, body_format: str) -> str:
    head = "<pre>" if tail == "</pre>" else ""
    if unit == "    - a\n":  # each item one level deeper than the last
        levels = range(BODY_MAX_CHARS)
        text = "".join(f"{'    ' * level}- a\n" for level in levels[:200])
        return text[:BODY_MAX_CHARS]
    count = (BODY_MAX_CHARS - len(head) - len(tail)) // len(unit)
    if tail in ("</div>", "]"):
        count = BODY_MAX_CHARS // (len(unit) + len(tail))
        return head + unit * count + tail * count
    text = head + unit * count + tail
    return f"<p{text}>" if unit.startswith(" title") else text


def measure(source: str, body_format: str, repeat: int) -> tuple[float, str]:
    best, outcome = float("inf"), ""
    for _ in range(repeat):
        started = time.perf_counter()
        try:
            render_body(source, body_format)
            outcome = "rendered"
        except BodyRefused as exc:
            outcome = f"refused: {exc}"
        best = min(best, time.perf_counter() - started)
    return best, outcome


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    results = []
    for name, body_format, unit, tail in SHAPES:
        source = body(unit, tail, body_format)
        seconds, outcome = measure(source, body_format, args.repeat)
        results.append((seconds, name, len(source), outcome))
    print(f"size cap {BODY_MAX_CHARS:,} characters; fastest of {args.repeat} runs, slowest shape first")
    for seconds, name, size, outcome in sorted(results, reverse=True):
        print(f"  {seconds:7.3f} s  {name:28} {size:>9,} chars  {outcome[:70]}")


if __name__ == "__main__":
    main()
