"""For the facilitator only: the running exercise's suggested time, notes and debrief questions from
the programme, and which exercise the room's "pioneer or reflective thinker" answer suggests."""

from __future__ import annotations

from html import escape

from nicegui import ui

from rooms.gate import Host, visible
from rooms.kinds.registry import kind_of
from rooms.models import RoomState
from workshop.i18n import Tr


def guide_html(room: RoomState, t: Tr) -> str:
    state = visible(room, Host())
    parts: list[str] = []
    for activity in state.template.activities:
        if (found := kind_of(activity).suggests_next(state, activity)) is not None:
            average, suggested = found
            target = state.template.activity(suggested)
            if target is not None:
                parts.append('<div data-testid="guide-suggestion">' + escape(t(
                    "{activity}: de zaal staat gemiddeld op {average}; {suggested} past het best als volgende stap.",
                    activity=t.text(activity.title), average=average, suggested=t.text(target.title))) + "</div>")
    current = state.template.activity(state.current) if state.current else None
    if current is not None:
        if current.minutes:
            parts.append(f"<div>{escape(t('Voorgestelde tijd: {minutes} minuten', minutes=current.minutes))}</div>")
        if current.facilitator_notes is not None:
            parts.append(f'<div data-testid="guide-notes">{escape(t.text(current.facilitator_notes))}</div>')
        if current.debrief:
            questions = "".join(f"<li>{escape(t.text(q))}</li>" for q in current.debrief)
            parts.append(f'<div class="font-bold">{escape(t("Nabespreken"))}</div>'
                         f'<ul class="list-disc pl-5" data-testid="guide-debrief">{questions}</ul>')
    return "".join(parts)


class HostGuide:
    def __init__(self, t: Tr) -> None:
        self.t = t
        self.rendered = ""
        self.box = ui.html("", sanitize=False).classes("text-sm w-full").props("data-testid=host-guide")

    def show(self, state: RoomState) -> None:
        html = guide_html(state, self.t)
        if html != self.rendered:
            self.rendered = html
            self.box.set_content(html)
