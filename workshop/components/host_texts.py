"""The facilitator corrects a group's shared text (a typo before the plenary) as one more editor
of the same document (issue 15): a dialog with the group, the field, and the co-editing box."""

from __future__ import annotations

import secrets

from nicegui import ui

from rooms import cotext, layout
from rooms.commands import Rejected
from rooms.events import TextEdited, is_tick
from rooms.kinds.registry import kind_of
from rooms.models import RoomState, group_owner, owner_group
from rooms.store import RoomStore
from workshop.components.shared_text import SharedText
from workshop.i18n import Tr


class HostTexts:
    """One editor at a time, for (activity, group, field); ``on_event`` hands it the group's updates."""

    def __init__(self, code: str, store: RoomStore, t: Tr) -> None:
        self.code, self.store, self.t = code, store, t
        self.state: RoomState | None = None
        self.editors: dict[str, SharedText] = {}
        self.target: tuple[str, int] | None = None  # (activity, group) of the open editor
        with ui.dialog() as self.dialog, ui.card().classes("w-[36rem] max-w-full gap-2"):
            ui.label(t("Tekst van een groep corrigeren")).classes("text-lg font-bold")
            self.choice = ui.select({}, label=t("Welke tekst"), on_change=self._open).props(
                "data-testid=correct-choice outlined dense").classes("w-full")
            self.box = ui.column().classes("w-full")
            ui.button(t("Klaar"), on_click=self.dialog.close).props("data-testid=correct-close flat")
        ui.button(t("Tekst corrigeren"), on_click=self.show).props("data-testid=correct-text outline")

    def show(self) -> None:
        state = self.state
        if state is None or state.current is None:
            ui.notify(self.t("Start eerst een oefening."), type="warning")
            return
        options: dict[str, str] = {}
        activity = state.template.activity(state.current)
        kind = kind_of(activity) if activity is not None else None
        for owner, fields in sorted(state.texts.get(state.current, {}).items()):
            group = owner_group(owner)
            if group is None or activity is None or kind is None:
                continue  # a member's own text is theirs
            for field, text in sorted(fields.items()):
                if not is_tick(field) and kind.corrects(activity, field):
                    short = text if len(text) <= 40 else text[:39] + "…"
                    name = kind.field_label(activity, field, self.t.lang) or field
                    options[f"{group}|{field}"] = self.t("Groep {g}", g=group) + f" · {name}: {short}"
        self.choice.options = options
        self.choice.value = None
        self.choice.update()
        self.box.clear()
        self.editors = {}
        self.target = None
        self.dialog.open()

    def _open(self) -> None:
        value = self.choice.value
        state = self.state
        self.box.clear()
        self.editors = {}
        if not value or state is None or state.current is None:
            self.target = None
            return
        group_text, field = str(value).split("|", 1)
        group = int(group_text)
        self.target = (state.current, group)
        path = (state.current, group_owner(group))
        with self.box:
            editor = SharedText(field, field, self, max_length=3000, testid="correct-box")
        doc = state.docs.get(path[0], {}).get(path[1], {})
        editor.update(state.texts.get(path[0], {}).get(path[1], {}).get(field, ""), True, doc)

    def on_event(self, event: TextEdited) -> None:
        if self.target is None or (event.activity, event.owner) != (self.target[0], group_owner(self.target[1])):
            return
        editor = self.editors.get(event.field)
        if editor is not None:
            editor.remote(event.update)

    # -- what the editor asks of its page (``shared_text.TextActions``) --------------------------

    async def edit_text(self, field: str, update: str) -> bool | None:
        if self.target is None:
            return False
        try:
            await self.store.correct_text(self.code, self.target[1], self.target[0], field, update)
        except Rejected as exc:
            ui.notify(exc.text(self.t.lang), type="warning")
            return False
        return True

    async def write_text(self, field: str, text: str) -> None:
        if self.target is not None:
            change = cotext.replace(await self.text_document(field), text, secrets.randbits(31) | 1)
            await self.edit_text(field, cotext.b64(change))

    def text_key(self, field: str) -> str:
        return ""  # the host's box is not kept in the browser

    async def text_document(self, field: str) -> bytes:
        if self.target is None:
            return layout.document(None, None)
        return await self.store.text_document(self.code, self.target[0], group_owner(self.target[1]), field)
