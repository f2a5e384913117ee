#!/usr/bin/env python
"""Precision and recall of the full-text extraction on real article pages with a known article body.

    .venv/bin/python bench/full_text.py DIR [--pages 5]

``DIR`` is a checkout of scrapinghub/article-extraction-benchmark (MIT): real
news and blog pages (``html/<id>.html.gz``) and each one's article text
written out by a person (``ground-truth.json``). The first ``--pages`` pages
(by id) go through what a feed item's page goes through (``extract`` of
``ingest.feeds.fulltext``, then the sanitiser, ``render_checked_body``), and
the visible text is scored as that benchmark's ``evaluate.py`` scores it:
shingles of four word tokens; precision is the share of the extracted
shingles that are in the article, recall the share of the article's that
were extracted. Nothing is asserted: it prints one line per page and the means.
"""

import argparse
import gzip
import json
import os
import re
import statistics
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
os.environ.setdefault("SECRET_KEY", "bench-only")

import django  # noqa: E402

django.setup()

from content.body_repairs import BodyOrigin  # noqa: E402
from content.rendering import BodyFormat, visible_text  # noqa: E402
from ingest.feeds.fulltext import FullTextError, extract  # noqa: E402
from ingest.records import render_checked_body  # noqa: E402

TOKEN = re.compile(r"\w+")


def shingles(text: str, n: int = 4) -> Counter:
    tokens = TOKEN.findall(text)
    return Counter(tuple(tokens[i : i + n]) for i in range(max(1, len(tokens) - n + 1)) if tokens[i : i + n])


def score(truth: str, extracted: str) -> tuple[float, float]:
    expected, found = shingles(truth), shingles(extracted)
    matched = sum((expected & found).values())
    precision = matched / sum(found.values()) if found else 0.0
    recall = matched / sum(expected.values()) if expected else 1.0
    return precision, recall


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("dir", type=Path)
    parser.add_argument("--pages", type=int, default=5)
    args = parser.parse_args()
    truth = json.loads((args.dir / "ground-truth.json").read_text())
    results = []
    for page_id in sorted(truth)[: args.pages]:
        page = gzip.decompress((args.dir / "html" / f"{page_id}.html.gz").read_bytes())
        url = truth[page_id]["url"]
        try:
            html = extract(page, url)
            text = visible_text(render_checked_body(html, BodyFormat.HTML, BodyOrigin.FEED).html)
        except FullTextError as exc:
            text = ""
            print(f"{url}: {exc}")
        precision, recall = score(truth[page_id]["articleBody"], text)
        results.append((precision, recall))
        print(f"precision {precision:.3f}  recall {recall:.3f}  {url}")
    precisions, recalls = zip(*results, strict=True)
    print(
        f"mean over {len(results)} pages: precision {statistics.mean(precisions):.3f}, "
        f"recall {statistics.mean(recalls):.3f}"
    )


if __name__ == "__main__":
    main()
