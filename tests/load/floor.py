"""The floor: the least a NiceGUI + Redis app can do for our live path, measured by the same harness.

One slider per phone page; every change is published on Redis and every projector page of the
room shows the last change in a label. No engine, no views, no groups: what NiceGUI and Redis
themselves cost. ``python -m tests.load.floor --port P`` (the harness starts it with ``--floor``).
"""

from __future__ import annotations

import argparse
import asyncio
import os
from typing import Any

from nicegui import app, ui
from redis.asyncio import BlockingConnectionPool, Redis

screens: dict[str, set[ui.label]] = {}
state: dict[str, Any] = {}


def redis() -> Redis:
    if "r" not in state:
        url = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/9")
        state["r"] = Redis(connection_pool=BlockingConnectionPool.from_url(url, max_connections=16, timeout=10))
    return state["r"]


async def listen() -> None:
    url = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/9")
    client = Redis.from_url(url, socket_timeout=None)
    pubsub = client.pubsub(ignore_subscribe_messages=True)
    await pubsub.psubscribe("floor:*")
    async for message in pubsub.listen():
        room = message["channel"].decode().split(":", 1)[1]
        text = message["data"].decode()
        for label in list(screens.get(room, ())):
            label.text = text


@ui.page("/phone")
def phone(room: str = "r", name: str = "p") -> None:
    async def changed(e: object) -> None:
        await redis().publish(f"floor:{room}", f"{name}:{getattr(e, 'args', '')}")

    ui.slider(min=0, max=100, value=50).props("data-testid=floor-slider").on("change", changed)


@ui.page("/screen")
def screen(room: str = "r") -> None:
    label = ui.label("").props("data-testid=floor-label")
    screens.setdefault(room, set()).add(label)
    ui.context.client.on_delete(lambda: screens.get(room, set()).discard(label))


@app.get("/api/health")
def health() -> dict[str, bool]:
    return {"ok": True}


def start_listening() -> None:
    # keep the task: the loop holds only a weak reference, and at 100 phones a garbage collection
    # destroyed the listener mid-run (the projector then showed nothing)
    state["listener"] = asyncio.get_running_loop().create_task(listen())


app.on_startup(start_listening)

if __name__ in {"__main__", "__mp_main__"}:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=8090)
    args = parser.parse_args()
    from workshop.gzip import fast_gzip

    ui.run(host="127.0.0.1", port=args.port, reload=False, show=False, show_welcome_message=False,
           gzip_middleware_factory=fast_gzip, storage_secret="floor")
