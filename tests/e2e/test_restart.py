"""Stopping ``workshop`` and starting it again with the same data keeps every room,
and an open phone comes back by itself."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

from playwright.sync_api import Browser, expect

from tests.e2e.conftest import free_port, start_server, stop_server
from tests.helpers import wait_until
from workshop.embedded_redis import answers as redis_answers

DIM = "communicatie"


def rq_workers(data: str) -> int:
    from redis import Redis
    from rq import Worker

    connection = Redis(unix_socket_path=str(Path(data) / "redis.sock"))
    try:
        return len(Worker.all(connection=connection))
    finally:
        connection.close()


def test_rooms_survive_a_restart_with_the_embedded_redis(browser: Browser) -> None:
    data = tempfile.mkdtemp(prefix="werkplaats-restart-")
    port = free_port()
    server = start_server(port, data, redis_url=None, worker="auto")
    try:
        # with the embedded Redis the app runs one RQ worker of its own
        wait_until(lambda: rq_workers(data) == 1, what="one RQ worker beside the app")
        host = browser.new_page()
        host.goto(server.url + "/")
        host.get_by_text("Zelf een sessie begeleiden").click()
        host.get_by_test_id("create-room").click()
        host.wait_for_url(re.compile(r"/host/"))
        host_url = host.url
        code = host.get_by_test_id("room-code").inner_text().strip()
        host.get_by_test_id("start-vijf-schuiven").click()

        phone = browser.new_context(viewport={"width": 360, "height": 740}).new_page()
        phone.goto(f"{server.url}/?code={code}")
        phone.get_by_test_id("join-name").fill("Dana")
        phone.get_by_test_id("join-submit").click()
        phone.wait_for_url(re.compile(f"/room/{code}"))
        phone.get_by_test_id(f"slider-{DIM}-now").locator("[tabindex]").first.focus()
        phone.keyboard.press("PageUp")
        expect(phone.get_by_test_id(f"value-{DIM}-now")).to_have_text("60")
    finally:
        stop_server(server)
    # the embedded Redis went down with the app: what comes back comes from its append-only file
    assert not redis_answers(Path(data) / "redis.sock")

    server = start_server(port, data, redis_url=None, worker="auto")
    try:
        # the first worker went with the app (it unregistered); the new app started exactly one
        wait_until(lambda: rq_workers(data) == 1, what="again one RQ worker")
        # the open phone reconnects and rebuilds from Redis without anyone reloading it
        expect(phone.get_by_test_id("who")).to_have_text("Dana", timeout=20_000)
        expect(phone.get_by_test_id(f"value-{DIM}-now")).to_have_text("60", timeout=20_000)
        host.goto(host_url)
        expect(host.get_by_test_id("room-code")).to_have_text(code)
        expect(host.get_by_test_id("group-1")).to_contain_text("Dana")
        expect(host.get_by_test_id("status-vijf-schuiven")).to_contain_text("loopt")
        # and the phone is live again: what the host does now reaches it
        host.get_by_test_id("lock").click()
        expect(phone.get_by_test_id("notice")).to_contain_text("vergrendeld", timeout=20_000)
    finally:
        stop_server(server)
