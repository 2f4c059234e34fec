"""The room store: commands in, events out, snapshots.

``RoomStore`` is made of three parts: ``rooms.store_base`` (the atomic write, reading a room,
the guarded writes), ``rooms.store_host`` (the host's commands and the roster) and
``rooms.store_texts`` (shared texts); this module adds creating and joining a room, the members'
other commands, presence and deletion.

Every write is one call of the atomic write (``rooms.atomic``): its guards, the live-state ops
that mirror the fold (``rooms.layout``), the events appended and published, all or nothing.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Sequence
from dataclasses import dataclass

from redis.exceptions import RedisError

from rooms import commands, keys, projection
from rooms.atomic import (
    BROWSERS_SLOT,
    CARDS_SLOT,
    META_SLOT,
    SECRET_SLOT,
    SPUBLISH,
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
    SliderPlaced,
    decode,
)
from rooms.layout import ops_for
from rooms.models import Participant, RoomState
from rooms.store_base import CLUSTER_RETRIES, READONLY_RETRIES, NotReplicated, PhoneEntry, RoomNotFound, not_open
from rooms.store_host import HostCommands
from rooms.store_texts import TextCommands
from rooms.templates import Template

# at most this many joins in one write: a whole room at once is a few writes, none that holds
# Redis (single-threaded) for long
JOIN_BATCH = 64


@dataclass(eq=False)
class _Join:
    """One join waiting for the room's roster: what was asked, and where its answer goes."""

    pid: str
    name: object
    browser: str | None
    role: object
    answer: asyncio.Future[Participant]
    maybe_written: bool = False  # its batch's holder was cancelled while writing it


class RoomStore(HostCommands, TextCommands):
    """Reads and writes rooms in Redis. ``redis`` must decode responses (str)."""

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

        Joins that arrive while the room's roster is being written wait for it and are then decided
        and written together, in the order they arrived, as one atomic write (up to ``JOIN_BATCH``):
        when a whole room taps "Meedoen" at once, one read of the room and one round trip serve many
        joins instead of one each, and the room is not read again for every newcomer.
        """
        commands.clean_name(name)  # refuse bad names before touching Redis
        ask = _Join(participant_id or new_participant_id(), name, browser, role,
                    asyncio.get_running_loop().create_future())
        # read even when its caller went away (cancelled), so no "exception never retrieved" is logged
        ask.answer.add_done_callback(lambda answer: answer.cancelled() or answer.exception())
        self._joining.setdefault(code, []).append(ask)
        lock = self._roster_locks.setdefault(code, asyncio.Lock())
        try:
            async with lock:
                while not ask.answer.done():  # else an earlier holder of the lock wrote it with its own
                    await self._join_next(code, ask)
        except asyncio.CancelledError:  # gone before its join was written: it is not written later
            left = [a for a in self._joining.pop(code, []) if a is not ask]
            if left:
                self._joining[code] = left
            raise
        return ask.answer.result()

    async def _join_next(self, code: str, holder: _Join) -> None:
        """Write the next batch of ``code``'s waiting joins (the lock held by ``holder``'s caller)."""
        queue = self._joining.pop(code, [])
        batch, rest = queue[:JOIN_BATCH], queue[JOIN_BATCH:]
        if rest:
            self._joining[code] = rest
        try:
            await self._join_together(code, batch)
        except asyncio.CancelledError:
            # the holder went away; the others wait for the next holder, who knows that their
            # write may have reached Redis before the cancel did
            others = [a for a in batch if a is not holder and not a.answer.done()]
            for a in others:
                a.maybe_written = True
            self._joining[code] = others + self._joining.get(code, [])
            raise
        except Exception as exc:  # each of the batch hears it, as from its own write
            failed = batch
            if isinstance(exc, RedisError | OSError):  # and so do the rest: Redis is away for them too
                failed = batch + self._joining.pop(code, [])
            for a in failed:
                if not a.answer.done():
                    a.answer.set_exception(exc)

    async def _join_together(self, code: str, batch: list[_Join]) -> None:
        """Decide ``batch`` in order on the room as read, write it in one guarded write, answer each."""
        for _ in range(50):
            state = await self.load(code)
            if state is None:
                for ask in batch:
                    ask.answer.set_exception(RoomNotFound())
                return
            browsers = sorted({ask.browser for ask in batch if ask.browser is not None})
            bound = dict(zip(browsers, await self.redis.hmget(keys.browsers_key(code), browsers), strict=True)
                         ) if browsers else {}
            roster = state.roster  # what the write is guarded on: nobody changed the roster meanwhile
            events: list[ParticipantJoined | MemberMoved] = []
            guards: list[Guard] = [Guard("eq", META_SLOT, "roster", str(roster))]
            ops: list[Op] = []
            answers: list[tuple[_Join, Participant | Rejected]] = []
            for ask in batch:
                existing = bound.get(ask.browser) if ask.browser is not None else None
                if existing is None and ask.maybe_written:
                    existing = ask.pid  # written by a holder that was cancelled before it could answer
                if existing is not None and existing in state.participants:  # joined before, or a second tap
                    answers.append((ask, state.participants[existing]))
                    continue
                try:
                    joined = commands.join(state, ask.pid, ask.name, time.time(), ask.role)
                except Rejected as exc:
                    answers.append((ask, exc))
                    continue
                for event in joined:  # the next newcomer is placed in the room with this one in it
                    ops += ops_for(event, state)
                    state = projection.apply(state, event)
                if ask.browser is not None:
                    guards.append(Guard("lacks", BROWSERS_SLOT, ask.browser))
                    ops.append(Op("hset", BROWSERS_SLOT, ask.browser, ask.pid))
                    bound[ask.browser] = ask.pid
                events += joined
                answers.append((ask, state.participants[ask.pid]))
            if events:
                try:
                    await self._write(code, events, guards, ops)
                except Conflict:
                    continue  # another writer changed the roster meanwhile: decide again
            for ask, outcome in answers:  # answered as soon as written: the index below is not the join
                if isinstance(outcome, Rejected):
                    ask.answer.set_exception(outcome)
                else:
                    ask.answer.set_result(outcome)
            if events:
                await self.redis.zadd(keys.rooms_index_key(), {code: events[-1].at})
            return
        raise RuntimeError("roster kept changing")

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

    async def exists(self, code: str) -> bool:
        return bool(await self.redis.exists(keys.meta_key(code)))

    async def setting(self, code: str, name: str) -> str | None:
        """One room setting (e.g. ``lang``, the participants' default language), or None."""
        value = await self.redis.hget(keys.meta_key(code), f"setting:{name}")
        return None if value is None else str(value)

    async def check_host(self, code: str, token: str) -> bool:
        stored = await self.redis.get(keys.secret_key(code))
        return token_matches(token, None if stored is None else str(stored))

    async def events(self, code: str, after: str = "-", count: int | None = None) -> list[tuple[str, Event]]:
        """Events after stream id ``after`` (exclusive), in order, with their seq filled in."""
        start = "-" if after == "-" else f"({after}"
        entries: list[tuple[str, dict[str, str]]] = await self.redis.xrange(
            keys.events_key(code), min=start, max="+", count=count
        )  # type: ignore[assignment]
        return [(entry_id, decode(fields["e"], int(fields["seq"]))) for entry_id, fields in entries]

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
    "CLUSTER_RETRIES", "DELETED", "READONLY_RETRIES", "Conflict", "NotReplicated", "PhoneEntry", "RoomNotFound",
    "RoomStore", "not_open", "ops_for", "parse_message", "write_args",
]
