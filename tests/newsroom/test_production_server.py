"""The production stack as deployed: gunicorn with production settings behind a
TLS proxy (simulated with X-Forwarded-Proto), static files collected, and the
database and Redis reached through TCP proxies this module can cut and restore."""

import http.client
import json
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from contextlib import closing, suppress
from urllib.parse import quote

import pytest
from django.db import connection

from tests.conftest import PROJECT_DIR

# django_db only so that pytest-django creates the test database, which the server uses;
# slow: the module starts gunicorn and runs manage.py migrate and collectstatic.
pytestmark = [pytest.mark.slow, pytest.mark.django_db]

HTTPS_PROXY_HEADERS = {"X-Forwarded-Proto": "https"}


def free_port() -> int:
    with closing(socket.socket()) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until(condition, timeout=15.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.05)
    raise TimeoutError(f"gave up after {timeout} s waiting for {condition}")


class TcpProxy:
    """Forwards 127.0.0.1:port to a server. ``stop()`` is an outage: open
    connections are cut and new ones refused, until ``start()``."""

    def __init__(self, target_port: int):
        self.target = ("127.0.0.1", target_port)
        self.port = free_port()
        self.listener = None
        self.connections: list[socket.socket] = []

    def start(self):
        self.listener = socket.create_server(("127.0.0.1", self.port))
        threading.Thread(target=self._accept, args=(self.listener,), daemon=True).start()

    def stop(self):
        _shut(self.listener)  # wakes the thread blocked in accept(), which close() would not
        self.listener.close()
        for sock in self.connections:
            _shut(sock)
            sock.close()
        self.connections.clear()

    def _accept(self, listener):
        while True:
            try:
                client, _ = listener.accept()
                upstream = socket.create_connection(self.target, timeout=5)
            except OSError:
                return
            upstream.settimeout(None)
            self.connections += [client, upstream]
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(source, sink), daemon=True).start()

    @staticmethod
    def _pump(source, sink):
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            _shut(source)
            _shut(sink)


def _shut(sock):
    with suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)


class Server:
    def __init__(self, port, log_path, pg_proxy, redis_proxy, static_root):
        self.port, self.log_path = port, log_path
        self.pg_proxy, self.redis_proxy, self.static_root = pg_proxy, redis_proxy, static_root

    def get(self, path, headers=HTTPS_PROXY_HEADERS):
        with closing(http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)) as conn:
            conn.request("GET", quote(path, safe="/?=&"), headers=headers)
            response = conn.getresponse()
            return response.status, response.headers, response.read().decode()

    def get_uncached(self):
        """A search no cache has seen (pages are cached per page and query, other
        parameters do not count), so the page comes from the database."""
        return self.get(f"/search/?q={uuid.uuid4().hex}")

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8")


def _database_url(tmp, env) -> tuple[str, TcpProxy | None]:
    """PostgreSQL: the suite's test database, through a proxy. SQLite: a fresh
    migrated file (the suite's own is in memory)."""
    if connection.vendor == "postgresql":
        db = connection.settings_dict
        proxy = TcpProxy(int(db["PORT"] or 5432))
        proxy.start()
        return f"postgres://{db['USER']}@127.0.0.1:{proxy.port}/{db['NAME']}", proxy
    url = f"sqlite:///{tmp / 'server.sqlite3'}"
    manage = [sys.executable, "manage.py"]
    subprocess.run([*manage, "migrate", "-v0"], cwd=PROJECT_DIR, env={**env, "DATABASE_URL": url}, check=True)
    return url, None


@pytest.fixture(scope="module")
def server(django_db_setup, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("production")
    redis_proxy = TcpProxy(6379)
    redis_proxy.start()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "newsroom.settings",
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "TRUST_X_FORWARDED_PROTO": "true",
        "REDIS_URL": f"redis://127.0.0.1:{redis_proxy.port}/9",
        "STATIC_ROOT": str(tmp / "static"),
        "MEDIA_ROOT": str(tmp / "media"),
        "WEB_CONCURRENCY": "2",
        "PYTHONUNBUFFERED": "1",
    }
    env.pop("DATABASE_REPLICA_URL", None)
    env.pop("MEDIA_S3_BUCKET", None)
    env["DATABASE_URL"], pg_proxy = _database_url(tmp, env)
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--no-input", "-v0"], cwd=PROJECT_DIR, env=env, check=True
    )
    port = free_port()
    log_path = tmp / "server.log"
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "newsroom.wsgi"],
            cwd=PROJECT_DIR,
            env={**env, "GUNICORN_BIND": f"127.0.0.1:{port}"},
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    running = Server(port, log_path, pg_proxy, redis_proxy, tmp / "static")
    try:
        try:
            wait_until(lambda: _answers(running))
        except TimeoutError:
            pytest.fail(f"gunicorn did not come up:\n{running.log()}")
        yield running
    finally:
        process.send_signal(signal.SIGINT)  # quick shutdown; SIGTERM waits for workers
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        for proxy in (pg_proxy, redis_proxy):
            if proxy and proxy.listener:
                proxy.stop()


def _answers(server) -> bool:
    try:
        return server.get("/healthz")[0] == 200
    except OSError:
        return False


@pytest.fixture
def pg_proxy(server):
    if server.pg_proxy is None:
        pytest.skip("needs PostgreSQL: set DATABASE_URL")
    return server.pg_proxy


@pytest.fixture
def postgres_outage(pg_proxy):
    pg_proxy.stop()
    yield
    pg_proxy.start()


@pytest.fixture
def redis_outage(server):
    server.redis_proxy.stop()
    yield
    server.redis_proxy.start()


def test_hashed_static_files_are_cached_for_years(server):
    manifest = json.loads((server.static_root / "staticfiles.json").read_text())
    hashed = manifest["paths"]["css/site.css"]
    status, headers, _ = server.get(f"/static/{hashed}")
    assert status == 200
    assert "max-age=315360000" in headers["Cache-Control"]
    assert "immutable" in headers["Cache-Control"]


def test_pages_carry_security_headers(server):
    status, headers, _ = server.get("/")
    assert status == 200
    assert headers["Strict-Transport-Security"].startswith("max-age=31536000")
    assert "script-src 'self'" in headers["Content-Security-Policy"]
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] == "same-origin"


def test_plain_http_is_redirected_to_https(server):
    status, headers, _ = server.get("/", headers={})
    assert status == 301
    assert headers["Location"].startswith("https://")


def test_health_check_answers_over_plain_http(server):
    status, _, body = server.get("/healthz", headers={})
    assert (status, body) == (200, "ok\n")


def test_each_request_is_one_log_line_with_the_callers_request_id(server):
    status, headers, _ = server.get("/healthz", headers={"X-Request-ID": "lb-42"})
    assert headers["X-Request-ID"] == "lb-42"
    wait_until(lambda: "request_id=lb-42 " in server.log())
    (line,) = [line for line in server.log().splitlines() if "request_id=lb-42 " in line]
    assert re.search(r"method=GET path=/healthz status=200 duration_ms=\d+\.\d", line)


def test_requests_without_an_id_get_a_fresh_one(server):
    first, second = (server.get("/healthz")[1]["X-Request-ID"] for _ in range(2))
    assert re.fullmatch(r"[0-9a-f]{32}", first)
    assert first != second


@pytest.mark.postgres
def test_database_outage_shows_readers_a_503_page(server, postgres_outage):
    status, headers, body = server.get_uncached()
    assert status == 503
    assert "服务暂时不可用" in body
    assert "Traceback" not in body
    assert headers["Retry-After"] == "30"


@pytest.mark.postgres
def test_health_check_fails_while_the_database_is_down(server, postgres_outage):
    assert server.get("/healthz")[0] == 503


@pytest.mark.postgres
def test_site_recovers_by_itself_when_the_database_returns(server, pg_proxy):
    assert [server.get_uncached()[0] for _ in range(4)] == [200] * 4  # the workers now keep connections
    pg_proxy.stop()
    assert {server.get_uncached()[0] for _ in range(4)} == {503}
    pg_proxy.start()
    assert [server.get_uncached()[0] for _ in range(4)] == [200] * 4


def test_site_keeps_serving_while_redis_is_down(server, redis_outage):
    assert [server.get_uncached()[0] for _ in range(3)] == [200] * 3
    assert " WARNING newsroom.cache " in server.log()


def test_a_request_id_that_could_forge_a_log_line_is_replaced(server):
    headers = server.get("/healthz", headers={"X-Request-ID": "x status=500 forged"})[1]
    assert re.fullmatch(r"[0-9a-f]{32}", headers["X-Request-ID"])
