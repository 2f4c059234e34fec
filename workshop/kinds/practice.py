"""Practice: members take turns to talk while one observes and ticks the steps they see, round
after round.

Phone: the round, my role, the observer's checklist and tips. Host: the summary lines and a
next-round button per group. Screen: the summary lines."""

from __future__ import annotations

import time

from nicegui import ui

from rooms.templates import PracticeActivity
from rooms.views import ParticipantView
from workshop.components.panels import Actions, enable, set_countdown
from workshop.components.shared_text import SharedText
from workshop.i18n import Tr
from workshop.kinds.base import KindUI


class PracticePanel:
    def __init__(self, activity: PracticeActivity, t: Tr, actions: Actions) -> None:
        self.activity = activity
        self.t = t
        self.actions = actions
        self.round = 0
        self.view: ParticipantView | None = None
        with ui.card().classes("w-full gap-1"):
            with ui.row().classes("w-full items-center justify-between"):
                self.round_label = ui.label().classes("text-lg font-bold").props("data-testid=practice-round")
                self.timer = ui.label().classes("text-2xl font-bold wp-countdown").props(
                    "data-testid=practice-timer")
            self.role = ui.label().classes("text-base").props("data-testid=practice-role")
        if activity.advice:
            with ui.expansion(t("Tips voor een goed gesprek")).classes("w-full").props(
                    "dense data-testid=practice-advice"):
                for line in activity.advice:
                    ui.label("• " + t.text(line)).classes("text-sm")
        ui.label(t("Kijkwijzer voor wie observeert")).classes("text-lg font-bold")
        self.steps: dict[str, ui.checkbox] = {}
        for step in activity.steps:
            box = ui.checkbox(t.text(step.label), on_change=lambda e, s=step.id: self.tick(s, bool(e.value))).props(
                f"data-testid=step-{step.id}")
            self.steps[step.id] = box
            if step.explain:
                ui.label(t.text(step.explain)).classes("text-sm wp-muted pl-10 -mt-2")
        self.tips = SharedText("r1-tips", t.text(activity.tips) or t("Tips"), actions, testid="text-tips")
        with ui.row().classes("w-full items-center justify-between"):
            self.done = ui.label().classes("text-sm wp-muted").props("data-testid=practice-rounds")
            self.next = ui.button(t("Volgende ronde: rollen wisselen"),
                                  on_click=actions.next_round).props("data-testid=next-round")
        self._ticking = False

    async def tick(self, step: str, on: bool) -> None:
        if self._ticking or self.view is None or self.view.practice is None:
            return
        if on == (step in self.view.practice.ticked):
            return
        await self.actions.write_text(f"r{self.round}-step-{step}", "x" if on else "")

    def update(self, view: ParticipantView, editable: bool) -> None:
        t = self.t
        self.view = view
        practice = view.practice
        if practice is None:
            return
        if practice.round != self.round:
            self.round = practice.round
            self.tips.retarget(f"r{practice.round}-tips")
        self.round_label.text = t("Ronde {practice_round}", practice_round=practice.round)
        set_countdown(self.timer, practice.ends_at if practice.ends_at and practice.ends_at > time.time() - 3600
                      else None)
        talkers = " en ".join(practice.talkers) if t.lang == "nl" else " and ".join(practice.talkers)
        if practice.self_observed:
            self.role.text = t("Jullie voeren samen het gesprek en kijken daarna samen met de kijkwijzer "
                               "hoe het ging.")
        elif practice.am_observer:
            self.role.text = t("Jij observeert. {talkers} voeren het gesprek. Vink aan wat je ziet gebeuren.",
                talkers=talkers)
        else:
            self.role.text = t("Jij voert het gesprek. {practice_observer} kijkt mee.",
                practice_observer=practice.observer)
        self._ticking = True
        try:
            for step, box in self.steps.items():
                box.value = step in practice.ticked
                enable(box, editable and practice.am_observer)
        finally:
            self._ticking = False
        self.tips.update(practice.tips, editable and practice.am_observer, view.docs)
        self.done.text = t("{practice_rounds_done} rondes klaar", practice_rounds_done=practice.rounds_done)
        enable(self.next, editable)


def has_rounds(activity: PracticeActivity) -> bool:
    return True


KIND = KindUI(panel=PracticePanel, has_rounds=has_rounds)
