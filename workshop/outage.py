"""What a person gets while Redis cannot be reached: a clear page that tries again, never a 500.

A page that needs Redis to be built (every room page does) answers ``503`` with a short page in
Dutch and English that reloads itself after a few seconds; the API answers ``503`` with a one-line
reason. Neither shows the error itself: it names the Redis socket or host.
"""

from __future__ import annotations

import asyncio
import functools
import logging
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from redis.exceptions import RedisError

if TYPE_CHECKING:
    from workshop.hub import Hub

log = logging.getLogger(__name__)

WAIT_FOR_REDIS = 2.0  # seconds a page waits for a Redis known to be away before it says so
RETRY_AFTER = 5  # seconds before the page asks again

UNAVAILABLE_HTML = """<!doctype html>
<html lang="{lang}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="refresh" content="{retry}">
<title>{title} · Werkplaats</title>
<style>body{{font-family:system-ui,sans-serif;max-width:36rem;margin:2rem auto;padding:0 1rem;color:#1a1a1a}}
h1{{font-size:1.4rem;color:#0b5cad}}</style></head>
<body><main><h1>{title}</h1><p data-testid="page-unavailable" role="alert">{text}</p></main></body></html>
"""

TEXTS = {
    "nl": ("Even geduld", "De server kan de gegevens van de sessie even niet bereiken. Er gaat niets verloren: "
           "deze pagina probeert het over een paar seconden vanzelf opnieuw."),
    "en": ("One moment", "The server cannot reach the session's data just now. Nothing is lost: this page "
           "tries again by itself in a few seconds."),
}


def unavailable(lang: str = "nl") -> HTMLResponse:
    title, text = TEXTS.get(lang, TEXTS["nl"])
    return HTMLResponse(UNAVAILABLE_HTML.format(lang=lang if lang in TEXTS else "nl", retry=RETRY_AFTER,
                                                title=title, text=text),
                        status_code=503, headers={"Retry-After": str(RETRY_AFTER), "Cache-Control": "no-store"})


def guarded(page: Callable[..., Awaitable[Any]]) -> Callable[..., Awaitable[Any]]:
    """A NiceGUI page function that answers 503 (see ``unavailable``) when Redis cannot be reached."""

    @functools.wraps(page)
    async def wrapper(*args: Any, **kwargs: Any) -> Any:
        lang = kwargs.get("lang")
        lang = lang if isinstance(lang, str) else "nl"
        hub = _hub()
        if hub is not None and not hub.health.redis:
            # known to be away: a short wait covers a restart, else say so now rather than after
            # every call's own retries
            try:
                await asyncio.wait_for(hub.redis_back(), WAIT_FOR_REDIS)
            except TimeoutError:
                return unavailable(lang)
        try:
            return await page(*args, **kwargs)
        except (RedisError, ConnectionError, TimeoutError) as exc:
            _note(exc)
            return unavailable(lang)

    return wrapper


def _hub() -> Hub | None:
    from workshop.services import services

    try:
        return services().hub
    except RuntimeError:  # not started (yet)
        return None


def _note(exc: BaseException) -> None:
    log.warning("a page could not reach redis: %s", type(exc).__name__)
    hub = _hub()
    if hub is not None:
        hub.lost(exc)


def install(app: FastAPI) -> None:
    """The API's answer when Redis cannot be reached: 503 with one line, never a traceback."""

    async def api_unavailable(request: Request, exc: Exception) -> Response:
        _note(exc)
        return JSONResponse({"detail": "storage unavailable; try again in a few seconds"}, status_code=503,
                            headers={"Retry-After": str(RETRY_AFTER)})

    app.add_exception_handler(RedisError, api_unavailable)
