"""The process's shared services: Redis connections, the room store and the live hub."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field, replace
from typing import Any

from redis.asyncio import Redis
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import RedisError
from rq import Queue

from rooms import connect, jobs, keys
from rooms.limits import Limiter
from rooms.store import RoomStore
from rooms.templates import Template, load_template
from workshop import embedded_redis, metrics
from workshop.embedded_redis import EmbeddedRedis, EmbeddedRedisError
from workshop.hub import Hub, backoff
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
    worker_names: list[str] = field(default_factory=list)
    worker_started: float = 0.0

    def __post_init__(self) -> None:
        self.limiter = Limiter(self.redis)

    def worker_name(self) -> str:
        """A new name for this app's next worker (RQ names a job's worker: how its jobs are found)."""
        name = f"werkplaats-{os.getpid()}-{len(self.worker_names) + 1}"
        self.worker_names.append(name)
        self.worker_started = time.monotonic()
        return name

    async def enqueue(self, func: Any, *args: Any, **kwargs: Any) -> Any:
        """Put a job on the RQ queue (RQ is synchronous: off the event loop)."""
        queue = self.queue
        assert queue is not None

        def put() -> Any:
            return queue.enqueue(func, *args, job_timeout=600, result_ttl=86400, failure_ttl=86400, **kwargs)

        return await asyncio.to_thread(put)


WORKER_STOP_WAIT = 3.0  # seconds a stopping app gives its worker before it is killed

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
        # ``workshop`` claimed the data folder and started its Redis before serving (cli.main)
        embedded = embedded_redis.serving or EmbeddedRedis(settings.data)
        config = replace(config, url=embedded.url if embedded is embedded_redis.serving else embedded.start())
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
        svc.worker = start_worker(url, settings, svc.worker_name())
    if settings.retention_days > 0:
        svc.tasks.append(asyncio.create_task(archive_loop(svc), name="werkplaats-archive"))
    if embedded is not None or svc.worker is not None:
        svc.tasks.append(asyncio.create_task(watchdog(svc), name="werkplaats-watchdog"))
    _services = svc
    return svc


def start_worker(url: str, settings: Settings, name: str) -> subprocess.Popen[bytes]:
    """One RQ worker process beside the app (embedded mode); stopped with the app."""
    env = {**os.environ, "WORKSHOP_DATA": str(settings.data.resolve())}
    if url:  # the embedded server; Sentinel and Cluster settings pass on in the environment as they are
        env["REDIS_URL"] = url
    log.info("starting an RQ worker (%s) for exports and archiving", name)
    return subprocess.Popen(
        [sys.executable, "-c", "from workshop.cli import main; main()", "worker", "--name", name],
        env=env, stdin=subprocess.DEVNULL, start_new_session=True,
    )


WATCH_INTERVAL = 0.5  # how often the app looks at its embedded Redis and its worker


async def watchdog(svc: Services) -> None:
    """Keep the app's own processes running: the embedded Redis and the RQ worker (see ``Watchdog``)."""
    watch = Watchdog(svc)
    while True:
        await asyncio.sleep(WATCH_INTERVAL)
        try:
            await watch.redis()
            await watch.worker()
        except Exception:  # the watchdog must outlive whatever went wrong this round
            log.exception("the watchdog failed; it looks again in a moment")
            await asyncio.sleep(5)


class Watchdog:
    """A Redis that died is started again on the same socket (its AOF brings back every write that
    was acknowledged, bar the last second); the connections and the hub reconnect by themselves.
    A worker that died is stopped for good (with any work-horse it left), the job it was running
    is failed so the host sees it fail (with *Opnieuw*) instead of waiting for ever, and a new
    worker takes the queue. Retries back off to a cap, so a Redis that cannot start again (a
    damaged AOF) or a worker that dies at once costs a log line now and then, not a loop.
    """

    def __init__(self, svc: Services) -> None:
        self.svc = svc
        self.redis_failures = 0
        self.redis_next = 0.0
        self.worker_failures = 0
        self.worker_next = 0.0

    async def redis(self) -> None:
        embedded = self.svc.embedded
        if embedded is None or time.monotonic() < self.redis_next or await asyncio.to_thread(embedded.alive):
            return
        log.warning("the embedded redis stopped; starting it again")
        self.svc.hub.lost(RedisConnectionError("the embedded redis stopped"))  # pages wait instead of failing
        try:
            await asyncio.to_thread(embedded.restart)
        except (EmbeddedRedisError, OSError) as exc:
            self.redis_failures += 1
            self.redis_next = time.monotonic() + min(30.0, backoff(self.redis_failures))
            log.error("could not start the embedded redis again: %s", exc)
            return
        self.redis_failures = 0
        log.warning("the embedded redis runs again")
        self.svc.hub.check_soon()

    async def worker(self) -> None:
        svc = self.svc
        worker = svc.worker
        if worker is None or worker.poll() is None or time.monotonic() < self.worker_next:
            return
        name = svc.worker_names[-1]
        log.warning("the RQ worker %s stopped (exit code %s)", name, worker.returncode)
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(worker.pid, signal.SIGKILL)  # a work-horse it left behind must not finish late
        try:
            failed = await asyncio.to_thread(jobs.fail_jobs_of_worker, svc.url, name)
        except (RedisError, OSError) as exc:  # Redis away too: once it is back
            self.worker_failures += 1
            self.worker_next = time.monotonic() + min(30.0, backoff(self.worker_failures))
            log.warning("could not fail the stopped worker's jobs yet: %s", exc)
            return
        if failed:
            log.warning("failed %d job(s) the stopped worker was running: %s", len(failed), ", ".join(failed))
        # a worker that lived a while is replaced at once; one that keeps dying at start, later and later
        self.worker_failures = self.worker_failures + 1 if time.monotonic() - svc.worker_started < 10 else 0
        self.worker_next = time.monotonic() + (min(30.0, backoff(self.worker_failures)) if self.worker_failures
                                               else 0.0)
        svc.worker = start_worker(svc.url, svc.settings, svc.worker_name())


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
        # RQ's warm shutdown lets a running export finish; a stop must not wait on it for long
        s.worker.terminate()
        try:
            await asyncio.to_thread(s.worker.wait, WORKER_STOP_WAIT)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(s.worker.pid, signal.SIGKILL)
    await s.hub.stop()
    await s.redis.aclose()
    await s.pubsub_redis.aclose()
    if s.embedded is not None:
        s.embedded.stop()
