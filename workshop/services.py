"""The process's shared services: Redis connections, the room store and the live hub."""

from __future__ import annotations

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


def services() -> Services:
    if _services is None:
        raise RuntimeError("services are not started")
    return _services


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
    global _services
    if _services is None:
        return
    s, _services = _services, None
    await s.hub.stop()
    await s.redis.aclose()
    await s.pubsub_redis.aclose()
    if s.embedded is not None:
        s.embedded.stop()
