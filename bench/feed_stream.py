#!/usr/bin/env python
"""A steady stream of news: one new feed item every few seconds, fetched at once.

    DATABASE_URL=… .venv/bin/python bench/feed_stream.py --seconds 30 [--every 5]

Serves an RSS feed on 127.0.0.1 that gains one item every ``--every``
seconds, subscribes the site to it (``add_feed``), and runs ``fetch_feeds
--feed`` right after each new item, for ``--seconds``: what bench/load.sh
runs beside wrk to see how much of the page cache survives the news.
Prints the number of articles the feed added.
"""

import argparse
import os
import sys
import threading
import time
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from io import StringIO
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent


class Stream:
    """The feed's items, newest first; ``add()`` publishes one more."""

    def __init__(self):
        self.items: list[str] = []
        self.started = int(time.time())

    def add(self) -> None:
        n = len(self.items) + 1
        self.items.insert(
            0,
            f"<item><title>快讯第{n}条：{self.started}</title><link>https://news.example.com/{self.started}/{n}</link>"
            f"<guid>{self.started}-{n}</guid><pubDate>{formatdate(time.time(), usegmt=True)}</pubDate>"
            f"<description>&lt;p&gt;第{n}条快讯：电动汽车充电网络建设提速。&lt;/p&gt;</description></item>",
        )

    def rss(self) -> bytes:
        channel = f"<channel><title>快讯</title>{''.join(self.items)}</channel>"
        return f"<?xml version='1.0' encoding='utf-8'?><rss version='2.0'>{channel}</rss>".encode()


def serve(stream: Stream) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            body = stream.rss()
            self.send_response(200)
            self.send_header("Content-Type", "application/rss+xml; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=int, default=30)
    parser.add_argument("--every", type=float, default=5)
    args = parser.parse_args()
    os.environ["FEEDS_ALLOW_PRIVATE_HOSTS"] = "true"  # the feed is on loopback
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
    sys.path.insert(0, str(PROJECT))
    import django

    django.setup()
    from django.core.management import call_command

    from content.models import Feed

    stream = Stream()
    server = serve(stream)
    url = f"http://127.0.0.1:{server.server_address[1]}/rss"
    call_command("add_feed", url, path="快讯/本地/滚动", source="本地快讯", stdout=StringIO())
    feed = Feed.objects.get(url=url)
    deadline = time.monotonic() + args.seconds
    while time.monotonic() < deadline:
        started = time.monotonic()
        stream.add()
        call_command("fetch_feeds", feed=[feed.pk], stdout=StringIO(), stderr=StringIO())
        time.sleep(max(0.0, args.every - (time.monotonic() - started)))
    server.shutdown()
    print(f"feed stream: {len(stream.items)} items published, {feed.sources.count()} articles added")


if __name__ == "__main__":
    main()
