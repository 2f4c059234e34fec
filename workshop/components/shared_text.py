"""A text field the group writes together: real co-editing (issue 15).

Each field is a Yjs document (``rooms.cotext``). The browser keeps its own copy
(``co_text.js``, with Yjs from ``assets/vendor/yjs``): typing changes the copy and sends the
change as a Yjs update, which the room merges (``store.edit_text``) and hands, as that same
update, to every other editor of the field (``remote``). Concurrent typing merges letter by
letter, the caret stays where the person types, and a phone that was offline sends what it
typed when it is back. The server sends the whole document only once, when the editor starts.

A text set whole on the server side (NiceGUI's simulated users, ``value``) becomes one more
editor's change too (``store.write_text``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Protocol

from nicegui import background_tasks, ui
from nicegui.events import GenericEventArguments, ValueChangeEventArguments

from rooms import cotext

VENDOR = Path(__file__).resolve().parent.parent.parent / "assets" / "vendor" / "yjs"


class TextActions(Protocol):
    """What an editor asks of its page: the page knows the room, the member and the activity."""

    editors: dict[str, SharedText]

    async def write_text(self, field: str, text: str) -> None: ...

    async def edit_text(self, field: str, update: str) -> bool | None:
        """Write one change: True taken, False refused (the editor starts again from the room's
        document), None not reached (the editor keeps it and sends it again)."""

    async def text_document(self, field: str) -> bytes:
        """The field's document as the room has it now."""

    def text_key(self, field: str) -> str:
        """Where the browser keeps what it typed and the room has not confirmed ("": nowhere)."""


class CoText(ui.input, component="co_text.js", esm={"werkplaats-yjs": str(VENDOR)}):
    """``ui.input``'s props and events on the outside (label, hint, maxlength, ``set_enabled``,
    ``value`` for server-side writes), a Yjs editor inside."""


class SharedText:
    def __init__(
        self, field: str, label: str, actions: TextActions, *, multiline: bool = True, max_length: int = 1000,
        hint: str = "", testid: str | None = None, placeholder: str = "",
    ) -> None:
        self.field = field
        self.actions = actions
        self.known: str | None = None  # the room's text, as last seen
        self._editable = True
        self._started: bool | None = False  # whether the browser's copy has its document
        self._quiet = False
        self.element = CoText(label, placeholder=placeholder or None).props(
            f"data-testid={testid or 'text-' + field} maxlength={max_length} outlined"
            + (" type=textarea autogrow" if multiline else "")
        ).classes("w-full")
        if hint:
            self.element.props(f'hint="{_attr(hint)}"')
        self.element.on("edit", self._edit)
        self.element.on("resync", self._resync)
        self.element.on_value_change(self._set_whole)
        actions.editors[field] = self

    @property
    def value(self) -> str:
        return str(self.element.value or "")

    def update(self, text: str, editable: bool, docs: dict[str, str] | None = None) -> None:
        """The room's text and, the first time, the document the browser's copy starts from."""
        if not self._started:
            doc = (docs or {}).get(self.field)
            state = doc or (cotext.b64(cotext.seed(text)) if text else "")
            if self._started is None:  # a copy that edited another field: it starts again
                self.element.run_method("reset", state, bool(doc), self.actions.text_key(self.field))
            else:
                self.element.props["doc"] = state
                self.element.props["stored"] = bool(doc)
                self.element.props["keep"] = self.actions.text_key(self.field)
            self._started = True
        if text != self.known:
            self.known = text
            self._mirror(text)
        if editable != self._editable:
            self._editable = editable
            self.element.set_enabled(editable)

    def retarget(self, field: str) -> None:
        """Edit another field from now on (a practice round's tips): the copy starts again."""
        if field == self.field:
            return
        self.actions.editors.pop(self.field, None)
        self.field = field
        self.actions.editors[field] = self
        self._started = None if self._started else False
        self.known = None

    def remote(self, update: str) -> None:
        """Another editor's change (or my own coming back: the copy has it already)."""
        if not self.element.is_deleted:
            self.element.run_method("remote", update)

    def _mirror(self, text: str) -> None:
        """Keep ``value`` (read on the server, e.g. by the simulated users) without sending it:
        the browser's copy is the document's."""
        self._quiet = True
        self.element._send_update_on_value_change = False  # a mirror only
        try:
            self.element.value = text
        finally:
            self.element._send_update_on_value_change = True
            self._quiet = False

    def _set_whole(self, e: ValueChangeEventArguments[Any]) -> None:
        # decided here, synchronously: a mirror (``_quiet``) is no write, however late it runs
        if self._quiet or self.element.is_deleted:
            return
        background_tasks.create(self.actions.write_text(self.field, str(e.value or "")), name="write whole text")

    async def _edit(self, e: GenericEventArguments) -> None:
        args = e.args if isinstance(e.args, dict) else {}
        update, upto = args.get("update"), args.get("upto")
        if not isinstance(update, str) or not update:
            return
        taken = await self.actions.edit_text(self.field, update)
        if self.element.is_deleted:
            return
        if taken:
            self.element.run_method("ack", upto)
        elif taken is False:
            self.element.run_method("reset", cotext.b64(await self.actions.text_document(self.field)))

    async def _resync(self, e: GenericEventArguments) -> None:
        """The browser is back after a disconnect: take what it typed, send what it missed."""
        await self._edit(e)
        args = e.args if isinstance(e.args, dict) else {}
        try:
            vector = cotext.unb64(args.get("sv"))
            missed = cotext.diff(await self.actions.text_document(self.field), vector)
        except (cotext.BadUpdate, ValueError):
            return
        if not self.element.is_deleted:  # new letters, or only deletions: either way it needs them
            self.element.run_method("remote", cotext.b64(missed))


def _attr(text: str) -> str:
    return text.replace("&", "&amp;").replace('"', "&quot;")

