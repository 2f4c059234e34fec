"""The addresses people are sent to: phones on the local network, the screen, the host."""

from __future__ import annotations

import base64
import hashlib
import hmac
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


def join_key(code: str) -> str:
    """The key the QR code's link carries: made from the installation's secret, so only the app
    (the host page, the screen, the handout) can give it; a phone with it is never rate-limited."""
    digest = hmac.new(_key_secret(), f"join:{code}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest[:9]).decode()


def join_key_matches(code: str, key: str) -> bool:
    return bool(key) and hmac.compare_digest(key.encode(), join_key(code).encode())


@lru_cache(maxsize=1)
def _key_secret() -> bytes:
    return get_settings().secret().encode()


def qr_url(code: str) -> str:
    """What the QR code holds: the room's page with its key (``join_key``)."""
    return f"{join_url(code)}?k={join_key(code)}"


def screen_url(code: str) -> str:
    return f"{base_url()}/screen/{quote(code)}"


def host_path(code: str, token: str) -> str:
    return f"/host/{quote(code)}?t={quote(token)}"


def qr_svg_uri(url: str, dark: str = "#111", light: str = "#fff") -> str:
    return str(segno.make(url, error="m").svg_data_uri(scale=8, dark=dark, light=light, border=2))
