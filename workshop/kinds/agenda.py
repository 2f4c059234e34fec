"""Agenda: the group's work agenda, pre-filled from earlier activities, with concrete actions.

Phone: the agenda's fields (marked while still the pre-fill), the suggestions from the competence
game, the actions earlier exercises propose (one tap takes one over), and a card per action with
the owner the competence game proposes (one tap fills *wie*). Host and screen: the engine's
summary lines."""

from __future__ import annotations

from nicegui import ui

from rooms.commands import ACTION_PART_MAX, AGENDA_ACTIONS_MAX
from rooms.kinds.agenda import ORIGIN_PART, Action, Proposal, free_action
from rooms.owners import OwnerProposal
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
        self.owner_buttons: dict[str, ui.button] = {}
        self.take_buttons: dict[int, ui.button] = {}
        self.shown_proposals: list[tuple[int, str, str]] = []
        if activity.actions:
            ui.label(t("Acties (zo concreet mogelijk)")).classes(
                "text-lg font-bold")
            self.suggestions = ui.label().classes("text-sm wp-muted").props("data-testid=agenda-suggestions")
            self.proposal_box = ui.column().classes("w-full gap-2")
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
                if part == "who":  # the competence game's proposal, filled only when tapped
                    owner = ui.button(on_click=lambda a=action_id: self.take_owner(a)).props(
                        f"data-testid=owner-proposal-{action_id} flat no-caps icon=person_add"
                    ).classes("self-start -mt-1 px-2")
                    owner.set_visibility(False)
                    self.owner_buttons[action_id] = owner
            ui.button(self.t("Verwijder actie"), on_click=lambda a=action_id: self.ask_remove(a)).props(
                f"data-testid=remove-{action_id} flat dense color=negative")
        self.rows[action_id] = boxes
        self.row_cards[action_id] = card

    def add_action(self) -> None:
        agenda = self.view.agenda if self.view is not None else None
        free = free_action([], set(self.rows) | set(agenda.slots if agenda is not None else []))
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
        stored = self.view.agenda.actions if self.view is not None and self.view.agenda is not None else []
        if any(a.id == action_id and a.origin for a in stored):  # the proposal it came from is offered again
            await self.actions.write_text(f"{action_id}-{ORIGIN_PART}", "")
        if action_id in self.row_cards:
            self.row_cards.pop(action_id).delete()
            self.rows.pop(action_id, None)
            self.owner_buttons.pop(action_id, None)

    async def take(self, proposal: Proposal) -> None:
        """Take a proposed action over as the group's: the room writes its text and where it came
        from together into a free action (so it is not proposed again, also once the group rewrote
        it), past the new rows this phone holds."""
        if (button := self.take_buttons.get(proposal.n)) is not None:
            enable(button, False)  # one tap, one action
        await self.actions.take_proposal(proposal.key, sorted(self.rows))

    async def take_owner(self, action_id: str) -> None:
        agenda = self.view.agenda if self.view is not None else None
        proposal = agenda.owners.get(action_id) if agenda is not None else None
        if proposal is not None:
            await self.actions.write_text(f"{action_id}-who", proposal.name)

    def _show_proposals(self, proposals: list[Proposal], editable: bool) -> None:
        """Rebuilt only when the proposals change (one is taken over, the source text changed)."""
        shown = [(p.n, p.key, p.text) for p in proposals]
        if shown != self.shown_proposals:
            self.shown_proposals = shown
            self.proposal_box.clear()
            self.take_buttons = {}
            with self.proposal_box:
                if proposals:
                    ui.label(self.t("Voorstellen uit eerdere oefeningen: neem over wat jullie willen doen.")).classes(
                        "text-sm wp-muted")
                for p in proposals:
                    with ui.card().classes("w-full gap-1 wp-proposal").props(f"data-testid=agenda-proposal-{p.n}"):
                        ui.label(self.t("Voorstel uit {source}", source=p.source)).classes("text-xs wp-muted")
                        ui.label(p.text).classes("break-words")
                        self.take_buttons[p.n] = ui.button(
                            self.t("Overnemen als actie"), on_click=lambda p=p: self.take(p)
                        ).props(f"data-testid=agenda-take-{p.n} outline dense no-caps icon=add")
        for button in self.take_buttons.values():
            enable(button, editable)

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
        self._show_proposals(agenda.proposals, editable)
        stored = {a.id: a for a in agenda.actions}
        for action_id in sorted(stored, key=lambda a: int(a.split("-")[1])):
            if action_id not in self.rows:
                self._add_row(action_id)
        for action_id in list(self.rows):
            action = stored.get(action_id)
            if action is None and action_id not in self.local_rows:
                self.row_cards.pop(action_id).delete()
                self.rows.pop(action_id)
                self.owner_buttons.pop(action_id, None)
                continue
            if action is not None:
                self.local_rows.discard(action_id)
            for part, box in self.rows[action_id].items():
                value = "" if action is None else getattr(action, "with_" if part == "with" else part)
                box.update(value, editable, view.docs)
            self._show_owner(action_id, action, agenda.owners.get(action_id), editable)
        enable(self.add_button, editable)

    def _show_owner(self, action_id: str, action: Action | None, proposal: OwnerProposal | None,
                    editable: bool) -> None:
        button = self.owner_buttons.get(action_id)
        if button is None:
            return
        shown = proposal is not None and action is not None and not action.who.strip()
        if proposal is not None and shown:
            text = self.t("Voorstel: {name} ({card})", name=proposal.name, card=proposal.card)
            if button.text != text:
                button.text = text
            enable(button, editable)
        if button.visible != shown:
            button.set_visibility(shown)


KIND = KindUI(panel=AgendaPanel)
