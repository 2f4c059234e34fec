"""The JSON API under ``/api`` (FastAPI, served by NiceGUI's app)."""

from __future__ import annotations

import asyncio
from typing import Any

from fastapi import APIRouter, Header, HTTPException, Query
from fastapi.openapi.utils import get_openapi
from fastapi.responses import FileResponse, JSONResponse
from pydantic import BaseModel
from redis.exceptions import RedisError

from rooms import jobs
from rooms.codes import normalize_code
from rooms.views import host_view
from workshop.services import ready, services

router = APIRouter(prefix="/api", tags=["api"])


class Problem(BaseModel):
    detail: str


REFUSED: dict[int | str, dict[str, Any]] = {
    403: {"model": Problem, "description": "no host token, or not this room's"},
    404: {"model": Problem, "description": "no such room or export"},
}


@router.get("/health")
async def health() -> dict[str, Any]:
    """Liveness and the Redis state: 200 whenever this process serves (a proxy must not take every
    replica out because the Redis they share is away); ``ok`` says whether Redis answers, ``redis``
    and ``for_seconds`` since when it does or does not (the hub's health state, not a new round trip)."""
    hub = services().hub
    return {"ok": hub.health.redis, **hub.health.as_dict(), "rooms_followed": len(hub.followed)}


READY_TIMEOUT = 1.0  # seconds Redis may take to answer the readiness PING


async def redis_reachable() -> str | None:
    """None when Redis answers a PING within ``READY_TIMEOUT``; else what went wrong, in a few words."""
    try:
        await asyncio.wait_for((await ready()).redis.ping(), READY_TIMEOUT)
    except (RedisError, OSError, TimeoutError) as exc:
        return f"redis unreachable: {type(exc).__name__}"
    return None


@router.get("/ready", responses={503: {"model": Problem, "description": "Redis does not answer"}})
async def is_ready() -> JSONResponse:
    """Ready: Redis answers, so this process can serve a room (a load balancer's readiness probe)."""
    problem = await redis_reachable()
    if problem is not None:
        return JSONResponse({"detail": problem}, status_code=503)
    return JSONResponse({"ok": True})


@router.get("/rooms/{code}", responses=REFUSED)
async def room_state(code: str, x_host_token: str = Header(default="")) -> dict[str, Any]:
    """The room's full state and the host's view of it; needs the host token (header X-Host-Token)."""
    code = await _host_only(code, x_host_token)
    state = await services().store.load(code)
    if state is None:
        raise HTTPException(status_code=404, detail="no such room")
    return {"state": state.model_dump(mode="json"), "host": host_view(state).model_dump(mode="json")}


async def _host_only(code: str, token: str) -> str:
    room = normalize_code(code)  # only a room code names a room (and its folders)
    if room is None or not token or not await services().store.check_host(room, token):
        raise HTTPException(status_code=403, detail="host token required")
    return room


@router.get(
    "/rooms/{code}/exports/{name}",
    response_class=FileResponse,
    responses={**REFUSED, 200: {"content": {"application/octet-stream": {}}, "description": "the export file"}},
)
async def download_export(
    code: str, name: str, t: str = Query(default=""), x_host_token: str = Header(default="")
) -> FileResponse:
    """A finished export of the room (made by an RQ job); needs the host token (``?t=`` or X-Host-Token)."""
    code = await _host_only(code, t or x_host_token)
    if not jobs.SAFE_NAME.match(name) or not name.startswith(f"werkplaats-{code}"):
        raise HTTPException(status_code=404, detail="no such export")
    path = jobs.exports_dir(code, services().settings.data.resolve()) / name
    if not path.is_file():
        raise HTTPException(status_code=404, detail="no such export")
    return FileResponse(path, filename=name)


@router.get("/openapi.json", include_in_schema=False)
async def openapi() -> dict[str, Any]:
    """The API's own OpenAPI spec (NiceGUI's pages are not part of it)."""
    return get_openapi(title="Werkplaats API", version="1", routes=router.routes)
