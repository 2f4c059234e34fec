"""Text: shared texts a group writes together (or each member for themselves).

Phone: a shared text box per field. Host and screen: the engine's summary lines."""

from __future__ import annotations

from nicegui import ui

from rooms.templates import TextActivity
from rooms.views import ParticipantView
from workshop.components.panels import Actions
from workshop.components.shared_text import SharedText
from workshop.i18n import Tr
from workshop.kinds.base import KindUI


class TextPanel:
    def __init__(self, activity: TextActivity, t: Tr, actions: Actions) -> None:
        self.fields = {
            f.id: SharedText(f.id, t.text(f.label), actions, multiline=f.multiline,
                             max_length=f.max_length, hint=t.text(f.hint))
            for f in activity.fields
        }
        ui.label(
            t("Iedereen in je groep schrijft mee en ziet meteen wat de ander typt.")
            if activity.scope == "group" else t("Dit schrijf je voor jezelf.")
        ).classes("text-sm wp-muted")

    def update(self, view: ParticipantView, editable: bool) -> None:
        for field_id, box in self.fields.items():
            box.update(view.texts.get(field_id, ""), editable, view.docs)


KIND = KindUI(panel=TextPanel)
