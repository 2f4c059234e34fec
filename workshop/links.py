"""The addresses people are sent to: phones on the local network, the screen, the host."""

from __future__ import annotations

import socket
from functools import lru_cache
from urllib.parse import quote

import segno

from workshop.settings import get_settings


@lru_cache(maxsize=1)
def lan_address() -> str:
    """This machine's address on the local network (what a phone on the same Wi-Fi can reach)."""
    probe = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        # connect() on UDP only picks a route and a source address; nothing is sent.
        probe.connect(("10.255.255.255", 1))
        address = str(probe.getsockname()[0])
    except OSError:
        address = "127.0.0.1"
    finally:
        probe.close()
    return address


def base_url() -> str:
    settings = get_settings()
    if settings.public_url:
        return settings.public_url.rstrip("/")
    host = settings.host if settings.host not in {"0.0.0.0", "::", ""} else lan_address()
    return f"http://{host}:{settings.port}"


def join_url(code: str) -> str:
    """Where the QR code and the link send a phone: the room's own page asks for the name."""
    return f"{base_url()}/room/{quote(code)}"


def screen_url(code: str) -> str:
    return f"{base_url()}/screen/{quote(code)}"


def host_path(code: str, token: str) -> str:
    return f"/host/{quote(code)}?t={quote(token)}"


def qr_svg_uri(url: str, dark: str = "#111", light: str = "#fff") -> str:
    return str(segno.make(url, error="m").svg_data_uri(scale=8, dark=dark, light=light, border=2))
