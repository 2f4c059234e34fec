"""How every process reaches Redis: one address, a primary found through Sentinel, or a Cluster.

    REDIS_URL=redis://host:6379/0                                  one server (or a managed endpoint)
    REDIS_SENTINELS=h1:26379,h2:26379,h3:26379 REDIS_SENTINEL_MASTER=werkplaats
        [REDIS_SENTINEL_PASSWORD=…] [REDIS_PASSWORD=…]             the primary, asked of Sentinel
    REDIS_CLUSTER_NODES=h1:7000,h2:7000,h3:7000 [REDIS_PASSWORD=…] every room on Redis Cluster
    RQ_REDIS_URL=redis://…                                         RQ's queue (RQ has no Cluster support)

The app, its hub and the RQ worker all build their clients here, so they follow the same primary.
With Sentinel a client asks the sentinels for the primary on every new connection: after a
failover the next (retried) command reaches the promoted replica, no restart needed. With Sentinel
or Cluster, writes wait for a replica (``RoomStore(..., replicas=1)``, ``WAIT``), so what a phone was
told is saved survives the failover.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import redis as sync_redis
from redis.asyncio import BlockingConnectionPool, Redis
from redis.asyncio.cluster import ClusterNode, RedisCluster
from redis.asyncio.retry import Retry
from redis.asyncio.sentinel import Sentinel
from redis.backoff import ExponentialBackoff
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from rooms.atomic import PUBLISH, SPUBLISH

DEFAULT_URL = "redis://127.0.0.1:6379/0"
# With Sentinel or Cluster a command is retried for ~10 s: long enough for a failover (the test's
# sentinels notice a dead primary after 1 s and promote within a few), short enough to tell a
# person plainly that it did not work. One server: ~3 s, a restart is a pause.
FAILOVER_RETRY = Retry(ExponentialBackoff(cap=0.5, base=0.05), retries=24)
RESTART_RETRY = Retry(ExponentialBackoff(cap=0.5, base=0.05), retries=8)
RETRY_ON = [RedisConnectionError, RedisTimeoutError]


class ConfigError(ValueError):
    """The Redis settings contradict each other or cannot be read."""


def _nodes(value: str, what: str) -> tuple[tuple[str, int], ...]:
    out = []
    for part in value.split(","):
        part = part.strip()
        if not part:
            continue
        host, sep, port = part.rpartition(":")
        if not sep or not host or not port.isdigit():
            raise ConfigError(f"{what}: '{part}' is not host:port")
        out.append((host.strip("[]"), int(port)))
    if not out:
        raise ConfigError(f"{what}: no host:port given")
    return tuple(out)


@dataclass(frozen=True)
class RedisConfig:
    url: str | None = None
    sentinels: tuple[tuple[str, int], ...] = ()
    sentinel_master: str = "werkplaats"
    sentinel_password: str | None = None
    password: str | None = None
    cluster_nodes: tuple[tuple[str, int], ...] = ()
    rq_url: str | None = None
    db: int = 0
    wait_ms: int = 1000  # how long a write waits for a replica (Sentinel) before it is refused

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, url: str | None = None) -> RedisConfig:
        """From the environment; ``url`` (e.g. the embedded server's) stands in for an unset REDIS_URL."""
        env = os.environ if env is None else env
        sentinels = env.get("REDIS_SENTINELS", "").strip()
        cluster = env.get("REDIS_CLUSTER_NODES", "").strip()
        if sentinels and cluster:
            raise ConfigError("REDIS_SENTINELS and REDIS_CLUSTER_NODES: set one of them, not both")
        wait = env.get("REDIS_WAIT_MS", "1000").strip()
        if not wait.isdigit() or int(wait) < 1:
            raise ConfigError("REDIS_WAIT_MS: a number of milliseconds, at least 1")
        db = env.get("REDIS_DB", "0").strip()
        if not db.isdigit():
            raise ConfigError("REDIS_DB: a database number")
        return cls(
            url=env.get("REDIS_URL") or url,
            sentinels=_nodes(sentinels, "REDIS_SENTINELS") if sentinels else (),
            sentinel_master=env.get("REDIS_SENTINEL_MASTER", "").strip() or "werkplaats",
            sentinel_password=env.get("REDIS_SENTINEL_PASSWORD") or None,
            password=env.get("REDIS_PASSWORD") or None,
            cluster_nodes=_nodes(cluster, "REDIS_CLUSTER_NODES") if cluster else (),
            rq_url=env.get("RQ_REDIS_URL") or None,
            db=int(db),
            wait_ms=int(wait),
        )

    @property
    def kind(self) -> str:
        if self.cluster_nodes:
            return "cluster"
        if self.sentinels:
            return "sentinel"
        return "url"

    @property
    def replicas(self) -> int:
        """Replicas a write must reach before it is acknowledged (Sentinel and Cluster: one)."""
        return 0 if self.kind == "url" else 1

    def describe(self) -> str:
        if self.kind == "cluster":
            return "cluster " + ",".join(f"{h}:{p}" for h, p in self.cluster_nodes)
        if self.kind == "sentinel":
            return f"sentinel master '{self.sentinel_master}' via " + ",".join(f"{h}:{p}" for h, p in self.sentinels)
        return self.url or DEFAULT_URL

    def _sentinel(self, **kwargs: Any) -> Sentinel:
        return Sentinel(  # type: ignore[no-untyped-call]
            list(self.sentinels),
            sentinel_kwargs={"password": self.sentinel_password, "socket_timeout": 1.0, "socket_connect_timeout": 1.0},
            password=self.password,
            db=self.db,
            **kwargs,
        )


# Connections one process may hold at once, and how long a command waits for one. A command holds
# its connection until its coroutine runs again, and in a burst of joins the event loop runs it
# seconds late. The pool is also what keeps a saturated process answering pings: with 256
# connections, 2,000 phones on two processes of a 2-core machine lost ~1,300 sockets, with 32 none.
# So 32, but a longer wait: with 10 s a thousand phones joining at once waited it out ("No
# connection available": the outage page while Redis was fine). A Redis that is away fails at
# connecting, not here.
POOL_SIZE = 32
POOL_WAIT = 30.0


def async_client(config: RedisConfig, *, blocking_reads: bool = False) -> Any:
    """The app's client (``redis.asyncio.Redis``, or ``RedisCluster`` with Cluster), decoding to str.

    ``blocking_reads``: for pub/sub (no socket timeout, a few connections, a health check)."""
    common: dict[str, Any] = {
        "decode_responses": True,
        "socket_timeout": None if blocking_reads else 10,
        "socket_connect_timeout": 2 if config.kind != "url" else 5,
        "health_check_interval": 30 if blocking_reads else 0,
        "retry_on_error": RETRY_ON,
    }
    if config.kind == "cluster":
        common.pop("retry_on_error")
        return RedisCluster(
            startup_nodes=[ClusterNode(h, p) for h, p in config.cluster_nodes],
            password=config.password,
            retry=FAILOVER_RETRY,
            **common,
        )
    if config.kind == "sentinel":
        return config._sentinel().master_for(config.sentinel_master, retry=FAILOVER_RETRY, **common)
    # A pool passed in by hand gets no retries by default: retry a dropped connection for ~3 s, so a
    # Redis restart is a pause, not an error (every write is idempotent or guarded; see rooms.store).
    pool = BlockingConnectionPool.from_url(
        config.url or DEFAULT_URL,
        retry=RESTART_RETRY,
        max_connections=16 if blocking_reads else POOL_SIZE,
        timeout=POOL_WAIT,
        **common,
    )
    return Redis(connection_pool=pool)


def sync_client(config: RedisConfig, *, decode_responses: bool = True, socket_timeout: float | None = 30) -> Any:
    """A synchronous client for room data (RQ jobs, the CLI): ``redis.Redis`` or ``redis.RedisCluster``."""
    if config.kind == "cluster":
        return sync_redis.RedisCluster(
            startup_nodes=[sync_redis.cluster.ClusterNode(h, p) for h, p in config.cluster_nodes],  # type: ignore[no-untyped-call]
            password=config.password, decode_responses=decode_responses, socket_timeout=socket_timeout,
        )
    if config.kind == "sentinel":
        sentinel = sync_redis.sentinel.Sentinel(  # type: ignore[no-untyped-call]
            list(config.sentinels),
            sentinel_kwargs={"password": config.sentinel_password, "socket_timeout": 1.0},
            password=config.password, db=config.db,
        )
        return sentinel.master_for(config.sentinel_master, decode_responses=decode_responses,  # type: ignore[no-untyped-call]
                                   socket_timeout=socket_timeout)
    return sync_redis.Redis.from_url(config.url or DEFAULT_URL, decode_responses=decode_responses,
                                     socket_timeout=socket_timeout)


def rq_client(config: RedisConfig) -> sync_redis.Redis:
    """RQ's connection (raw bytes, no socket timeout: workers block on the queue). RQ does not
    support Cluster: with Cluster its queue lives on ``RQ_REDIS_URL``, a plain Redis."""
    if config.rq_url:
        return sync_redis.Redis.from_url(config.rq_url, socket_timeout=None)
    if config.kind == "cluster":
        raise ConfigError("RQ_REDIS_URL: RQ does not support Redis Cluster; give its queue a plain Redis")
    client: sync_redis.Redis = sync_client(config, decode_responses=False, socket_timeout=None)
    return client


def major_version(info: Mapping[str, Any]) -> int:
    """The major version in an INFO reply, or the lowest of several nodes' replies."""
    if "redis_version" not in info:
        versions = [major_version(v) for v in info.values() if isinstance(v, Mapping)]
        return min(versions, default=0)
    return int(str(info["redis_version"]).split(".")[0] or 0)


def sync_publish_command(client: Any) -> str:
    """``SPUBLISH`` on a Cluster of Redis 7 or later (a room's announcement stays on its shard),
    else ``PUBLISH``: the choice ``services.start`` makes for the app, made the same way for jobs."""
    if not isinstance(client, sync_redis.RedisCluster):
        return PUBLISH
    info = client.info("server", target_nodes=sync_redis.RedisCluster.RANDOM)
    return SPUBLISH if major_version(info) >= 7 else PUBLISH
