"""The store's commands on shared texts: a text written whole, one editor's change, the host's
correction, and a document for an editor that reconnects (``rooms.cotext``)."""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable, Collection

from rooms import commands, cotext, keys, layout
from rooms.atomic import (
    DOCS_SLOT,
    META_SLOT,
    TEXTS_SLOT,
    Conflict,
    Guard,
    Op,
)
from rooms.events import (
    Event,
    TextEdited,
    TextEvent,
    is_tick,
    text_place,
)
from rooms.kinds import agenda
from rooms.models import group_owner
from rooms.store_base import StoreBase


class TextCommands(StoreBase):
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

    async def take_proposal(self, code: str, participant_id: str, group: int, activity: str, key: object,
                            avoid: Collection[str] = ()) -> str:
        """A proposed action (``rooms.kinds.agenda.proposals``) taken over as the group's: its text
        and where it came from, written together into a free action slot (``agenda.taking``), so
        two members taking proposals at once get an action each. Returns the action's id."""
        for _ in range(50):
            state = await self._require(code)
            spec = state.template.activity(activity) if isinstance(activity, str) else None
            if spec is None or spec.kind != "agenda" or not spec.actions:  # narrowed by its kind
                raise commands.Rejected("no-field", "Dit veld bestaat niet bij deze oefening.")
            action, text = agenda.taking(state, spec, group, key, avoid)
            owner, now, client = group_owner(group), time.time(), secrets.randbits(31) | 1
            events: list[Event] = []
            guards: list[Guard] = []
            ops: list[Op] = []
            for part, whole in (("what", text), (agenda.ORIGIN_PART, str(key))):
                field = f"{action}-{part}"
                _spec, _name, _owner, limit = commands.text_owner(state.template, participant_id, group, spec.id,
                                                                  field)
                update = cotext.b64(cotext.replace(layout.document(None, None), commands.clean_text(whole, limit),
                                                   client))
                result = commands.edit_text(state.template, code, participant_id, owner, spec.id, field, limit,
                                            update, None, None, now)
                assert result is not None  # an empty document gets a text
                event, after, shown = result
                path = f"{spec.id}|{owner}|{field}"
                events.append(event)
                guards += [Guard("lacks", DOCS_SLOT, path), Guard("lacks", TEXTS_SLOT, path)]
                ops += [*layout.DOCS.ops((spec.id, owner, field), after),
                        *layout.TEXTS.ops((spec.id, owner, field), shown)]
            try:
                await self._member_write(code, events[0], spec.id, group, guards=guards, ops=ops, more=events[1:])
            except Conflict:
                continue  # another member took that slot (or wrote in it) first: decide again
            return action
        raise RuntimeError("the agenda kept changing")

    async def text_document(self, code: str, activity: str, owner: str, field: str) -> bytes:
        """A shared text's document as the room has it now (for an editor that reconnects)."""
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.hget(keys.docs_key(code), f"{activity}|{owner}|{field}")
            pipe.hget(keys.texts_key(code), f"{activity}|{owner}|{field}")
            doc, text = await pipe.execute()
        return layout.document(doc, text)
