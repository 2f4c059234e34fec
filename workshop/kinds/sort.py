"""Sort: each member puts every item in one of a few bins, independently first.

Phone: the card deck (``components/card_deck.py``) with a button per bin. Host and screen: the
engine's summary lines."""

from __future__ import annotations

from nicegui import ui

from rooms.kinds.sort import DESCRIBE_MAX, describe_field
from rooms.templates import Card, SortActivity
from rooms.views import ParticipantView
from workshop.components.card_deck import CardDeck
from workshop.components.panels import Actions
from workshop.components.shared_text import SharedText
from workshop.i18n import Tr
from workshop.kinds.base import KindUI


class SortPanel(CardDeck):
    def __init__(self, activity: SortActivity, t: Tr, actions: Actions) -> None:
        self.activity = activity
        self.multiple = activity.multiple
        self.describe: dict[str, SharedText] = {}
        super().__init__(t, actions)

    def build_after(self) -> None:
        hint = self.activity.describe
        if hint is None:
            return
        t = self.t
        ui.label(t("Beschrijf per onderdeel")).classes("text-lg font-bold")
        for item in self.activity.items:
            self.describe[item.id] = SharedText(
                describe_field(item.id), t.text(item.label), self.actions,
                max_length=DESCRIBE_MAX, hint=t.text(hint))

    def update_after(self, view: ParticipantView, editable: bool) -> None:
        for item, text in self.describe.items():
            text.update(view.texts.get(describe_field(item), ""), editable, view.docs)

    def pool(self) -> list[Card]:
        return self.activity.items

    def targets(self, view: ParticipantView) -> list[tuple[str, str, str]]:
        return [(b.id, self.t.text(b.label), f"assign-{b.id}") for b in self.activity.bins]

    def question(self) -> str:
        return self.t("Waar hoort dit bij jullie casus?")


KIND = KindUI(panel=SortPanel)
