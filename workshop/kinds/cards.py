"""Cards: each member gives every card of a deck to categories or to the group's members; the deck
may be notes the group writes first, may come with a rating of the categories (sliders) and with an
action text.

Phone: the notes, the card deck (``components/card_deck.py``), the rating, the actions. Host and
screen: the engine's summary lines."""

from __future__ import annotations

from nicegui import ui

from rooms.commands import NONE_TARGET, NOTE_MAX
from rooms.kinds.cards import OUTSIDE_MAX, outside_field
from rooms.templates import Card, CardsActivity
from rooms.views import ParticipantView
from workshop.components.card_deck import CardDeck
from workshop.components.panels import Actions, enable
from workshop.components.shared_text import SharedText
from workshop.i18n import Tr
from workshop.kinds.base import KindUI
from workshop.kinds.sliders import SlidersPanel


class CardsPanel(CardDeck):
    def __init__(self, activity: CardsActivity, t: Tr, actions: Actions) -> None:
        self.activity = activity
        self.multiple = activity.multiple
        self.joint = activity.joint
        self.notes: dict[str, SharedText] = {}
        self.rating: SlidersPanel | None = None
        self.actions_text: SharedText | None = None
        self.outside: dict[str, SharedText] = {}
        super().__init__(t, actions)

    def pool(self) -> list[Card]:
        return self.activity.deck

    def targets(self, view: ParticipantView) -> list[tuple[str, str, str]]:
        t = self.t
        if self.activity.targets == "categories":
            return [(c.id, t.text(c.label), f"assign-{c.id}") for c in self.activity.categories]
        out = [(m.id, m.name + (t(" (ik)") if m.is_me else ""), f"assign-member-{i}")
               for i, m in enumerate(view.targets, start=1)]
        return [*out, (NONE_TARGET, t("Niemand"), "assign-none")]

    def question(self) -> str:
        if self.activity.targets == "categories":
            return self.t("Welke bouwsteen of bouwstenen verklaren dit? Kies er één of meer.")
        return self.t("Bij wie past dit? Kies één of meer mensen, of niemand.")

    # -- the notes the deck is made of ----------------------------------------------------------

    def build_before(self) -> None:
        t = self.t
        explained = [c for c in self.activity.categories if c.explain]
        if explained:
            with ui.expansion(t("Wat betekent elke bouwsteen?") if self.activity.notes else t("Uitleg")).classes(
                    "w-full").props("dense data-testid=categories-explained"):
                for category in explained:
                    with ui.column().classes("gap-0"):
                        ui.label(t.text(category.label)).classes("text-sm font-bold")
                        ui.label(t.text(category.explain)).classes("text-sm")
        notes = self.activity.notes
        if notes is None:
            return
        ui.label(t("Stap 1 · ") + t.text(notes.label)).classes("text-lg font-bold")
        self.notes_box = ui.column().classes("w-full gap-1")
        with ui.row().classes("w-full items-center no-wrap"):
            self.new_note = ui.input(
                t("Nieuwe ") + t.text(notes.label).lower(),
                placeholder=t.text(notes.hint) or None,
            ).props(f"data-testid=new-note maxlength={NOTE_MAX} outlined dense").classes("grow")
            ui.button(t("Voeg toe"), on_click=self.add_note).props("data-testid=add-note")
        self.new_note.on("keydown.enter", self.add_note)
        ui.label(t("Stap 2 · koppel elke spanning aan bouwstenen")
                 if self.activity.targets == "categories" else "").classes("text-lg font-bold")

    async def add_note(self) -> None:
        text = str(self.new_note.value or "").strip()
        notes = self.activity.notes
        if not text or self.view is None or notes is None:
            return
        used = {c.id for c in self.view.cards if c.label}
        free = next((f"note-{n}" for n in range(1, notes.max + 1) if f"note-{n}" not in used), None)
        if free is None:
            ui.notify(self.t("Hooguit {v0}.", v0=notes.max), type="warning")
            return
        self.new_note.value = ""
        await self.actions.write_text(free, text)

    def update_before(self, view: ParticipantView, editable: bool) -> None:
        if self.activity.notes is None:
            return
        written = {c.id: c.label for c in view.cards if c.label}
        for note_id in list(self.notes):
            if note_id not in written:
                self.notes.pop(note_id).element.delete()
        for note_id, text in written.items():
            box = self.notes.get(note_id)
            if box is None:
                with self.notes_box:
                    box = self.notes[note_id] = SharedText(
                        note_id, self.t("Spanning {v0}", v0=note_id[5:]), self.actions,
                        multiline=False, max_length=NOTE_MAX, testid=f"text-{note_id}",
                    )
            box.update(text, editable, view.docs)
        enable(self.new_note, editable)

    # -- the rating and the actions after the deck ----------------------------------------------

    def build_after(self) -> None:
        t = self.t
        rating = self.activity.rating_sliders()
        if rating is not None:
            ui.label(t("Hoe sterk is elke bouwsteen nu?")).classes("text-lg font-bold")
            self.rating = SlidersPanel(rating, t, self.actions, rounds=False)
        if self.activity.outside is not None:
            ui.label(t("Buiten jullie groep")).classes("text-lg font-bold")
            ui.label(t.text(self.activity.outside)).classes("text-sm wp-muted")
            for card in self.activity.deck:
                self.outside[card.id] = SharedText(
                    outside_field(card.id), t.text(card.label), self.actions, max_length=OUTSIDE_MAX)
        spec = self.activity.actions
        if spec is not None:
            ui.label(t("Stap 3 · ") + t.text(spec.label)).classes("text-lg font-bold")
            self.actions_text = SharedText(spec.id, t.text(spec.label), self.actions,
                                           max_length=spec.max_length, hint=t.text(spec.hint))

    def update_after(self, view: ParticipantView, editable: bool) -> None:
        for card, text in self.outside.items():
            text.update(view.texts.get(outside_field(card), ""), editable, view.docs)
        if self.rating is not None:
            self.rating.update(view, editable)
        if self.actions_text is not None and self.activity.actions:
            self.actions_text.update(view.texts.get(self.activity.actions.id, ""), editable, view.docs)


KIND = KindUI(panel=CardsPanel)
