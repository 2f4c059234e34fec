"""``/metrics`` in Prometheus's text format, per process (scrape every process on its own port,
not through the proxy): rooms, phones connected, events and placements written, how far the hub
lags behind the rooms' streams, Redis's round trip and the errors logged.

Counters move on their own (``count_written`` is the store's observer, ``ErrorCounter`` a logging
handler); gauges that need Redis are measured when scraped.
"""

from __future__ import annotations

import asyncio
import gc
import logging
import time
from collections.abc import Sequence

from fastapi import APIRouter
from fastapi.responses import Response
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Gauge, generate_latest
from redis.exceptions import RedisError

from rooms import keys
from rooms.events import Event

REGISTRY = CollectorRegistry(auto_describe=True)

EVENTS = Counter("werkplaats_events_written", "Events this process wrote, by type", ["type"], registry=REGISTRY)
PLACEMENTS = Counter("werkplaats_placements", "Slider placements this process wrote (rate(): per second)",
                     registry=REGISTRY)
ERRORS = Counter("werkplaats_log_errors", "Warnings and errors logged, by level and logger", ["level", "logger"],
                 registry=REGISTRY)
ROOMS = Gauge("werkplaats_rooms", "Rooms in Redis (the room index)", registry=REGISTRY)
ROOMS_FOLLOWED = Gauge("werkplaats_rooms_followed", "Rooms with a view open in this process", registry=REGISTRY)
PHONES = Gauge("werkplaats_phones_connected", "Phones with a connected page in this process", registry=REGISTRY)
VIEWS = Gauge("werkplaats_views_open", "Pages (phones, hosts, screens) open in this process", registry=REGISTRY)
HUB_LAG = Gauge("werkplaats_hub_lag_events",
                "Events in the rooms' streams not yet folded by this process's hub (sum over followed rooms)",
                registry=REGISTRY)
REDIS_RTT = Gauge("werkplaats_redis_rtt_seconds", "Round trip of a PING to Redis, measured at the scrape",
                  registry=REGISTRY)
GC_SECONDS = Counter("werkplaats_gc_seconds", "Time this process spent in Python's cyclic garbage collector, by "
                     "generation (rate(): its share of the process)", ["generation"], registry=REGISTRY)
REDIS_UP = Gauge("werkplaats_redis_up", "1 when Redis answered the scrape's PING in time", registry=REGISTRY)


def count_written(events: Sequence[Event]) -> None:
    """The store's observer: called once per successful write with the events it appended."""
    for event in events:
        EVENTS.labels(event.type).inc()
        if event.type == "slider-placed":
            PLACEMENTS.inc()


class ErrorCounter(logging.Handler):
    """Counts every warning and error logged in the process (a failed view, a lost Redis, …)."""

    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)

    def emit(self, record: logging.LogRecord) -> None:
        ERRORS.labels("error" if record.levelno >= logging.ERROR else "warning", record.name).inc()


_handler = ErrorCounter()


class GcTimer:
    """Times each run of the cyclic garbage collector (``gc.callbacks``): every thread waits for it,
    and under load it was a fifth of the server's CPU (workshop/tuning.py)."""

    def __init__(self) -> None:
        self.started = 0.0
        self.seconds = [GC_SECONDS.labels(str(generation)) for generation in range(3)]

    def __call__(self, phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            self.started = time.perf_counter()
        else:
            self.seconds[info["generation"]].inc(time.perf_counter() - self.started)


_gc_timer = GcTimer()


def install() -> None:
    """Count the root logger's warnings and errors, and time the garbage collector (once per process)."""
    root = logging.getLogger()
    if _handler not in root.handlers:
        root.addHandler(_handler)
    if _gc_timer not in gc.callbacks:
        gc.callbacks.append(_gc_timer)


router = APIRouter()


@router.get("/metrics", include_in_schema=False)
async def metrics() -> Response:
    from workshop.services import services

    svc = services()
    feeds = list(svc.hub.feeds.values())
    ROOMS_FOLLOWED.set(len(feeds))
    VIEWS.set(sum(len(feed.views) for feed in feeds))
    PHONES.set(sum(1 for feed in feeds for views in feed.by_participant.values() if any(v.connected for v in views)))
    try:
        started = time.perf_counter()
        await asyncio.wait_for(svc.redis.ping(), 2.0)
        REDIS_RTT.set(time.perf_counter() - started)
        REDIS_UP.set(1)
        ROOMS.set(await svc.redis.zcard(keys.rooms_index_key()))
        if feeds:
            seqs = [await svc.redis.get(keys.seq_key(feed.code)) for feed in feeds]
            HUB_LAG.set(sum(max(0, int(seq or 0) - feed.state.seq) for feed, seq in zip(feeds, seqs, strict=True)))
        else:
            HUB_LAG.set(0)
    except (RedisError, OSError, TimeoutError):
        REDIS_UP.set(0)
    return Response(generate_latest(REGISTRY), media_type=CONTENT_TYPE_LATEST)
