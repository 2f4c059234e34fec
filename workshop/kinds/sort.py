"""Sort: each member puts every item in one of a few bins, independently first.

Phone: the card deck (``components/card_deck.py``) with a button per bin. Host and screen: the
engine's summary lines."""

from __future__ import annotations

from rooms.templates import Card, SortActivity
from rooms.views import ParticipantView
from workshop.components.card_deck import CardDeck
from workshop.components.panels import Actions
from workshop.i18n import Tr
from workshop.kinds.base import KindUI


class SortPanel(CardDeck):
    def __init__(self, activity: SortActivity, t: Tr, actions: Actions) -> None:
        self.activity = activity
        super().__init__(t, actions)

    def pool(self) -> list[Card]:
        return self.activity.items

    def targets(self, view: ParticipantView) -> list[tuple[str, str, str]]:
        return [(b.id, self.t.text(b.label), f"assign-{b.id}") for b in self.activity.bins]

    def question(self) -> str:
        return self.t("Waar hoort dit bij jullie casus?")


KIND = KindUI(panel=SortPanel)
