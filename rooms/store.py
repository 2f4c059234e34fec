"""The room store: commands in, events out, snapshots.

Every write is one call of the atomic write (``rooms.atomic``): its guards, the live-state ops
that mirror the fold (``rooms.layout``), the events appended and published, all or nothing.
"""

from __future__ import annotations

import asyncio
import contextlib
import secrets
import time
from collections.abc import Callable, Sequence
from typing import Any, NamedTuple

from redis.asyncio import Redis
from redis.exceptions import ClusterDownError, MovedError, RedisError, ResponseError, TryAgainError
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from rooms import atomic, commands, cotext, keys, layout, mixing, themes
from rooms.atomic import (
    BROWSERS_SLOT,
    CARDS_SLOT,
    DOCS_SLOT,
    EVENTS_SLOT,
    GROUPS_SLOT,
    META_SLOT,
    PARTICIPANTS_SLOT,
    PUBLISH,
    SECRET_SLOT,
    SEQ_SLOT,
    SPUBLISH,
    TEMPLATE_SLOT,
    TEXTS_SLOT,
    WRITE_SCRIPT,
    Conflict,
    Guard,
    Op,
    parse_message,
    write_args,
)
from rooms.codes import new_code, new_participant_id, new_token, token_hash, token_matches
from rooms.commands import Rejected
from rooms.events import (
    CardAssigned,
    CardSettled,
    Event,
    MemberMoved,
    OptionsChosen,
    ParticipantJoined,
    ReasonWritten,
    RoomCreated,
    RoundStarted,
    SliderPlaced,
    TextEdited,
    TextEvent,
    decode,
    is_tick,
    text_place,
)
from rooms.layout import ops_for
from rooms.models import Participant, RoomState, group_owner
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


def _not_open() -> Rejected:
    return Rejected(
        "not-open",
        "Deze oefening is nu niet open; je keuze is niet opgeslagen.",
    )


class PhoneEntry(NamedTuple):
    exists: bool
    lang: str | None
    title: str | None
    participant: str | None


class RoomStore:
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

    # -- writing ---------------------------------------------------------------------------

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

    async def create_room(
        self, template: Template, *, title: str | None = None, group_size: int | None = None,
        threshold: int | None = None,
    ) -> tuple[str, str]:
        """Create a room; returns (code, host token). The token is shown once and stored hashed."""
        size = template.group_size if group_size is None else group_size
        if not 2 <= size <= 6:
            raise Rejected("group-size", "Een groep telt 2 tot 6 mensen.")
        limit = template.threshold if threshold is None else threshold
        if not 1 <= limit <= 100:
            raise Rejected("threshold", "De drempel ligt tussen 1 en 100.")
        room_title = commands.clean_text(title, 120) if title else template.title.nl
        for _ in range(20):
            code = new_code()
            token = new_token()
            event = RoomCreated(
                code=code, at=time.time(), actor="host", title=room_title or template.title.nl,
                template=template, group_size=size, threshold=limit,
            )
            ops = [*ops_for(event, None), Op("set", SECRET_SLOT, value=token_hash(token))]
            try:
                await self._write(code, [event], [Guard("lacks", META_SLOT, "code")], ops)
            except Conflict:
                continue
            await self.redis.zadd(keys.rooms_index_key(), {code: event.at})
            self._templates[code] = template
            return code, token
        raise RuntimeError("could not find a free room code")

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

    async def place(
        self, code: str, participant_id: str, activity: str, item: str, position: str, value: object
    ) -> SliderPlaced:
        template = await self.template(code)
        event = commands.place(template, code, participant_id, activity, item, position, value, time.time())
        await self._member_write(code, event, event.activity, None)
        return event

    async def write_reason(
        self, code: str, participant_id: str, activity: str, item: str, text: object
    ) -> ReasonWritten:
        template = await self.template(code)
        event = commands.write_reason(template, code, participant_id, activity, item, text, time.time())
        await self._member_write(code, event, event.activity, None)
        return event

    async def join(
        self, code: str, name: object, participant_id: str | None = None, browser: str | None = None,
        role: object = None,
    ) -> Participant:
        """Add a participant, placing them in a group. Roster changes are serialized per room.

        With ``browser`` (the phone's session id) the participant is bound to that browser
        in the same write, and a browser that already joined gets its participant back.
        """
        pid = participant_id or new_participant_id()
        commands.clean_name(name)  # refuse bad names before touching Redis
        lock = self._roster_locks.setdefault(code, asyncio.Lock())
        async with lock:
            for _ in range(50):
                state = await self.load(code)
                if state is None:
                    raise RoomNotFound()
                if browser is not None:
                    existing = await self.participant_for_browser(code, browser)
                    if existing is not None and existing in state.participants:
                        return state.participants[existing]
                events = commands.join(state, pid, name, time.time(), role)
                extra_guards = [Guard("lacks", BROWSERS_SLOT, browser)] if browser else []
                extra_ops = [Op("hset", BROWSERS_SLOT, browser, pid)] if browser else []
                try:
                    await self._roster_write(code, state, events, extra_guards, extra_ops)
                except Conflict:
                    continue  # another writer changed the roster meanwhile: decide again
                joined = events[0]
                assert isinstance(joined, ParticipantJoined)
                await self.redis.zadd(keys.rooms_index_key(), {code: joined.at})
                return Participant(
                    id=pid, name=joined.name, number=joined.number, group=joined.group, joined_at=joined.at,
                    role=joined.role,
                )
        raise RuntimeError("roster kept changing")

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

    async def phone_entry(self, code: str, browser: str) -> PhoneEntry:
        """What a phone's page needs first, in one round trip: whether the room exists, its
        participants' default language, its title, and the participant this browser joined as."""
        async with self.redis.pipeline(transaction=False) as pipe:
            pipe.hmget(keys.meta_key(code), ["code", "setting:lang", "title"])
            pipe.hget(keys.browsers_key(code), browser)
            (exists, lang, title), pid = await pipe.execute()
        return PhoneEntry(
            exists=exists is not None,
            lang=None if lang is None else str(lang),
            title=None if title is None else str(title),
            participant=None if pid is None else str(pid),
        )

    async def participant_for_browser(self, code: str, browser: str) -> str | None:
        pid = await self.redis.hget(keys.browsers_key(code), browser)
        return None if pid is None else str(pid)

    async def move_member(self, code: str, participant_id: str, group: object) -> MemberMoved:
        lock = self._roster_locks.setdefault(code, asyncio.Lock())
        async with lock:
            for _ in range(50):
                state = await self._require(code)
                event = commands.move_member(state, participant_id, group, time.time())
                try:
                    await self._roster_write(code, state, [event])
                except Conflict:
                    continue
                return event
        raise RuntimeError("roster kept changing")

    async def mix_by_role(self, code: str) -> list[MemberMoved]:
        """Mix the groups by role (``rooms.mixing``) in one write; the moves made, none if mixed."""
        lock = self._roster_locks.setdefault(code, asyncio.Lock())
        async with lock:
            for _ in range(50):
                state = await self._require(code)
                moves = mixing.mix(state, time.time())
                if not moves:
                    return []
                try:
                    await self._roster_write(code, state, moves)
                except Conflict:
                    continue
                return moves
        raise RuntimeError("roster kept changing")

    async def _host_write(self, code: str, event: Event) -> Event:
        await self._write(code, [event], [Guard("has", META_SLOT, "code")], ops_for(event, None))
        return event

    async def start(self, code: str, activity: str) -> Event:
        return await self._host_write(code, commands.start(await self._require(code), activity, time.time()))

    async def advance(self, code: str) -> Event:
        return await self._host_write(code, commands.advance(await self._require(code), time.time()))

    async def lock(self, code: str, activity: str) -> Event:
        return await self._host_write(code, commands.lock(await self._require(code), activity, time.time()))

    async def unlock(self, code: str, activity: str) -> Event:
        return await self._host_write(code, commands.unlock(await self._require(code), activity, time.time()))

    async def reveal(self, code: str, activity: str, group: int | None = None) -> Event:
        event = commands.reveal(await self._require(code), activity, group, time.time())
        return await self._host_write(code, event)

    async def show_on_screen(self, code: str, mode: str) -> Event:
        event = commands.show_on_screen(await self._require(code), mode, time.time())
        return await self._host_write(code, event)

    async def set_reveal_mode(self, code: str, activity: str, mode: object) -> Event:
        event = commands.set_reveal_mode(await self._require(code), activity, mode, time.time())
        return await self._host_write(code, event)

    async def edit_theme(self, code: str, activity: str, item: str, key: object, *, label: object = None,
                         into: object = None) -> Event:
        """Rename a theme of a slider's reasons, or merge it into another (``rooms.themes``)."""
        event = themes.edit(await self._require(code), activity, item, key, label=label, into=into, now=time.time())
        return await self._host_write(code, event)

    async def set_setting(self, code: str, name: str, value: object) -> Event:
        return await self._host_write(code, commands.set_setting(await self._require(code), name, value, time.time()))

    async def set_timer(self, code: str, seconds: object) -> Event:
        return await self._host_write(code, commands.set_timer(await self._require(code), seconds, time.time()))

    async def start_round(self, code: str, activity: str, group: object, actor: str = "host") -> RoundStarted:
        """The host, or a member of the group (``actor``), starts the group's next round."""
        for _ in range(20):
            state = await self._require(code)
            if actor != "host":
                member = state.participants.get(actor)
                if member is None or member.group != group:
                    raise Rejected("not-your-group", "Dat kan alleen iemand uit die groep.")
            event = commands.start_round(state, activity, group, actor, time.time())
            # nothing may have happened since the state was read: the "before" must be exact
            guards = [Guard("get", SEQ_SLOT, "", str(state.seq)), Guard("eq", META_SLOT, f"status:{activity}", "open")]
            try:
                await self._write(code, [event], guards, ops_for(event, state))
            except Conflict as exc:
                if exc.guard.kind == "eq":
                    raise _not_open() from None
                continue
            return event
        raise RuntimeError("room kept changing")

    async def _member_write(self, code: str, event: Event, activity: str, group: int | None, *,
                            also: Sequence[str] = (), guards: Sequence[Guard] = (),
                            ops: Sequence[Op] | None = None) -> None:
        """A participant's write: they exist (in ``group``, with ``also`` in it too) and the activity is open.

        ``guards`` and ``ops``: more conditions and the writes themselves, when they are not the
        event's own (``ops_for``); a failed one of ``guards`` raises ``Conflict``."""
        actor = event.actor
        checks = [Guard("eq", GROUPS_SLOT, actor, str(group)) if group is not None
                  else Guard("has", PARTICIPANTS_SLOT, actor)]
        checks += [Guard("eq", GROUPS_SLOT, other, str(group)) for other in also]
        checks.append(Guard("eq", META_SLOT, f"status:{activity}", "open"))
        try:
            await self._write(code, [event], [*checks, *guards], ops_for(event, None) if ops is None else ops)
        except Conflict as exc:
            if exc.guard in guards:
                raise
            if exc.guard.kind == "eq" and exc.guard.key == GROUPS_SLOT:
                if exc.guard.field == actor:
                    raise Rejected("not-joined", "Je zit niet (meer) in deze groep; ververs de pagina.") from None
                raise Rejected("not-in-group", "Die persoon zit niet in je groep.") from None
            if exc.guard.kind == "has":
                raise Rejected("not-joined", "Je doet (nog) niet mee in deze sessie.") from None
            raise _not_open() from None

    async def write_text(
        self, code: str, participant_id: str, group: int, activity: str, field: object, text: object
    ) -> TextEvent | TextEdited | None:
        """A text written whole: a practice tick as such, any other text as one more editor's
        change to its document (what differs from the text the room has now). None: no change."""
        template = await self.template(code)
        if isinstance(field, str) and is_tick(field):
            event = commands.write_text(template, code, participant_id, group, activity, field, text, time.time())
            scoped = text_place(event)[0] != participant_id
            await self._member_write(code, event, event.activity, group if scoped else None)
            return event
        spec, name, owner, limit = commands.text_owner(template, participant_id, group, activity, field)
        whole = commands.clean_text(text, limit)
        client = secrets.randbits(31) | 1

        def change(doc: str | None, now: str | None) -> str:
            return cotext.b64(cotext.replace(layout.document(doc, now), whole, client))

        return await self._edit(code, participant_id, group, spec.id, name, owner, limit, change)

    async def edit_text(
        self, code: str, participant_id: str, group: int, activity: str, field: object, update: object
    ) -> TextEdited | None:
        """One member's change to a shared text (a Yjs update, base64; ``rooms.cotext``). None:
        the document had it already."""
        template = await self.template(code)
        spec, name, owner, limit = commands.text_owner(template, participant_id, group, activity, field)
        return await self._edit(code, participant_id, group, spec.id, name, owner, limit, lambda _d, _t: update)

    async def correct_text(
        self, code: str, group: int, activity: str, field: object, update: object
    ) -> TextEdited | None:
        """The host's change to a group's shared text: one more editor of the same document."""
        spec, name, owner, limit = commands.host_text_owner(await self.template(code), group, activity, field)
        return await self._edit(code, "host", group, spec.id, name, owner, limit, lambda _d, _t: update)

    async def _edit(self, code: str, actor: str, group: int, activity: str, field: str, owner: str, limit: int,
                    change: Callable[[str | None, str | None], object]) -> TextEdited | None:
        """Write one change to a document, deciding again when another editor's change landed first
        (the guards: the document and its text as read)."""
        path = f"{activity}|{owner}|{field}"
        for _ in range(50):
            async with self.redis.pipeline(transaction=True) as pipe:
                pipe.hget(keys.docs_key(code), path)
                pipe.hget(keys.texts_key(code), path)
                doc, text = await pipe.execute()
            result = commands.edit_text(await self.template(code), code, actor, owner, activity, field, limit,
                                        change(doc, text), doc, text, time.time())
            if result is None:
                return None
            event, after, shown = result
            guards = [Guard("eq", DOCS_SLOT, path, doc) if doc is not None else Guard("lacks", DOCS_SLOT, path),
                      Guard("eq", TEXTS_SLOT, path, text) if text is not None else Guard("lacks", TEXTS_SLOT, path)]
            ops = [*layout.DOCS.ops((activity, owner, field), after),
                   *layout.TEXTS.ops((activity, owner, field), shown or None)]
            try:
                if actor == "host":
                    await self._write(code, [event], [Guard("has", META_SLOT, "code"), *guards], ops)
                else:
                    await self._member_write(code, event, activity, group if owner == group_owner(group) else None,
                                             guards=guards, ops=ops)
            except Conflict:
                continue  # another editor's change came first: merge with the document as it is now
            return event
        raise RuntimeError("text kept changing")

    async def text_document(self, code: str, activity: str, owner: str, field: str) -> bytes:
        """A shared text's document as the room has it now (for an editor that reconnects)."""
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.hget(keys.docs_key(code), f"{activity}|{owner}|{field}")
            pipe.hget(keys.texts_key(code), f"{activity}|{owner}|{field}")
            doc, text = await pipe.execute()
        return layout.document(doc, text)

    async def assign(
        self, code: str, participant_id: str, group: int, activity: str, card: object, targets: object
    ) -> CardAssigned:
        """A member's choice for a card; members named as targets must be in the member's group."""
        template = await self.template(code)
        named = {t for t in targets if isinstance(t, str)} if isinstance(targets, list | tuple | set) else set()
        event = commands.assign(template, code, participant_id, activity, card, targets, time.time(),
                                group_members=named - {commands.NONE_TARGET})
        also = commands.named_members(template, event)
        await self._member_write(code, event, event.activity, group, also=also)
        return event

    async def settle(self, code: str, participant_id: str, activity: str, card: object,
                     targets: object) -> CardSettled:
        """A member settles a revealed card for the whole group; the last decision stands. The write
        checks the member (and whom they name) is still in that group and the activity open."""
        for _ in range(20):
            state = await self._require(code)
            event = commands.settle(state, participant_id, activity, card, targets, time.time())
            also = commands.named_members(state.template, event)
            try:
                await self._member_write(code, event, event.activity, event.group, also=also,
                                         guards=_still_revealed(state, event))
            except Conflict:
                continue  # the card's choices, the group or the reveal mode changed: decide again
            return event
        raise RuntimeError("the card kept changing")

    async def choose(self, code: str, participant_id: str, activity: str, options: object) -> OptionsChosen:
        template = await self.template(code)
        event = commands.choose(template, code, participant_id, activity, options, time.time())
        await self._member_write(code, event, event.activity, None)
        return event

    # -- reading ---------------------------------------------------------------------------

    async def exists(self, code: str) -> bool:
        return bool(await self.redis.exists(keys.meta_key(code)))

    async def setting(self, code: str, name: str) -> str | None:
        """One room setting (e.g. ``lang``, the participants' default language), or None."""
        value = await self.redis.hget(keys.meta_key(code), f"setting:{name}")
        return None if value is None else str(value)

    async def check_host(self, code: str, token: str) -> bool:
        stored = await self.redis.get(keys.secret_key(code))
        return token_matches(token, None if stored is None else str(stored))

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

    async def events(self, code: str, after: str = "-", count: int | None = None) -> list[tuple[str, Event]]:
        """Events after stream id ``after`` (exclusive), in order, with their seq filled in."""
        start = "-" if after == "-" else f"({after}"
        entries: list[tuple[str, dict[str, str]]] = await self.redis.xrange(
            keys.events_key(code), min=start, max="+", count=count
        )  # type: ignore[assignment]
        return [(entry_id, decode(fields["e"], int(fields["seq"]))) for entry_id, fields in entries]

    # -- presence (not events: who has a page open right now) ------------------------------

    async def touch(self, code: str, participant_ids: Sequence[str], now: float | None = None) -> None:
        if participant_ids:
            at = time.time() if now is None else now
            await self.redis.zadd(keys.presence_key(code), {pid: at for pid in participant_ids})

    async def gone(self, code: str, participant_id: str) -> None:
        await self.redis.zadd(keys.presence_key(code), {participant_id: 0})

    async def online(self, code: str, within: float = 30.0) -> set[str]:
        members = await self.redis.zrangebyscore(keys.presence_key(code), time.time() - within, "+inf")
        return {str(m) for m in members}

    async def delete_room(self, code: str) -> None:
        """Remove every key of the room and tell every process (views show that the room is gone)."""
        await self.redis.delete(*keys.room_keys(code))
        await self.redis.zrem(keys.rooms_index_key(), code)
        self._templates.pop(code, None)
        self._parsed.pop(code, None)
        if self.publish == SPUBLISH:
            await self.redis.spublish(keys.channel(code), DELETED)
        else:
            await self.redis.publish(keys.channel(code), DELETED)


def _still_revealed(state: RoomState, event: CardSettled) -> list[Guard]:
    """What the card's reveal for the group rests on, as read: its members' choices for the card,
    the roster and the reveal mode (a host's reveal is never taken back)."""
    by_member = state.cards.get(event.activity, {}).get(event.card, {})
    guards = [Guard("eq", CARDS_SLOT, f"{event.activity}|{event.card}|{m.id}", ",".join(by_member[m.id]))
              if m.id in by_member else Guard("lacks", CARDS_SLOT, f"{event.activity}|{event.card}|{m.id}")
              for m in state.members(event.group)]
    mode = state.reveal_modes.get(event.activity)
    reveal_field = f"reveal:{event.activity}"
    guards.append(Guard("eq", META_SLOT, reveal_field, mode) if mode is not None
                  else Guard("lacks", META_SLOT, reveal_field))
    guards.append(Guard("eq", META_SLOT, "roster", str(state.roster)))
    return guards


DELETED = "deleted"  # published on a room's channel when the room is deleted


__all__ = [
    "DELETED", "Conflict", "NotReplicated", "RoomNotFound", "RoomStore", "ops_for", "parse_message", "write_args",
]
