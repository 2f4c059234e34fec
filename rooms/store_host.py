"""The store's host commands: the programme (start, next, lock, reveal, screen, timer, rounds),
settings and themes, and the roster (moving people, mixing groups by role)."""

from __future__ import annotations

import asyncio
import time

from rooms import commands, mixing, themes
from rooms.atomic import (
    META_SLOT,
    SEQ_SLOT,
    Conflict,
    Guard,
)
from rooms.commands import Rejected
from rooms.events import (
    Event,
    MemberMoved,
    RoundStarted,
)
from rooms.layout import ops_for
from rooms.models import RoomState
from rooms.store_base import StoreBase, not_open


class HostCommands(StoreBase):
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

    async def start(self, code: str, activity: str) -> Event:
        return await self._host_write(code, lambda state: commands.start(state, activity, time.time()))

    async def advance(self, code: str) -> Event:
        return await self._host_write(code, lambda state: commands.advance(state, time.time()), _current)

    async def lock(self, code: str, activity: str) -> Event:
        return await self._host_write(code, lambda state: commands.lock(state, activity, time.time()),
                                      lambda _state: [_status(activity, "open")])

    async def unlock(self, code: str, activity: str) -> Event:
        return await self._host_write(code, lambda state: commands.unlock(state, activity, time.time()),
                                      lambda _state: [_status(activity, "locked")])

    async def reveal(self, code: str, activity: str, group: int | None = None) -> Event:
        return await self._host_write(code, lambda state: commands.reveal(state, activity, group, time.time()),
                                      _roster if group is not None else _nothing)

    async def show_on_screen(self, code: str, mode: str) -> Event:
        return await self._host_write(code, lambda state: commands.show_on_screen(state, mode, time.time()), _roster)

    async def set_reveal_mode(self, code: str, activity: str, mode: object) -> Event:
        return await self._host_write(code, lambda state: commands.set_reveal_mode(state, activity, mode, time.time()))

    async def edit_theme(self, code: str, activity: str, item: str, key: object, *, label: object = None,
                         into: object = None) -> Event:
        """Rename a theme of a slider's reasons, or merge it into another (``rooms.themes``)."""
        return await self._host_write(
            code, lambda state: themes.edit(state, activity, item, key, label=label, into=into, now=time.time()))

    async def set_setting(self, code: str, name: str, value: object) -> Event:
        return await self._host_write(code, lambda state: commands.set_setting(state, name, value, time.time()))

    async def set_timer(self, code: str, seconds: object) -> Event:
        return await self._host_write(code, lambda state: commands.set_timer(state, seconds, time.time()))

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
                    raise not_open() from None
                continue
            return event
        raise RuntimeError("room kept changing")


# What a host's command was decided on, checked again in its write (``StoreBase._host_write``).

def _status(activity: str, status: str) -> Guard:
    return Guard("eq", META_SLOT, f"status:{activity}", status)


def _current(state: RoomState) -> list[Guard]:
    return [Guard("eq", META_SLOT, "current", state.current) if state.current is not None
            else Guard("lacks", META_SLOT, "current")]


def _roster(state: RoomState) -> list[Guard]:
    """The groups as read (a group named must still exist)."""
    return [Guard("eq", META_SLOT, "roster", str(state.roster))]


def _nothing(state: RoomState) -> list[Guard]:
    return []
