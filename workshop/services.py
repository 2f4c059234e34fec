"""The process's shared services: Redis connections, the room store and the live hub."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass

from redis.asyncio import BlockingConnectionPool, Redis

from rooms.store import RoomStore
from rooms.templates import Template, load_template
from workshop.embedded_redis import EmbeddedRedis
from workshop.hub import Hub
from workshop.settings import Settings, get_settings

log = logging.getLogger(__name__)


@dataclass
class Services:
    settings: Settings
    redis: Redis
    pubsub_redis: Redis
    store: RoomStore
    hub: Hub
    template: Template
    embedded: EmbeddedRedis | None = None


_services: Services | None = None
_starting: asyncio.Task[Services] | None = None


def services() -> Services:
    """The started services (for handlers that run after a page was served)."""
    if _services is None:
        raise RuntimeError("services are not started")
    return _services


def begin() -> None:
    """Startup hook: NiceGUI does not await async startup handlers, so start in a task pages can await."""
    global _starting
    if _services is None and (_starting is None or _starting.done()):
        _starting = asyncio.get_running_loop().create_task(start())


async def ready() -> Services:
    """The services, waiting for start-up to finish if a page comes in that early."""
    if _services is not None:
        return _services
    if _starting is None:
        begin()
    assert _starting is not None
    return await asyncio.shield(_starting)


def redis_client(url: str, *, blocking_reads: bool = False) -> Redis:
    # redis-py 8 defaults socket_timeout to 5 s, which breaks blocking reads; set it explicitly.
    pool = BlockingConnectionPool.from_url(
        url,
        decode_responses=True,
        max_connections=4 if blocking_reads else 32,
        timeout=10,
        socket_timeout=None if blocking_reads else 10,
        socket_connect_timeout=5,
        health_check_interval=30 if blocking_reads else 0,
    )
    return Redis(connection_pool=pool)


async def start(settings: Settings | None = None) -> Services:
    global _services
    settings = settings or get_settings()
    embedded = None
    url = settings.redis_url
    if not url:
        embedded = EmbeddedRedis(settings.data)
        url = embedded.start()
    redis = redis_client(url)
    await redis.ping()
    pubsub_redis = redis_client(url, blocking_reads=True)
    store = RoomStore(redis)
    hub = Hub(redis, pubsub_redis, store)
    await hub.start()
    template = load_template(settings.template) if settings.template else load_template()
    _services = Services(settings, redis, pubsub_redis, store, hub, template, embedded)
    return _services


async def stop() -> None:
    global _services, _starting
    if _starting is not None and not _starting.done():
        await _starting
    _starting = None
    if _services is None:
        return
    s, _services = _services, None
    await s.hub.stop()
    await s.redis.aclose()
    await s.pubsub_redis.aclose()
    if s.embedded is not None:
        s.embedded.stop()
