"""What every response, every upload, every socket message and every log line holds to, whichever
page or route made it (issue 14).

- Security headers on every HTTP response: a Content-Security-Policy NiceGUI can live with (Vue
  compiles templates in the browser and NiceGUI runs inline scripts: 'unsafe-inline' and
  'unsafe-eval'; everything else from this origin, QR codes as data: URIs), no framing by other
  sites (no page is meant to be embedded: the screen is a full browser window on the projector),
  ``nosniff``, and ``Referrer-Policy: no-referrer`` (the host's token is in a URL).
- Uploads (NiceGUI's upload route) are refused before they are read when they are larger than
  ``UPLOAD_MAX_BYTES`` or do not say their length.
- A socket message that is not strict JSON (a crafted ``NaN``/``Infinity``, in the message or in an
  event's arguments) is read the way Python reads JSON with every non-finite number as ``null``, so
  the value reaches the app's own checks (``clean_value``: "Vul een getal van 0 tot 100 in.")
  instead of a decoder's traceback in the log; one that is no JSON at all is dropped with one line.
- A browser without a cookie (a first visit, a crawler) costs NiceGUI an in-memory user storage per
  request that it never drops (~1.2 kB each): empty, idle ones are dropped every minute.
- No log line carries a token: ``t=`` (the host's) and ``k=`` (the QR key) query values are
  replaced by ``[redacted]`` in every record, whoever logs it (NiceGUI's "… not found" too).
"""

from __future__ import annotations

import asyncio
import json
import logging
import math
import re
from typing import Any

import orjson
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

log = logging.getLogger(__name__)

CSP = "; ".join([
    "default-src 'self'",
    "script-src 'self' 'unsafe-inline' 'unsafe-eval'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self' ws: wss:",  # NiceGUI's socket (older Safari does not count ws: as 'self')
    "frame-ancestors 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "object-src 'none'",
])
HEADERS = {
    "content-security-policy": CSP,
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "x-frame-options": "DENY",
}
# a programme is at most 256 kB (rooms.templates.TEMPLATE_MAX_BYTES); multipart framing on top
UPLOAD_MAX_BYTES = 1_000_000


class Hardening:
    """ASGI middleware: the headers on every response, and the cap on uploads."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if scope["method"] == "POST" and scope["path"].startswith("/_nicegui/client/") and "/upload/" in scope["path"]:
            refusal = _upload_refusal(scope)
            if refusal is not None:
                await _plain(send, *refusal)
                return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in HEADERS.items():
                    if name not in headers:
                        headers[name] = value
            await send(message)

        await self.app(scope, receive, with_headers)


def _upload_refusal(scope: Scope) -> tuple[int, str] | None:
    lengths = [v for k, v in scope["headers"] if k == b"content-length"]
    if not lengths:
        return 411, "Length Required"
    try:
        length = int(lengths[0])
    except ValueError:
        return 400, "Bad Request"
    if length > UPLOAD_MAX_BYTES:
        return 413, "Payload Too Large"
    return None


async def _plain(send: Send, status: int, text: str) -> None:
    body = text.encode()
    headers = [(b"content-type", b"text/plain; charset=utf-8"), (b"content-length", str(len(body)).encode())]
    headers += [(k.encode(), v.encode()) for k, v in HEADERS.items()]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


# -- socket messages --------------------------------------------------------------------------------


def lenient_loads(value: str | bytes) -> Any:
    """Python's JSON reader, with ``NaN``, ``Infinity`` and ``-Infinity`` read as ``None``."""
    return json.loads(value, parse_constant=lambda _name: None)


class TolerantJson:
    """NiceGUI's fast JSON for everything it sends; for what it receives, the strict reader first and,
    when that refuses, ``lenient_loads``."""

    def __init__(self, strict: Any) -> None:
        self.strict = strict

    def dumps(self, obj: Any, *args: Any, **kwargs: Any) -> str:
        return str(self.strict.dumps(obj, *args, **kwargs))

    def loads(self, value: str | bytes, *args: Any, **kwargs: Any) -> Any:
        try:
            return self.strict.loads(value, *args, **kwargs)
        except ValueError:
            return lenient_loads(value)


def strict_args(msg: Any) -> bool:
    """Make an event message's arguments (JSON texts NiceGUI reads with orjson) readable by NiceGUI
    in place; False for a message it could not read: no event dict, or arguments that are no JSON."""
    if not isinstance(msg, dict) or not isinstance(msg.get("args", []), list):
        return False
    if not isinstance(msg.get("client_id"), str) or not isinstance(msg.get("id"), int | str):
        return False  # NiceGUI's handler indexes both (an id it does not know is ignored there)
    args = msg.get("args", [])
    for index, arg in enumerate(args):
        if arg is None:
            continue
        if not isinstance(arg, str):
            return False
        try:
            # what NiceGUI's own reader accepts, as it reads it; nearly every argument (in C: 1.0 µs
            # an event, against 3.8 with ``json``)
            orjson.loads(arg)
            continue
        except orjson.JSONDecodeError:
            pass
        # what orjson refuses: NaN or Infinity (a browser's JSON.stringify never sends them, a crafted
        # message can), a number beyond a double (1e999), a lone surrogate, no JSON at all, nesting
        # deeper than it reads. Made strict where the meaning stays (a non-finite number becomes
        # null), refused otherwise: NiceGUI would raise on it in a task of its own.
        try:
            args[index] = orjson.dumps(_finite(lenient_loads(arg))).decode()
        except (ValueError, TypeError, RecursionError):  # orjson's encode error is a TypeError
            return False
    return True


def _finite(value: Any) -> Any:
    """``value`` with every non-finite float as None."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, list):
        return [_finite(item) for item in value]
    if isinstance(value, dict):
        return {key: _finite(item) for key, item in value.items()}
    return value


def _guard_events(sio: Any) -> None:
    handlers = sio.handlers.setdefault("/", {})
    handle = handlers.get("event")
    if handle is None or getattr(handle, "guarded", False):
        return

    def guarded(sid: str, msg: Any) -> None:
        if not strict_args(msg):
            log.warning("a socket event NiceGUI could not read was dropped")
            return
        handle(sid, msg)

    guarded.guarded = True  # type: ignore[attr-defined]
    handlers["event"] = guarded


# -- logs -------------------------------------------------------------------------------------------

_SECRET_QUERY = re.compile(r"([?&;](?:t|k)=)[^&\s'\"#<>]+")


def redact(text: str) -> str:
    """``text`` with the values of ``t=`` and ``k=`` query parameters replaced."""
    return _SECRET_QUERY.sub(r"\1[redacted]", text)


_installed = False


def install_log_redaction() -> None:
    """Every log record, from any logger, is redacted once as it is made."""
    global _installed
    if _installed:
        return
    _installed = True
    make = logging.getLogRecordFactory()

    def redacting(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = make(*args, **kwargs)
        try:
            message = record.getMessage()
        except Exception:  # a broken format string: leave it to the handler, as logging does
            return record
        if "=" in message:
            cleaned = redact(message)
            if cleaned != message:
                record.msg, record.args = cleaned, None
        return record

    logging.setLogRecordFactory(redacting)


# -- per-request user storage ------------------------------------------------------------------------

PRUNE_INTERVAL = 60.0


def prune_idle_user_storage() -> int:
    """Drop NiceGUI's in-memory user storage of browsers that stored nothing and have no request
    under way (a request makes it again when it needs it); returns how many were dropped."""
    from nicegui import app

    users = getattr(app.storage, "_users", None)
    active = getattr(app.storage, "_active_request_sessions", None)
    if not isinstance(users, dict) or active is None:
        return 0  # another NiceGUI: leave its storage alone
    idle = [sid for sid, stored in users.items() if not stored and sid not in active]
    for sid in idle:
        users.pop(sid, None)
    return len(idle)


async def _prune_loop() -> None:
    while True:
        await asyncio.sleep(PRUNE_INTERVAL)
        prune_idle_user_storage()


_tasks: dict[str, asyncio.Task[None]] = {}


def start_pruning() -> None:
    """Start the pruning loop on the running event loop (app startup)."""
    _tasks["prune"] = asyncio.get_running_loop().create_task(_prune_loop(), name="werkplaats-prune-storage")


def install() -> None:
    """Headers, upload cap, tolerant socket reading and log redaction (idempotent)."""
    from nicegui import app, core

    if not any(m.cls is Hardening for m in app.user_middleware):
        app.add_middleware(Hardening)
    packet = core.sio.packet_class
    if not isinstance(packet.json, TolerantJson):
        packet.json = TolerantJson(packet.json)
    _guard_events(core.sio)
    install_log_redaction()
    app.on_startup(start_pruning)
