"""The live hub, one per process: follows the rooms that have open views here.

It subscribes to a room's channel while at least one view of the room is open in
this process, keeps that room's state folded in memory, and hands every event
to the views it concerns. Pub/sub may drop messages while it reconnects, so the
hub watches the sequence numbers and catches up from the stream on any gap:
the stream is the truth.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable
from typing import Protocol

from redis.asyncio import Redis
from redis.exceptions import RedisError

from rooms.atomic import SPUBLISH
from rooms.events import (
    Event,
)
from rooms.models import RoomState
from rooms.projection import apply, groups_touched
from rooms.store import DELETED, RoomStore, parse_message
from workshop.channels import RoomChannels

log = logging.getLogger(__name__)

FLUSH_INTERVAL = 0.1  # a view flushes at most ~10 times a second


HEARTBEAT_INTERVAL = 10.0


class View(Protocol):
    participant_id: str | None
    connected: bool

    def on_event(self, event: Event, feed: RoomFeed) -> None: ...


class RoomFeed:
    """One room as this process sees it: its folded state and its open views."""

    def __init__(self, code: str, state: RoomState, last_id: str) -> None:
        self.code = code
        self.state = state
        self.last_id = last_id
        self.views: set[View] = set()
        self.room_views: set[View] = set()  # host and screen: concerned by every event
        self.by_participant: dict[str, set[View]] = {}
        self.lock = asyncio.Lock()
        self.deleted = False

    def add(self, view: View) -> None:
        self.views.add(view)
        if view.participant_id:
            self.by_participant.setdefault(view.participant_id, set()).add(view)
        else:
            self.room_views.add(view)

    def remove(self, view: View) -> None:
        self.views.discard(view)
        self.room_views.discard(view)
        if view.participant_id and view.participant_id in self.by_participant:
            self.by_participant[view.participant_id].discard(view)
            if not self.by_participant[view.participant_id]:
                del self.by_participant[view.participant_id]

    def apply(self, event: Event) -> None:
        # before the fold: a move concerns the group it leaves. A burst of 300 joins would
        # otherwise redraw every phone 300 times.
        groups = groups_touched(self.state, event)
        self.state = apply(self.state, event)
        for view in self._views_of(groups):
            try:
                view.on_event(event, self)
            except Exception:
                log.exception("view failed on %s in room %s", event.type, self.code)

    def _views_of(self, groups: set[int] | None) -> list[View]:
        if groups is None:
            return list(self.views)
        concerned = list(self.room_views)
        for group in groups:
            for member in self.state.members(group):
                concerned.extend(self.by_participant.get(member.id, ()))
        return concerned


class Hub:
    def __init__(self, redis: Redis, pubsub_redis: Redis, store: RoomStore) -> None:
        self.redis = redis
        self.pubsub_redis = pubsub_redis
        self.store = store
        self.feeds: dict[str, RoomFeed] = {}
        self._attach_lock = asyncio.Lock()
        self._pubsub = RoomChannels(pubsub_redis, sharded=store.publish == SPUBLISH)
        self._task: asyncio.Task[None] | None = None
        self._heartbeat_task: asyncio.Task[None] | None = None
        self._connected = asyncio.Event()

    async def start(self) -> None:
        self._task = asyncio.create_task(self._listen(), name="werkplaats-hub")
        self._heartbeat_task = asyncio.create_task(self._heartbeat(), name="werkplaats-presence")

    async def stop(self) -> None:
        for task in (self._task, self._heartbeat_task):
            if task is not None:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
        await self._pubsub.aclose()

    async def attach(self, code: str, view: View) -> RoomFeed | None:
        """Register a view; returns the room's feed, or None if the room does not exist."""
        async with self._attach_lock:
            feed = self.feeds.get(code)
            if feed is None:
                await self._pubsub.subscribe(code)
                self._connected.set()
                state, last_id = await self.store.snapshot(code)
                if state is None:
                    await self._pubsub.unsubscribe(code)
                    return None
                feed = RoomFeed(code, state, last_id)
                self.feeds[code] = feed
            feed.add(view)
            return feed

    async def detach(self, code: str, view: View) -> None:
        async with self._attach_lock:
            feed = self.feeds.get(code)
            if feed is None:
                return
            feed.remove(view)
            if not feed.views:
                del self.feeds[code]
                with contextlib.suppress(RedisError):
                    await self._pubsub.unsubscribe(code)

    async def _heartbeat(self) -> None:
        """Keep the participants whose phones are connected to this process marked as present."""
        while True:
            await asyncio.sleep(HEARTBEAT_INTERVAL)
            for code, feed in list(self.feeds.items()):
                present = [pid for pid, views in feed.by_participant.items() if any(v.connected for v in views)]
                try:
                    await self.store.touch(code, present)
                except (RedisError, OSError) as exc:
                    log.warning("presence heartbeat failed for %s: %s", code, exc)

    async def _listen(self) -> None:
        while True:
            try:
                if not self._pubsub.subscribed:
                    await self._connected.wait()
                message = await self._pubsub.get_message(wait=1.0)
                if message is None:
                    continue
                channel, data = message
                code = channel.split("{", 1)[1].split("}", 1)[0]
                await self._deliver(code, data)
            except asyncio.CancelledError:
                raise
            except (RedisError, OSError) as exc:
                log.warning("hub lost redis (%s); reconnecting", exc)
                while True:  # until Redis is back: the listener must never die
                    await asyncio.sleep(0.5)
                    try:
                        await self._resubscribe()
                        break
                    except (RedisError, OSError) as again:
                        log.warning("redis still away (%s)", again)
            except Exception:
                log.exception("hub failed on a message")

    async def _resubscribe(self) -> None:
        """After a reconnect: subscribe again and catch every feed up from its stream."""
        await self._pubsub.aclose()
        self._pubsub.open()
        for code in list(self.feeds):
            await self._pubsub.subscribe(code)
        for feed in list(self.feeds.values()):
            await self._catch_up(feed)

    async def _deliver(self, code: str, data: str) -> None:
        feed = self.feeds.get(code)
        if feed is None:
            return
        if data == DELETED:
            feed.deleted = True
            for view in list(feed.views):
                handler = getattr(view, "on_deleted", None)
                if handler is not None:
                    try:
                        handler()
                    except Exception:
                        log.exception("view failed on the deletion of room %s", code)
            return
        if feed.deleted:
            return
        seq, entry_id, event = parse_message(data)
        if seq <= feed.state.seq:
            return  # already folded (snapshot or catch-up got there first)
        if seq == feed.state.seq + 1:
            feed.last_id = entry_id
            feed.apply(event)
            return
        await self._catch_up(feed)

    async def _catch_up(self, feed: RoomFeed) -> None:
        async with feed.lock:
            for entry_id, event in await self.store.events(feed.code, after=feed.last_id):
                if event.seq <= feed.state.seq:
                    continue
                feed.last_id = entry_id
                feed.apply(event)


class Throttle:
    """Run ``flush`` soon after the first change, then at most once per interval."""

    def __init__(self, flush: Callable[[], None], interval: float = FLUSH_INTERVAL) -> None:
        self._flush = flush
        self._interval = interval
        self._last = 0.0
        self._scheduled = False

    def poke(self) -> None:
        if self._scheduled:
            return
        self._scheduled = True
        delay = max(0.0, self._last + self._interval - time.monotonic())
        asyncio.get_running_loop().call_later(delay, self._run)

    def _run(self) -> None:
        self._scheduled = False
        self._last = time.monotonic()
        try:
            self._flush()
        except Exception:
            log.exception("view flush failed")
