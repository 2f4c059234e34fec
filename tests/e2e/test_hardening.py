"""A started ``workshop`` against what issue 14 sent it: headers on every response, no token in the
log, no storage file per cookie-less request, uploads capped before they are read, and a NaN in a
socket message answered with a clear message instead of a traceback."""

from __future__ import annotations

import re
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import redis
from playwright.sync_api import Browser, expect

from rooms import keys
from rooms.limits import JOIN_FAILURES
from tests.conftest import REDIS_URL
from tests.e2e.conftest import ROOT, Server, free_port, start_proxy, start_server, stop_proxy, stop_server
from tests.e2e.test_reliability import DIM, engine, host_starts_five_sliders, phone_in, placed
from tests.e2e.test_trio_round import PHONE
from tests.helpers import wait_until
from workshop.security import CSP

PATHS = ["/", "/?lang=en", "/room/ZZZZZZ", "/host/ZZZZZZ?t=x", "/screen/ZZZZZZ", "/api/health",
         "/api/openapi.json", "/api/rooms/ZZZZZZ", "/assets/werkplaats.css", "/no-such-page"]


def test_every_response_carries_the_security_headers(server: Server) -> None:
    for path in PATHS:
        response = httpx.get(server.url + path, timeout=30)
        headers = response.headers
        assert headers.get("content-security-policy") == CSP, path
        assert "frame-ancestors 'none'" in CSP and "'unsafe-eval'" in CSP  # NiceGUI's Vue needs eval
        assert headers.get("x-content-type-options") == "nosniff", path
        assert headers.get("referrer-policy") == "no-referrer", path
        assert headers.get("x-frame-options") == "DENY", path


def test_no_token_reaches_the_log(server: Server) -> None:
    token = "TOKEN" + "x7Qm2" * 4
    for path in (f"/host/ZZZZZZ?t={token}", f"/no/such/page?lang=en&t={token}", f"/room/ZZZZZZ?k={token}"):
        httpx.get(server.url + path, timeout=30)
    wait_until(lambda: "/no/such/page" in server.log.read_text(), what="the not-found warning is logged")
    log = server.log.read_text()
    assert token not in log and "t=[redacted]" in log


def storage_files() -> set[Path]:
    return set((ROOT / ".nicegui").glob("storage-user-*.json"))


def test_cookie_less_lang_requests_leave_no_storage_file(server: Server) -> None:
    before = storage_files()
    for _ in range(20):
        assert httpx.get(f"{server.url}/?lang=en", timeout=30).status_code == 200  # each one a new browser
    with httpx.Client(base_url=server.url, timeout=30) as browser:  # a browser that keeps its cookie
        browser.get("/")
        browser.get("/?lang=en")
    new = storage_files() - before
    assert len(new) <= 1, f"{len(new)} storage files for 20 cookie-less requests"


def test_uploads_are_refused_before_they_are_read(server: Server) -> None:
    url = f"{server.url}/_nicegui/client/x/upload/1"
    big = httpx.post(url, files={"file": ("big.yaml", b"x" * 2_000_000)}, timeout=30)
    assert big.status_code == 413

    def stream() -> Iterator[bytes]:
        yield b"--b\r\n"

    unknown = httpx.post(url, content=stream(), headers={"content-type": "multipart/form-data; boundary=b"},
                         timeout=30)
    assert unknown.status_code == 411


def test_a_nan_in_a_socket_message_is_refused_with_a_message_and_no_traceback(
    server: Server, browser: Browser
) -> None:
    code = engine("room")
    phone = phone_in(browser.new_context(viewport=PHONE), server, code, "Anna")
    # a crafted client: the value of the next placement leaves the phone as NaN (a browser sends null)
    phone.evaluate("""() => {
        const emit = window.socket.emit.bind(window.socket);
        window.socket.emit = (name, msg, ...rest) => {
            if (name === 'event' && Array.isArray(msg.args) && typeof msg.args[0] === 'string')
                msg.args[0] = msg.args[0].replace(/"value":\\d+/, '"value":NaN');
            return emit(name, msg, ...rest);
        };
    }""")
    now = phone.get_by_test_id(f"number-{DIM}-now")
    now.fill("64")
    now.press("Enter")
    expect(phone.get_by_text("Vul een getal van 0 tot 100 in.").first).to_be_visible()
    assert placed(code, "Anna") == {}
    log = server.log.read_text()
    assert "Traceback" not in log and "JSONDecodeError" not in log and "orjson" not in log


def test_a_phone_that_goes_while_sending_its_name_leaves_no_traceback(server: Server) -> None:
    import socket

    start = len(server.log.read_text())
    for _ in range(3):  # the form promises 1,000 bytes, sends a few and the connection closes
        with socket.create_connection(("127.0.0.1", server.port)) as raw:
            raw.sendall(b"POST /room/ABCDEF/join HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                        b"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000\r\n\r\nname=A")
    # a request after them is answered after they were handled; then the log is read once more
    assert httpx.get(f"{server.url}/api/health", timeout=10).status_code == 200
    time.sleep(1)  # what the server would log about them it logs at once; nothing to poll for
    written = server.log.read_text()[start:]
    assert "Traceback" not in written and "ClientDisconnect" not in written, written[-2000:]


def test_the_session_cookie_is_secure_behind_https() -> None:
    data = tempfile.mkdtemp(prefix="werkplaats-https-")
    server = start_server(free_port(), data, REDIS_URL, worker="off", public_url="https://werkplaats.example.nl")
    try:
        cookie = httpx.get(server.url + "/", timeout=30).headers.get("set-cookie", "")
        assert re.search(r"(?i);\s*secure", cookie), cookie
    finally:
        stop_server(server)


def test_the_pages_work_under_the_content_security_policy(server: Server, browser: Browser) -> None:
    """Host, screen, handout and a phone that scans the QR code: nothing is blocked by the policy."""
    violations: list[str] = []
    context = browser.new_context()
    context.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
    _host, code = host_starts_five_sliders(context, server)
    screen = context.new_page()
    screen.goto(f"{server.url}/screen/{code}")
    expect(screen.get_by_test_id("screen-code")).to_have_text(code)
    handout = context.new_page()
    handout.goto(f"{server.url}/handout/{code}")
    expect(handout.get_by_test_id("handout")).to_be_visible()
    phone = browser.new_context(viewport=PHONE).new_page()
    phone.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
    phone.goto(f"{server.url}/room/{code}")
    phone.get_by_test_id("join-name").fill("Anna")
    phone.get_by_test_id("join-submit").click()
    expect(phone.get_by_test_id(f"slider-{DIM}-now")).to_be_visible()
    assert violations == []


def test_behind_haproxy_a_spoofed_forwarded_for_is_ignored(monkeypatch: pytest.MonkeyPatch) -> None:
    """deploy/haproxy.cfg drops the client's X-Forwarded-For and the app (one trusted proxy) takes the
    address HAProxy added: a guesser who writes a new address on every try is still stopped."""
    monkeypatch.setenv("WORKSHOP_TRUSTED_PROXIES", "1")
    server = start_server(free_port(), tempfile.mkdtemp(prefix="werkplaats-proxied-"), REDIS_URL, worker="off")
    proxy = start_proxy([server])
    client = redis.Redis.from_url(REDIS_URL, decode_responses=True)
    try:
        for n in range(JOIN_FAILURES.allowed):
            spoofed = {"X-Forwarded-For": f"6.6.{n}.6"}
            page = httpx.get(f"{proxy.url}/room/ZZZZZZ", headers=spoofed, timeout=30)
            assert "bestaat niet" in page.text
        assert not list(client.scan_iter(match=keys.rate_key("*", "6.6.*")))
        assert client.get(keys.rate_key(JOIN_FAILURES.bucket, "127.0.0.1")) == str(JOIN_FAILURES.allowed)
        stopped = httpx.get(f"{proxy.url}/room/ZZZZZY", headers={"X-Forwarded-For": "6.6.99.6"}, timeout=30)
        assert "Te veel verkeerde codes" in stopped.text
    finally:
        client.close()
        stop_proxy(proxy)
        stop_server(server)
