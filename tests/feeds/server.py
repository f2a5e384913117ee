"""A real HTTP server on 127.0.0.1 serving the feed fixtures, with ETags and
every way a feed goes wrong: a 500, a slow answer, an HTML page, broken XML
and an oversized body. It takes POSTs too (a WebSub hub's subscription
requests), answering from the same routes and keeping what was posted."""

import hashlib
import threading
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from tests.local_http import QuietHandler, serving

FIXTURES = Path(__file__).parent
RSS = "application/rss+xml; charset=utf-8"


@dataclass
class FeedServer:
    base: str
    routes: dict[str, tuple[int, str, bytes]]
    requests: list[tuple[str, dict]] = field(default_factory=list)  # (path, headers)
    posted: list[tuple[str, bytes]] = field(default_factory=list)  # (path, body)

    def url(self, path: str) -> str:
        return f"{self.base}{path}"

    def hits(self, path: str) -> int:
        return sum(1 for seen, _ in self.requests if seen == path)


def default_routes() -> dict[str, tuple[int, str, bytes]]:
    """Path → (status, content type, body)."""
    read = lambda name: (FIXTURES / name).read_bytes()  # noqa: E731
    return {
        "/rss": (200, RSS, read("rss.xml")),
        "/atom": (200, "application/atom+xml; charset=utf-8", read("atom.xml")),
        "/malformed": (200, RSS, read("malformed.xml")),
        "/page": (200, "text/html; charset=utf-8", read("page.html")),
        "/error": (500, "text/plain", b"Internal Server Error"),
        "/huge": (200, RSS, b"<?xml version='1.0'?><rss version='2.0'><channel>" + b" " * 200_000),
        "/slow": (200, RSS, read("rss.xml")),
    }


@contextmanager
def serve_feeds(routes: dict | None = None):
    routes = default_routes() if routes is None else routes
    release = threading.Event()  # lets the slow answer go when the server stops
    requests: list = []
    posted: list = []

    class Handler(QuietHandler):
        def do_POST(self):
            requests.append((self.path, dict(self.headers)))
            posted.append((self.path, self.rfile.read(int(self.headers.get("Content-Length", 0)))))
            status, content_type, body = routes.get(self.path, (404, "text/plain", b"not found"))
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self):
            requests.append((self.path, dict(self.headers)))
            if self.path == "/slow":
                release.wait(5)
            status, content_type, body = routes.get(self.path, (404, "text/plain", b"not found"))
            etag = f'"{hashlib.sha256(body).hexdigest()[:16]}"'
            if status == 200 and self.headers.get("If-None-Match") == etag:
                self.send_response(304)
                self.send_header("ETag", etag)
                self.end_headers()
                return
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("ETag", etag)
            if self.path != "/huge":  # the oversized body comes without a length
                self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    with serving(Handler) as base:
        try:
            yield FeedServer(base, routes, requests, posted)
        finally:
            release.set()
