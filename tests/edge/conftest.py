"""A real Varnish (Debian's varnish and varnish-modules) in front of the live test server,
running deploy/varnish/newsroom.vcl with the live server as its origin."""

import http.client
import os
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
PROBE = "/favicon.ico"


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
    # Probed at a static file: between tests the test database is closed to the live server.
    origin = VCL.read_text().replace('.port = "8000";', f'.port = "{origin_port}";')
    vcl.write_text(origin.replace('.url = "/healthz";', f'.url = "{PROBE}";'))
    vcl.chmod(0o644)
    port = free_port()
    command = ["varnishd", "-F", "-n", str(folder / "work"), "-a", f"127.0.0.1:{port}", "-f", str(vcl)]
    process = subprocess.Popen(
        [*command, "-s", "malloc,64m", "-T", "none"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    base = f"http://127.0.0.1:{port}"
    # Varnish's health probe and the requests it passes on name the origin as 127.0.0.1.
    hosts = override_settings(ALLOWED_HOSTS=["127.0.0.1", "localhost", "testserver"])
    hosts.enable()
    try:
        wait_until_the_origin_is_healthy(base, process)
        yield base
    finally:
        hosts.disable()
        process.terminate()
        process.wait(timeout=20)
        shutil.rmtree(folder, ignore_errors=True)


def wait_until_the_origin_is_healthy(base: str, process: subprocess.Popen) -> None:
    """Until Varnish listens and its probe has found the origin healthy (a purge is then a hard purge)."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"varnishd stopped: {process.stdout.read()}")
        try:
            if request(base, PROBE).status == 200:
                time.sleep(5)  # the probe: 2 good answers of its window of 3, every 2 s
                return
        except OSError:
            pass
        time.sleep(0.2)
    pytest.fail("varnishd did not start in 30 s")


@pytest.fixture
def edge(varnish, settings, transactional_db):
    """The site configured to purge this Varnish, with nothing cached there yet."""
    settings.EDGE_BACKEND = "varnish"
    settings.EDGE_PURGE_URL = f"{varnish}/"
    request(varnish, "/", method="PURGE", headers={"xkey-purge": "site"})
    return varnish
