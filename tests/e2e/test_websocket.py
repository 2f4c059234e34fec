"""The websocket as Chromium opens it: it offers permessage-deflate, and the server declines, so no
phone costs the server a compressor (workshop/main.py, docs/benchmarks.md)."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import Browser

from tests.e2e.conftest import Server
from tests.helpers import wait_until


def test_chromium_offers_compression_and_the_server_declines(server: Server, browser: Browser) -> None:
    page = browser.new_page()
    try:
        cdp = page.context.new_cdp_session(page)
        cdp.send("Network.enable")
        asked: list[dict[str, Any]] = []
        granted: list[dict[str, Any]] = []
        cdp.on("Network.webSocketWillSendHandshakeRequest", lambda e: asked.append(e["request"]["headers"]))
        cdp.on("Network.webSocketHandshakeResponseReceived", lambda e: granted.append(e["response"]["headers"]))
        page.goto(server.url + "/")

        def handshake_seen() -> bool:
            page.wait_for_timeout(100)  # Playwright delivers the CDP events while it waits
            return bool(granted)

        wait_until(handshake_seen, within=30, what="the page's websocket handshake")
        offered = {k.lower(): v for k, v in asked[0].items()}
        answered = {k.lower(): v for k, v in granted[0].items()}
        assert "permessage-deflate" in offered.get("sec-websocket-extensions", "")
        assert answered.get("upgrade", "").lower() == "websocket"
        assert "sec-websocket-extensions" not in answered
    finally:
        page.close()
