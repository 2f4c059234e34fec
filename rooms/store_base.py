"""The store's foundation: the atomic write (with WAIT on Sentinel and Cluster), reading a room's
live state, and the guarded writes every command goes through (a member's, the roster's, the
host's). ``rooms.store.RoomStore`` adds the commands on top (``rooms.store_host``,
``rooms.store_texts``).
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable, Sequence
from typing import Any, NamedTuple

from redis.asyncio import Redis
from redis.exceptions import ClusterDownError, MovedError, RedisError, ResponseError, TryAgainError
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from rooms import atomic, keys, layout
from rooms.atomic import (
    EVENTS_SLOT,
    GROUPS_SLOT,
    META_SLOT,
    PARTICIPANTS_SLOT,
    PUBLISH,
    SEQ_SLOT,
    SPUBLISH,
    TEMPLATE_SLOT,
    WRITE_SCRIPT,
    Conflict,
    Guard,
    Op,
    write_args,
)
from rooms.commands import Rejected
from rooms.events import (
    Event,
    MemberMoved,
    ParticipantJoined,
)
from rooms.layout import ops_for
from rooms.models import RoomState
from rooms.templates import Template


class RoomNotFound(Rejected):
    def __init__(self) -> None:
        super().__init__(
            "no-room",
            "Deze code kennen we niet, of de sessie is verlopen. Kijk de code nog eens na op het scherm.",
        )


CLUSTER_RETRIES = 40  # ~10 s of a shard's failover before a write is reported as failed
READONLY_RETRIES = 40  # ~10 s of a write reaching a replica after a failover, then the error shows


class NotReplicated(Rejected):
    """Written on the primary, but no replica confirmed it in time: a failover now could lose it."""

    def __init__(self) -> None:
        super().__init__(
            "not-replicated",
            "Dat is niet bevestigd: de reserveserver reageerde niet op tijd. Kijk of het er staat, "
            "en doe het anders zo nog eens.",
        )


def not_open() -> Rejected:
    return Rejected(
        "not-open",
        "Deze oefening is nu niet open; je keuze is niet opgeslagen.",
    )


class PhoneEntry(NamedTuple):
    exists: bool
    lang: str | None
    title: str | None
    participant: str | None


class StoreBase:
    """Reads and writes rooms in Redis. ``redis`` must decode responses (str)."""

    def __init__(
        self, redis: Redis, observer: Callable[[Sequence[Event]], None] | None = None, *,
        replicas: int = 0, wait_ms: int = 1000, sharded: bool = False,
    ) -> None:
        """``replicas``: a write is acknowledged only once this many replicas have it (``WAIT``; with
        Sentinel one, so a failover keeps every write a person was told is saved). ``sharded``: the
        room's channel is a sharded channel (Redis Cluster: ``SPUBLISH``)."""
        self.redis = redis
        self.observer = observer  # told of every successful write's events (the app's metrics)
        self.replicas = replicas
        self.wait_ms = wait_ms
        self.publish = SPUBLISH if sharded else PUBLISH
        self._script = redis.register_script(WRITE_SCRIPT)
        self._templates: dict[str, Template] = {}
        self._parsed: dict[str, tuple[str, Template]] = {}  # code -> (stored JSON, its template)
        self._roster_locks: dict[str, asyncio.Lock] = {}
        self._joining: dict[str, list[Any]] = {}  # code -> joins waiting for its roster (RoomStore.join)

    async def _write(
        self, code: str, events: Sequence[Event], guards: Sequence[Guard], ops: Sequence[Op]
    ) -> int:
        write_keys, args = atomic.write_keys(code), write_args(code, events, guards, ops, self.publish)
        for attempt in range(READONLY_RETRIES + 1):
            try:
                if self.replicas:
                    result = await self._write_and_wait(code, write_keys, args)
                else:
                    result = await self._script(keys=write_keys, args=args)
                break
            except ResponseError as exc:
                # After a failover a connection can reach a replica: the old primary, back and
                # demoted, while a sentinel still named it. The script stopped at its first write
                # (nothing written): drop the connections, so new ones ask Sentinel again, and retry.
                if "READONLY" not in str(exc) or attempt == READONLY_RETRIES:
                    raise
                await self.redis.connection_pool.disconnect()
                await asyncio.sleep(0.25)
        if int(result[0]) != 1:
            raise Conflict(guards[int(result[1]) - 1])
        if self.observer is not None:
            self.observer(events)
        return int(result[1])

    async def _write_and_wait(self, code: str, write_keys: list[str], args: list[Any]) -> Any:
        """The write script and ``WAIT`` on one connection (WAIT waits for that connection's writes),
        in one round trip. A write no replica confirmed in time is not acknowledged. The script goes
        as EVAL, not EVALSHA: a promoted replica has never loaded it, and no NOSCRIPT may stop a write
        in the seconds after a failover."""
        if hasattr(self.redis, "get_node_from_key"):
            result, confirmed = await self._on_slot_node(write_keys, args)
        else:
            async with self.redis.pipeline(transaction=False) as pipe:
                pipe.eval(WRITE_SCRIPT, len(write_keys), *write_keys, *args)
                pipe.execute_command("WAIT", self.replicas, self.wait_ms)
                result, confirmed = await pipe.execute()
        if int(result[0]) == 1 and int(confirmed) < self.replicas:
            raise NotReplicated()
        return result

    async def _on_slot_node(self, write_keys: list[str], args: list[Any]) -> tuple[Any, Any]:
        """Cluster: the script and WAIT on one connection to the primary of the room's slot. WAIT has no
        key, and the cluster pipeline's own retry would send it to any node, whose answer says nothing
        about this write; so retry here, asking the cluster who holds the slot after every failure."""
        cluster: Any = self.redis
        for attempt in range(CLUSTER_RETRIES + 1):
            node = cluster.get_node_from_key(write_keys[0])
            conn = node.acquire_connection()
            try:
                await conn.send_packed_command(conn.pack_commands(
                    [("EVAL", WRITE_SCRIPT, len(write_keys), *write_keys, *args),
                     ("WAIT", self.replicas, self.wait_ms)]))
                result = await conn.read_response()
                confirmed = await conn.read_response()
                return result, confirmed
            except (RedisConnectionError, RedisTimeoutError, OSError, MovedError, ClusterDownError,
                    TryAgainError) as exc:
                await conn.disconnect()
                if attempt == CLUSTER_RETRIES:
                    raise RedisConnectionError(f"the room's shard did not answer: {exc}") from exc
                await asyncio.sleep(0.25)
                with contextlib.suppress(RedisError, OSError):
                    await cluster.nodes_manager.initialize()  # who holds the slot now
            except BaseException:
                await conn.disconnect()  # a reply may be left unread on it
                raise
            finally:
                node.release(conn)
        raise AssertionError("unreachable")

    async def template(self, code: str) -> Template:
        cached = self._templates.get(code)
        if cached is not None:
            return cached
        raw = await self.redis.get(keys.template_key(code))
        if raw is None:
            raise RoomNotFound()
        template = Template.model_validate_json(raw)
        self._templates[code] = template
        return template

    def _template_from(self, code: str, raw: str) -> Template:
        """Parse a room's stored template once: every join loads the room, and parsing the
        programme (eleven activities, 44 cards) was most of a join's server time."""
        cached = self._parsed.get(code)
        if cached is not None and cached[0] == raw:
            return cached[1]
        template = Template.model_validate_json(raw)
        self._parsed[code] = (raw, template)
        self._templates.setdefault(code, template)
        return template

    async def _require(self, code: str) -> RoomState:
        state = await self.load(code)
        if state is None:
            raise RoomNotFound()
        return state

    async def load(self, code: str) -> RoomState | None:
        """The live state, read in one transaction so it is a consistent snapshot."""
        return (await self.snapshot(code))[0]

    async def snapshot(self, code: str) -> tuple[RoomState | None, str]:
        """The live state and the stream id of the last event folded into it ("-" if none)."""
        slots = atomic.write_keys(code)
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.get(slots[TEMPLATE_SLOT - 1])
            pipe.get(slots[SEQ_SLOT - 1])
            pipe.xrevrange(slots[EVENTS_SLOT - 1], count=1)
            for slot in layout.READ_SLOTS:
                pipe.hgetall(slots[slot - 1])
            template_raw, seq, last, *hashes = await pipe.execute()
        by_slot = dict(zip(layout.READ_SLOTS, hashes, strict=True))
        if not by_slot[META_SLOT] or template_raw is None:
            return None, "-"
        state = layout.load(self._template_from(code, template_raw), by_slot, int(seq or 0))
        return state, str(last[0][0]) if last else "-"

    async def _member_write(self, code: str, event: Event, activity: str, group: int | None, *,
                            also: Sequence[str] = (), guards: Sequence[Guard] = (),
                            ops: Sequence[Op] | None = None, more: Sequence[Event] = ()) -> None:
        """A participant's write: they exist (in ``group``, with ``also`` in it too) and the activity is open.
        ``more``: further events of the same write (their ``ops`` given with the first's).

        ``guards`` and ``ops``: more conditions and the writes themselves, when they are not the
        event's own (``ops_for``); a failed one of ``guards`` raises ``Conflict``."""
        actor = event.actor
        checks = [Guard("eq", GROUPS_SLOT, actor, str(group)) if group is not None
                  else Guard("has", PARTICIPANTS_SLOT, actor)]
        checks += [Guard("eq", GROUPS_SLOT, other, str(group)) for other in also]
        checks.append(Guard("eq", META_SLOT, f"status:{activity}", "open"))
        try:
            await self._write(code, [event, *more], [*checks, *guards], ops_for(event, None) if ops is None else ops)
        except Conflict as exc:
            if exc.guard in guards:
                raise
            if exc.guard.kind == "eq" and exc.guard.key == GROUPS_SLOT:
                if exc.guard.field == actor:
                    raise Rejected("not-joined", "Je zit niet (meer) in deze groep; ververs de pagina.") from None
                raise Rejected("not-in-group", "Die persoon zit niet in je groep.") from None
            if exc.guard.kind == "has":
                raise Rejected("not-joined", "Je doet (nog) niet mee in deze sessie.") from None
            raise not_open() from None

    async def _roster_write(
        self, code: str, state: RoomState, events: Sequence[ParticipantJoined | MemberMoved],
        guards: Sequence[Guard] = (), ops: Sequence[Op] = (),
    ) -> None:
        """Write roster events only if nobody changed the roster since ``state`` was read."""
        writes = list(ops)
        for event in events:
            writes += ops_for(event, state)
        roster_guard = Guard("eq", META_SLOT, "roster", str(state.roster))
        await self._write(code, events, [roster_guard, *guards], writes)

    async def _host_write(self, code: str, decide: Callable[[RoomState], Event],
                          depends: Callable[[RoomState], Sequence[Guard]] = lambda _state: ()) -> Event:
        """A host's command, decided on the room as read and written only if what it was decided on
        (``depends``: the fields it read) is still so; else decided again. Two host tabs locking
        the same exercise at once: one locks it, the other is told it is not open any more."""
        for _ in range(20):
            state = await self._require(code)
            event = decide(state)
            try:
                await self._write(code, [event], [Guard("has", META_SLOT, "code"), *depends(state)],
                                  ops_for(event, None))
            except Conflict:
                continue  # changed meanwhile (or deleted: the next read says so)
            return event
        raise RuntimeError("room kept changing")
