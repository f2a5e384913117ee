"""A real Varnish (Debian's varnish and varnish-modules) in front of the live test server,
running deploy/varnish/newsroom.vcl with the live server as its origin."""

import http.client
import os
import re
import shutil
import socket
import subprocess
import tempfile
import time
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.test.utils import override_settings

from tests.conftest import PROJECT_DIR

VCL = PROJECT_DIR / "deploy" / "varnish" / "newsroom.vcl"


@dataclass
class Answer:
    status: int
    headers: http.client.HTTPMessage
    body: str

    @property
    def edge(self) -> str:
        return self.headers.get("X-Edge-Cache", "")


def free_port() -> int:
    with closing(socket.socket()) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def request(base: str, path: str, method="GET", headers=None, source="127.0.0.1") -> Answer:
    host, port = base.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=10, source_address=(source, 0))
    try:
        connection.request(method, path, headers=headers or {})
        response = connection.getresponse()
        return Answer(response.status, response.headers, response.read().decode(errors="replace"))
    finally:
        connection.close()


@pytest.fixture(scope="session")
def varnish(live_server):
    """The edge's address (http://127.0.0.1:port), in front of ``live_server``."""
    if shutil.which("varnishd") is None:
        if os.environ.get("CI"):
            pytest.fail("varnishd is missing: .ci/run installs varnish and varnish-modules")
        pytest.skip("varnishd is not installed (apt-get install varnish varnish-modules)")
    origin_port = live_server.url.rsplit(":", 1)[1]
    # Varnish's worker runs as its own user: the folder must be one it can enter.
    folder = Path(tempfile.mkdtemp(prefix="newsroom-varnish-"))
    folder.chmod(0o755)
    vcl = folder / "newsroom.vcl"
    # Without its health probe the origin counts as healthy (purges are hard purges): between
    # tests the test database is closed to the live server, so /healthz would fail there.
    origin = VCL.read_text().replace('.port = "8000";', f'.port = "{origin_port}";')
    vcl.write_text(re.sub(r"\n    \.probe = \{.*?\n    \}", "", origin, flags=re.S))
    vcl.chmod(0o644)
    port = free_port()
    command = ["varnishd", "-F", "-n", str(folder / "work"), "-a", f"127.0.0.1:{port}", "-f", str(vcl)]
    process = subprocess.Popen(
        [*command, "-s", "malloc,64m", "-T", "none"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    base = f"http://127.0.0.1:{port}"
    # The requests Varnish passes on name the origin as 127.0.0.1.
    hosts = override_settings(ALLOWED_HOSTS=["127.0.0.1", "localhost", "testserver"])
    hosts.enable()
    try:
        wait_until_listening(port, process)
        yield base
    finally:
        hosts.disable()
        process.terminate()
        process.wait(timeout=20)
        shutil.rmtree(folder, ignore_errors=True)


def wait_until_listening(port: int, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"varnishd stopped: {process.stdout.read()}")
        with closing(socket.socket()) as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    pytest.fail("varnishd did not listen within 30 s")


@pytest.fixture
def edge(varnish, settings, transactional_db):
    """The site configured to purge this Varnish, with nothing cached there yet."""
    settings.EDGE_BACKEND = "varnish"
    settings.EDGE_PURGE_URL = f"{varnish}/"
    request(varnish, "/", method="PURGE", headers={"xkey-purge": "site"})
    return varnish
