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
                    raise not_open() from None
                continue
            return event
        raise RuntimeError("room kept changing")
