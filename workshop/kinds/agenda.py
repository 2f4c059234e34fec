"""Agenda: the group's work agenda, pre-filled from earlier activities, with concrete actions.

Phone: the agenda's fields (marked while still the pre-fill), the suggestions from the competence
game, and a card per action. Host and screen: the engine's summary lines."""

from __future__ import annotations

from nicegui import ui

from rooms.commands import ACTION_PART_MAX, AGENDA_ACTIONS_MAX
from rooms.templates import ACTION_PARTS, AgendaActivity
from rooms.views import ParticipantView
from workshop.components.panels import Actions, enable
from workshop.components.shared_text import SharedText
from workshop.i18n import Tr
from workshop.kinds.base import KindUI


class AgendaPanel:
    def __init__(self, activity: AgendaActivity, t: Tr, actions: Actions) -> None:
        self.activity = activity
        self.t = t
        self.actions = actions
        self.view: ParticipantView | None = None
        self.fields: dict[str, SharedText] = {}
        self.prefill_notes: dict[str, ui.label] = {}
        for f in activity.fields:
            self.fields[f.id] = SharedText(f.id, t.text(f.label), actions, max_length=f.max_length,
                                           hint=t.text(f.hint), testid=f"agenda-{f.id}")
            self.prefill_notes[f.id] = ui.label(
                t("Vooraf ingevuld uit jullie eerdere oefeningen; pas het gerust aan.")
            ).classes("text-xs wp-muted -mt-2")
        self.rows: dict[str, dict[str, SharedText]] = {}
        self.row_cards: dict[str, ui.card] = {}
        self.local_rows: set[str] = set()
        if activity.actions:
            ui.label(t("Acties (zo concreet mogelijk)")).classes(
                "text-lg font-bold")
            self.suggestions = ui.label().classes("text-sm wp-muted").props("data-testid=agenda-suggestions")
            self.actions_box = ui.column().classes("w-full gap-2")
            self.add_button = ui.button(t("Actie toevoegen"), on_click=self.add_action).props(
                "data-testid=add-action outline icon=add")

    def _parts(self) -> dict[str, str]:
        t = self.t
        return {
            "what": t("Wat gaan we doen?"),
            "who": t("Wie trekt het?"),
            "with": t("Met wie?"),
            "when": t("Wanneer is het klaar?"),
            "measure": t("Hoe weten we dat het gelukt is?"),
        }

    def _add_row(self, action_id: str) -> None:
        parts = self._parts()
        boxes: dict[str, SharedText] = {}
        with self.actions_box, ui.card().classes("w-full gap-1").props(f"data-testid={action_id}") as card:
            for part in ACTION_PARTS:
                boxes[part] = SharedText(f"{action_id}-{part}", parts[part], self.actions,
                                         multiline=part in {"what", "measure"}, max_length=ACTION_PART_MAX,
                                         testid=f"{action_id}-{part}")
            ui.button(self.t("Verwijder actie"), on_click=lambda a=action_id: self.ask_remove(a)).props(
                f"data-testid=remove-{action_id} flat dense color=negative")
        self.rows[action_id] = boxes
        self.row_cards[action_id] = card

    def add_action(self) -> None:
        used = set(self.rows)
        free = next((f"action-{n}" for n in range(1, AGENDA_ACTIONS_MAX + 1) if f"action-{n}" not in used), None)
        if free is None:
            ui.notify(self.t("Hooguit {v0} acties.", v0=AGENDA_ACTIONS_MAX), type="warning")
            return
        self.local_rows.add(free)
        self._add_row(free)

    async def ask_remove(self, action_id: str) -> None:
        """The action is the group's: removing it empties it for everyone, so ask first."""
        t = self.t
        boxes = self.rows.get(action_id, {})
        if not any(str(box.element.value or "").strip() for box in boxes.values()):
            await self.remove(action_id)  # nothing written yet: nothing to lose
            return
        what = str(boxes["what"].element.value or "").strip() if "what" in boxes else ""
        with ui.dialog() as dialog, ui.card():
            title = t("Actie „{what}” verwijderen?", what=what[:80]) if what else t("Deze actie verwijderen?")
            ui.label(title).classes("text-lg font-bold")
            ui.label(t("Ze verdwijnt voor je hele groep."))
            with ui.row():
                ui.button(t("Annuleren"), on_click=dialog.close).props("flat data-testid=remove-cancel")

                async def confirm() -> None:
                    dialog.close()
                    await self.remove(action_id)

                ui.button(t("Verwijderen"), on_click=confirm).props("color=negative data-testid=remove-confirm")
        dialog.open()

    async def remove(self, action_id: str) -> None:
        self.local_rows.discard(action_id)
        boxes = self.rows.get(action_id, {})
        for part, box in boxes.items():
            if box.known:
                await self.actions.write_text(f"{action_id}-{part}", "")
        if action_id in self.row_cards:
            self.row_cards.pop(action_id).delete()
            self.rows.pop(action_id, None)

    def update(self, view: ParticipantView, editable: bool) -> None:
        self.view = view
        agenda = view.agenda
        if agenda is None:
            return
        for field_id, box in self.fields.items():
            text, prefilled = agenda.fields.get(field_id, ("", False))
            box.update(text, editable, view.docs)
            self.prefill_notes[field_id].set_visibility(prefilled and bool(text))
        if not self.activity.actions:
            return
        self.suggestions.text = (
            self.t("Wie past waarbij (uit het competentiespel): ")
            + "; ".join(f"{name}: {strengths}" for name, strengths in agenda.suggestions if strengths)
            if any(s for _, s in agenda.suggestions) else ""
        )
        stored = {a.id: a for a in agenda.actions}
        for action_id in sorted(stored, key=lambda a: int(a.split("-")[1])):
            if action_id not in self.rows:
                self._add_row(action_id)
        for action_id in list(self.rows):
            action = stored.get(action_id)
            if action is None and action_id not in self.local_rows:
                self.row_cards.pop(action_id).delete()
                self.rows.pop(action_id)
                continue
            if action is not None:
                self.local_rows.discard(action_id)
            for part, box in self.rows[action_id].items():
                value = "" if action is None else getattr(action, "with_" if part == "with" else part)
                box.update(value, editable, view.docs)
        enable(self.add_button, editable)


KIND = KindUI(panel=AgendaPanel)
