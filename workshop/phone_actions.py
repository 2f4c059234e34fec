"""What a phone's panels ask of the room besides placing a slider: texts (written whole, edited
together, their documents), cards and their joint decision, options, an agenda proposal taken
over, a new round, a reason. ``pages.participant.PhoneView`` has these; each goes through the
phone's ordered writes (``_run``), which keep a write while Redis is away."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

from nicegui import ui
from redis.exceptions import RedisError

from rooms.commands import Rejected
from rooms.models import group_owner
from workshop.hub import RoomFeed
from workshop.i18n import Tr
from workshop.services import services

log = logging.getLogger(__name__)


class PhoneActions:
    code: str
    pid: str
    t: Tr
    feed: RoomFeed | None
    rendered_activity: str | None
    _writes: asyncio.Lock
    _run: Callable[..., Awaitable[bool]]
    _group: Callable[[], int]

    async def write_text(self, field: str, text: str) -> None:
        if self.rendered_activity is not None:
            store = services().store
            await self._run(store.write_text, self.code, self.pid, self._group(), self.rendered_activity, field, text,
                            key=("text", self.rendered_activity, field))

    async def edit_text(self, field: str, update: str) -> bool | None:
        """One change to a shared text from this phone's editor (``components.shared_text``)."""
        if self.rendered_activity is None:
            return False
        async with self._writes:
            try:
                await services().store.edit_text(self.code, self.pid, self._group(), self.rendered_activity, field,
                                                 update)
            except Rejected as exc:
                ui.notify(exc.text(self.t.lang), type="negative")
                return False
            except (RedisError, OSError) as exc:
                log.warning("a text edit failed: %s", exc)
                return None  # the editor keeps it and sends it again
        return True

    def _owner(self) -> str:
        assert self.feed is not None and self.rendered_activity is not None
        me = self.feed.state.participants.get(self.pid)
        activity = self.feed.state.template.activity(self.rendered_activity)
        if me is None or (activity is not None and getattr(activity, "scope", "group") == "member"):
            return self.pid
        return group_owner(me.group)

    async def text_document(self, field: str) -> bytes:
        if self.rendered_activity is None or self.feed is None:
            return b"\x00\x00"
        return await services().store.text_document(self.code, self.rendered_activity, self._owner(), field)

    def text_key(self, field: str) -> str:
        if self.rendered_activity is None or self.feed is None:
            return ""
        return f"{self.code}|{self.pid}|{self.rendered_activity}|{self._owner()}|{field}"

    async def assign(self, card: str, targets: list[str]) -> None:
        if self.rendered_activity is not None:
            store = services().store
            await self._run(store.assign, self.code, self.pid, self._group(), self.rendered_activity, card, targets,
                            key=("assign", self.rendered_activity, card))

    async def take_proposal(self, key: str, avoid: list[str]) -> None:
        if self.rendered_activity is not None:
            await self._run(services().store.take_proposal, self.code, self.pid, self._group(), self.rendered_activity,
                            key, avoid, key=("take", self.rendered_activity, key))

    async def settle(self, card: str, targets: list[str]) -> None:
        if self.rendered_activity is not None:
            await self._run(services().store.settle, self.code, self.pid, self.rendered_activity, card, targets,
                            key=("settle", self.rendered_activity, card))

    async def choose(self, options: list[str]) -> None:
        if self.rendered_activity is not None:
            await self._run(services().store.choose, self.code, self.pid, self.rendered_activity, options,
                            key=("choose", self.rendered_activity))

    async def next_round(self) -> None:
        if self.rendered_activity is not None:
            store = services().store
            await self._run(store.start_round, self.code, self.rendered_activity, self._group(), self.pid,
                            key=("round", self.rendered_activity, str(self._group())))

    async def write_reason(self, item: str, text: str) -> None:
        if self.rendered_activity is None:
            return
        await self._run(services().store.write_reason, self.code, self.pid, self.rendered_activity, item, text,
                        key=("reason", self.rendered_activity, item))
