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
from workshop.pacing import FLUSH_INTERVAL, Throttle, backoff, newer

log = logging.getLogger(__name__)



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

    def reload(self, state: RoomState, last_id: str) -> None:
        """The room as Redis now has it replaces what this process folded: every view redraws whole."""
        self.state = state
        self.last_id = last_id
        for view in list(self.views):
            handler = getattr(view, "on_reloaded", None)
            if handler is None:
                continue
            try:
                handler(self)
            except Exception:
                log.exception("view failed on the reload of room %s", self.code)

    def _views_of(self, groups: set[int] | None) -> list[View]:
        if groups is None:
            return list(self.views)
        concerned = list(self.room_views)
        for group in groups:
            for member in self.state.members(group):
                concerned.extend(self.by_participant.get(member.id, ()))
        return concerned


# With no room followed there is nothing to read: the hub only checks Redis answers this often, so
# the health state (``/api/health``, pages) notices an outage with no page open too.
PROBE_INTERVAL = 5.0
# While Redis stays away, "still away" is logged at most this often.
STILL_AWAY_LOG_INTERVAL = 30.0


class Health:
    """Whether this process reaches Redis, since when; what pages and ``/api/health`` report."""

    def __init__(self) -> None:
        self.redis = True
        self.since = time.time()
        self.error = ""  # for the log and the operator's health check; never shown on a page (a socket path)

    def as_dict(self) -> dict[str, object]:
        return {"redis": "ok" if self.redis else "away", "since": round(self.since, 3),
                "for_seconds": round(time.time() - self.since, 1)}


class Hub:
    def __init__(self, redis: Redis, pubsub_redis: Redis, store: RoomStore) -> None:
        self.redis = redis
        self.pubsub_redis = pubsub_redis
        self.store = store
        self.feeds: dict[str, RoomFeed] = {}
        # the rooms this process follows: subscribed, or to be subscribed again after a reconnect
        self.followed: set[str] = set()
        self.health = Health()
        self._attach_lock = asyncio.Lock()
        self._pubsub = RoomChannels(pubsub_redis, sharded=store.publish == SPUBLISH)
        self._task: asyncio.Task[None] | None = None
        self._heartbeat_task: asyncio.Task[None] | None = None
        self._wake = asyncio.Event()  # a room to follow was added
        self._back = asyncio.Event()  # set while Redis answers
        self._back.set()
        self._health_listeners: list[Callable[[bool], None]] = []

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

    # -- health -------------------------------------------------------------------------------

    def on_health(self, listener: Callable[[bool], None]) -> None:
        """Call ``listener(redis_ok)`` whenever Redis goes away or comes back."""
        self._health_listeners.append(listener)

    def check_soon(self) -> None:
        """Someone knows Redis was restarted: check now rather than at the next probe."""
        self._wake.set()

    async def redis_back(self) -> None:
        """Return once Redis answers (at once when it does)."""
        await self._back.wait()

    def lost(self, exc: BaseException) -> None:
        """Redis did not answer (seen by the hub or by anyone else in this process)."""
        self.health.error = str(exc)[:200]
        if not self.health.redis:
            return
        self.health.redis = False
        self.health.since = time.time()
        self._back.clear()
        log.warning("hub lost redis (%s); retrying with back-off", exc)
        self._tell(False)

    def _answered(self) -> bool:
        """Redis answered; True when it had been away (the caller catches the feeds up)."""
        if self.health.redis:
            return False
        away = time.time() - self.health.since
        self.health.redis = True
        self.health.since = time.time()
        self.health.error = ""
        self._back.set()
        log.warning("redis is back after %.1f s; following %d room(s) again", away, len(self.followed))
        self._tell(True)
        return True

    def _tell(self, ok: bool) -> None:
        for listener in list(self._health_listeners):
            try:
                listener(ok)
            except Exception:
                log.exception("a health listener failed")
        for feed in list(self.feeds.values()):
            for view in list(feed.views):
                handler = getattr(view, "on_health", None)
                if handler is not None:
                    try:
                        handler(ok)
                    except Exception:
                        log.exception("view failed on a health change in room %s", feed.code)

    # -- following rooms ----------------------------------------------------------------------

    async def attach(self, code: str, view: View) -> RoomFeed | None:
        """Register a view; returns the room's feed, or None if the room does not exist."""
        async with self._attach_lock:
            feed = self.feeds.get(code)
            if feed is None:
                self.followed.add(code)
                try:
                    # subscribe before the snapshot: no event falls between the two
                    await self._pubsub.subscribe(code)
                    self._wake.set()
                    state, last_id = await self.store.snapshot(code)
                except (RedisError, OSError) as exc:
                    if code not in self.feeds:
                        self.followed.discard(code)
                    self.lost(exc)
                    raise
                if state is None:
                    self.followed.discard(code)
                    with contextlib.suppress(RedisError, OSError):
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
                self.followed.discard(code)
                with contextlib.suppress(RedisError, OSError):
                    await self._pubsub.unsubscribe(code)

    async def _subscribe_all(self) -> None:
        """A fresh pub/sub connection, subscribed to every room this process follows.

        The one place subscriptions are (re)made after a lost connection: a pub/sub whose
        connection broke is dropped whole, and the new one is subscribed to ``followed`` (plain or
        sharded channels, ``workshop.channels``) before the listener reads from it again (never a
        pub/sub subscribed to nothing).
        """
        await self._pubsub.aclose()
        self._pubsub.open()
        if self.followed:
            for code in sorted(self.followed):
                await self._pubsub.subscribe(code)
        else:
            await self.pubsub_redis.ping()

    # -- the listener -------------------------------------------------------------------------

    async def _heartbeat(self) -> None:
        """Keep the participants whose phones are connected to this process marked as present."""
        while True:
            await asyncio.sleep(HEARTBEAT_INTERVAL)
            if not self.health.redis:
                continue  # the listener is reconnecting; presence is written again once it is back
            for code, feed in list(self.feeds.items()):
                present = [pid for pid, views in feed.by_participant.items() if any(v.connected for v in views)]
                try:
                    await self.store.touch(code, present)
                except (RedisError, OSError) as exc:
                    log.warning("presence heartbeat failed for %s: %s", code, exc)
                    break

    async def _listen(self) -> None:
        """Read the followed rooms' channels; the listener never dies and never spins.

        Every failure is followed by a pause: a lost connection by the reconnect loop's back-off,
        anything else by the same back-off counted over consecutive failures.
        """
        failures = 0
        while True:
            try:
                if not self._pubsub.subscribed:
                    await self._idle()
                    continue
                message = await self._pubsub.get_message(wait=1.0)
                if self._answered():
                    # the connection may have been re-made under us (redis-py retries): what was
                    # published meanwhile is in the streams
                    for feed in list(self.feeds.values()):
                        await self._catch_up(feed)
                failures = 0
                if message is None:
                    continue
                channel, data = message
                code = channel.split("{", 1)[1].split("}", 1)[0]
                await self._deliver(code, data)
            except asyncio.CancelledError:
                raise
            except (RedisError, OSError) as exc:
                self.lost(exc)
                await self._reconnect()
            except Exception:
                log.exception("hub failed on a message")
                await asyncio.sleep(backoff(failures))
                failures += 1

    async def _idle(self) -> None:
        """No room is followed: wait for one, and meanwhile check that Redis answers."""
        self._wake.clear()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._wake.wait(), PROBE_INTERVAL)
        if not self._pubsub.subscribed:
            await self.redis.ping()
            self._answered()

    async def _reconnect(self) -> None:
        """Until Redis is back: subscribe again to every followed room, then catch each feed up."""
        attempt = 0
        logged = time.monotonic()
        while True:
            await asyncio.sleep(backoff(attempt))
            attempt += 1
            try:
                await self._subscribe_all()
                for feed in list(self.feeds.values()):
                    await self._catch_up(feed)
            except (RedisError, OSError) as exc:
                self.health.error = str(exc)[:200]
                if time.monotonic() - logged >= STILL_AWAY_LOG_INTERVAL:
                    logged = time.monotonic()
                    log.warning("redis still away after %.0f s (%s)", time.time() - self.health.since, exc)
                continue
            self._answered()
            return

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
            if newer(entry_id, feed.last_id):
                await self._reread(feed)  # the same number again: what was folded is not in Redis
            return  # else already folded (snapshot or catch-up got there first)
        if seq == feed.state.seq + 1:
            feed.last_id = entry_id
            feed.apply(event)
            return
        await self._catch_up(feed)

    async def _catch_up(self, feed: RoomFeed) -> None:
        async with feed.lock:
            for entry_id, event in await self.store.events(feed.code, after=feed.last_id):
                if event.seq <= feed.state.seq:
                    # an entry after the last one folded cannot hold a number already folded,
                    # unless what was folded is gone from Redis
                    break
                feed.last_id = entry_id
                feed.apply(event)
            else:
                return
        await self._reread(feed)

    async def _reread(self, feed: RoomFeed) -> None:
        """Fold the room again from what Redis has.

        After a failover (Sentinel or Cluster) the new primary may lack the last write(s) of the
        old one, although their announcements reached this process and were folded; it then hands
        out the same sequence numbers again. The entries tell: a number already folded under a
        newer stream id. The live state in Redis is the truth, so the feed takes it whole.
        """
        async with feed.lock:
            state, last_id = await self.store.snapshot(feed.code)
            if state is None:
                return
            log.warning("room %s: history changed under this process (failover?); folded again at seq %d",
                        feed.code, state.seq)
            feed.reload(state, last_id)


__all__ = ["FLUSH_INTERVAL", "Hub", "RoomFeed", "Throttle", "View", "backoff", "newer"]
