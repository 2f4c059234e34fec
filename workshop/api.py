"""The JSON API under ``/api`` (FastAPI, served by NiceGUI's app)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Header, HTTPException

from rooms.views import host_view
from workshop.services import services

router = APIRouter(prefix="/api", tags=["api"])


@router.get("/health")
async def health() -> dict[str, Any]:
    ok = bool(await services().redis.ping())
    return {"ok": ok}


@router.get("/rooms/{code}")
async def room_state(code: str, x_host_token: str = Header(default="")) -> dict[str, Any]:
    """The room's full state and the host's view of it; needs the host token (header X-Host-Token)."""
    store = services().store
    code = code.upper()
    if not x_host_token or not await store.check_host(code, x_host_token):
        raise HTTPException(status_code=403, detail="host token required")
    state = await store.load(code)
    if state is None:
        raise HTTPException(status_code=404, detail="no such room")
    return {"state": state.model_dump(mode="json"), "host": host_view(state).model_dump(mode="json")}
