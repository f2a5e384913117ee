"""No request reaches inside: the SSRF guard, an http(s)-only opener and a
deadline on the whole exchange, headers included."""

import ipaddress
import threading
import time
import urllib.error
import urllib.request

import pytest

from newsroom.http import FetchError, is_public, opener, public_addresses, read
from tests.local_http import QuietHandler, serving

REFUSED = [
    "127.0.0.1",
    "10.0.0.1",
    "169.254.169.254",  # cloud metadata
    "100.64.0.1",  # carrier-grade NAT
    "0.0.0.0",
    "224.0.0.1",  # multicast
    "239.255.255.250",
    "::1",
    "::",
    "fe80::1",
    "fc00::1",
    "ff02::1",
    "::127.0.0.1",  # IPv4-compatible
    "::ffff:127.0.0.1",  # IPv4-mapped
    "::ffff:10.0.0.1",
    "64:ff9b::7f00:1",  # NAT64 of 127.0.0.1
    "64:ff9b::a9fe:a9fe",  # NAT64 of 169.254.169.254
    "64:ff9b:1::808:808",  # local-use NAT64
    "2002:7f00:1::",  # 6to4 of 127.0.0.1
    "2002:a00:1::1",  # 6to4 of 10.0.0.1
    "2001:0:4136:e378:8000:63bf:3fff:fdd2",  # Teredo
]
ALLOWED = ["8.8.8.8", "1.1.1.1", "2606:4700:4700::1111", "::ffff:8.8.8.8", "64:ff9b::808:808", "2002:808:808::1"]


@pytest.mark.parametrize("address", REFUSED)
def test_an_address_that_is_not_globally_routable_is_refused(address):
    assert not is_public(ipaddress.ip_address(address))


@pytest.mark.parametrize("address", ALLOWED)
def test_a_public_address_is_allowed_in_any_form(address):
    assert is_public(ipaddress.ip_address(address))


@pytest.mark.parametrize("host", ["::127.0.0.1", "64:ff9b::7f00:1", "2002:7f00:1::", "224.0.0.1"])
def test_a_host_resolving_to_an_inside_address_is_refused_before_connecting(host):
    with pytest.raises(FetchError, match="non-public address"):
        public_addresses(host, 80, allow_private=False)


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://127.0.0.1/x", "data:text/plain,secret"])
def test_the_opener_speaks_only_http_and_https(url):
    with pytest.raises(urllib.error.URLError, match="unknown url type"):
        opener(allow_private=True, max_redirects=0).open(url, timeout=1)


released = threading.Event()


class TricklingHeaders(QuietHandler):
    """Sends its status line and headers one byte every 0.2 s, forever."""

    def do_GET(self):
        released.clear()
        header = b"HTTP/1.1 200 OK\r\n" + b"X-Slow: " + b"a" * 10_000
        for byte in header:
            if released.wait(0.2):
                return
            try:
                self.wfile.write(bytes([byte]))
                self.wfile.flush()
            except OSError:
                return


def test_a_server_trickling_its_headers_is_cut_off_at_the_timeout():
    with serving(TricklingHeaders) as base:
        started = time.monotonic()
        with pytest.raises((TimeoutError, urllib.error.URLError)):
            opener(allow_private=True, max_redirects=0).open(urllib.request.Request(base), timeout=1)
        elapsed = time.monotonic() - started
        released.set()
    assert elapsed < 3


class SmallPage(QuietHandler):
    def do_GET(self):
        self.send_response(200)
        self.send_header("Content-Length", "5")
        self.end_headers()
        self.wfile.write(b"hello")


def test_a_prompt_server_is_read_as_before():
    with serving(SmallPage) as base, opener(allow_private=True, max_redirects=0).open(base, timeout=5) as response:
        assert read(response, time.monotonic() + 5, limit=100) == b"hello"
