"""The process's shared services: Redis connections, the room store and the live hub."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import subprocess
import sys
from dataclasses import dataclass, field, replace
from typing import Any

from redis.asyncio import Redis
from redis.exceptions import RedisError
from rq import Queue

from rooms import connect, jobs, keys
from rooms.limits import Limiter
from rooms.store import RoomStore
from rooms.templates import Template, load_template
from workshop import metrics
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
    url: str = ""
    queue: Queue | None = None
    worker: subprocess.Popen[bytes] | None = None
    tasks: list[asyncio.Task[None]] = field(default_factory=list)
    limiter: Limiter = field(init=False)

    def __post_init__(self) -> None:
        self.limiter = Limiter(self.redis)

    async def enqueue(self, func: Any, *args: Any, **kwargs: Any) -> Any:
        """Put a job on the RQ queue (RQ is synchronous: off the event loop)."""
        queue = self.queue
        assert queue is not None

        def put() -> Any:
            return queue.enqueue(func, *args, job_timeout=600, result_ttl=86400, failure_ttl=86400, **kwargs)

        return await asyncio.to_thread(put)


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
    """A client for one server at ``url`` (see ``rooms.connect``, which also reaches Sentinel and Cluster)."""
    client: Redis = connect.async_client(connect.RedisConfig(url=url), blocking_reads=blocking_reads)
    return client


async def sharded_pubsub(config: connect.RedisConfig, redis: Any) -> bool:
    """A room's channel is a sharded channel on a Cluster of Redis 7 or later (else cluster-wide)."""
    if config.kind != "cluster":
        return False
    info = await redis.info("server", target_nodes=redis.RANDOM)
    return connect.major_version(info) >= 7


async def start(settings: Settings | None = None) -> Services:
    global _services
    settings = settings or get_settings()
    embedded = None
    config = connect.RedisConfig.from_env(url=settings.redis_url)
    if config.kind == "url" and not config.url:
        embedded = EmbeddedRedis(settings.data)
        config = replace(config, url=embedded.start())
    url = config.url or ""
    redis = connect.async_client(config)
    await redis.ping()
    pubsub_redis = connect.async_client(config, blocking_reads=True)
    sharded = await sharded_pubsub(config, redis)
    store = RoomStore(redis, observer=metrics.count_written, replicas=config.replicas, wait_ms=config.wait_ms,
                      sharded=sharded)
    hub = Hub(redis, pubsub_redis, store)
    await hub.start()
    template = load_template(settings.template) if settings.template else load_template()
    queue = Queue(jobs.QUEUE, connection=connect.rq_client(config))
    svc = Services(settings, redis, pubsub_redis, store, hub, template, embedded, url, queue)
    if settings.worker == "on" or (settings.worker == "auto" and embedded is not None):
        svc.worker = start_worker(url, settings)
    if settings.retention_days > 0:
        svc.tasks.append(asyncio.create_task(archive_loop(svc), name="werkplaats-archive"))
    _services = svc
    return svc


def start_worker(url: str, settings: Settings) -> subprocess.Popen[bytes]:
    """One RQ worker process beside the app (embedded mode); stopped with the app."""
    env = {**os.environ, "WORKSHOP_DATA": str(settings.data.resolve())}
    if url:  # the embedded server; Sentinel and Cluster settings pass on in the environment as they are
        env["REDIS_URL"] = url
    log.info("starting an RQ worker for exports and archiving")
    return subprocess.Popen(
        [sys.executable, "-c", "from workshop.cli import main; main()", "worker"],
        env=env, stdin=subprocess.DEVNULL, start_new_session=True,
    )


async def archive_loop(svc: Services) -> None:
    """Once per interval (across all app processes: a Redis lock), queue the archiving of idle rooms."""
    interval = svc.settings.archive_interval
    await asyncio.sleep(min(60.0, interval))
    while True:
        try:
            if await svc.redis.set(keys.archive_lock_key(), "1", nx=True, ex=max(1, int(interval * 0.9))):
                await svc.enqueue(jobs.archive_idle_rooms, svc.settings.retention_days)
        except (RedisError, OSError) as exc:
            log.warning("could not queue archiving: %s", exc)
        await asyncio.sleep(interval)


async def stop() -> None:
    global _services, _starting
    if _starting is not None and not _starting.done():
        await _starting
    _starting = None
    if _services is None:
        return
    s, _services = _services, None
    for task in s.tasks:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
    if s.worker is not None and s.worker.poll() is None:
        s.worker.terminate()
        try:
            await asyncio.to_thread(s.worker.wait, 15)
        except subprocess.TimeoutExpired:
            s.worker.kill()
    await s.hub.stop()
    await s.redis.aclose()
    await s.pubsub_redis.aclose()
    if s.embedded is not None:
        s.embedded.stop()
