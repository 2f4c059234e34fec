"""Choice: each member picks options (and may add their own); the group sees the picks once revealed.

Phone: a toggle button per option, an own option, the revealed picks, the activity's text fields.
Host and screen: the engine's summary lines."""

from __future__ import annotations

from html import escape

from nicegui import ui

from rooms.commands import OWN_OPTION_MAX
from rooms.models import OWN_FIELD_PREFIX, OWN_OPTIONS_MAX
from rooms.templates import ChoiceActivity
from rooms.views import ParticipantView
from workshop.components.panels import Actions, press
from workshop.components.shared_text import SharedText
from workshop.i18n import Tr
from workshop.kinds.base import KindUI


class ChoicePanel:
    def __init__(self, activity: ChoiceActivity, t: Tr, actions: Actions) -> None:
        self.activity = activity
        self.t = t
        self.actions = actions
        self.view: ParticipantView | None = None
        self.buttons: dict[str, ui.button] = {}
        self.rendered_options: list[str] = []
        self.rendered_result = ""
        self.pending: list[str] | None = None
        ui.label(t("Kies wat er bij jullie speelt (meer mag):")).classes(
            "text-base")
        self.options_row = ui.row().classes("w-full gap-2")
        if activity.own:
            with ui.row().classes("w-full items-center no-wrap"):
                self.own_input = ui.input(t("Eigen drager toevoegen")).props(
                    f"data-testid=own-option maxlength={OWN_OPTION_MAX} outlined dense").classes("grow")
                ui.button(t("Voeg toe"), on_click=self.add_own).props("data-testid=own-add")
            self.own_input.on("keydown.enter", self.add_own)
        self.status = ui.label().classes("text-sm").props("data-testid=choice-status aria-live=polite")
        self.result = ui.html("", sanitize=False).classes("w-full").props("data-testid=choice-result")
        self.divergence = ui.label(t("Jullie kozen niet allemaal hetzelfde. Bespreek waarom.")).classes(
            "wp-diverge").props("data-testid=choice-divergence role=status")
        self.divergence.set_visibility(False)
        self.fields = {
            f.id: SharedText(f.id, t.text(f.label), actions, multiline=f.multiline,
                             max_length=f.max_length, hint=t.text(f.hint))
            for f in activity.fields
        }

    def _label(self, option: str) -> str:
        assert self.view is not None and self.view.choice is not None
        if option in self.view.choice.own:
            return self.view.choice.own[option]
        spec = next((o for o in self.activity.options if o.id == option), None)
        return self.t.text(spec.label) if spec else option

    async def toggle(self, option: str) -> None:
        if self.view is None or self.view.choice is None:
            return
        mine = set(self.pending if self.pending is not None else self.view.choice.mine) ^ {option}
        self.pending = sorted(mine)
        await self.actions.choose(self.pending)

    async def add_own(self) -> None:
        text = str(self.own_input.value or "").strip()
        if not text or self.view is None or self.view.choice is None:
            return
        used = set(self.view.choice.own)
        free = next((f"{OWN_FIELD_PREFIX}{n}" for n in range(1, OWN_OPTIONS_MAX + 1)
                     if f"{OWN_FIELD_PREFIX}{n}" not in used), None)
        if free is None:
            ui.notify(self.t("Er kunnen geen eigen opties meer bij."),
                      type="warning")
            return
        self.own_input.value = ""
        await self.actions.write_text(free, text)
        base = self.pending if self.pending is not None else self.view.choice.mine
        self.pending = sorted({*base, free})
        await self.actions.choose(self.pending)

    def update(self, view: ParticipantView, editable: bool) -> None:
        t = self.t
        self.view = view
        choice = view.choice
        if choice is None:
            return
        options = [o.id for o in self.activity.options] + list(choice.own)
        if options != self.rendered_options:
            self.rendered_options = options
            self.options_row.clear()
            self.buttons = {}
            with self.options_row:
                for option in options:
                    button = ui.button(self._label(option), on_click=lambda o=option: self.toggle(o))
                    self.buttons[option] = button.props(f"data-testid=option-{option} no-caps outline").classes(
                        "wp-target")
        if self.pending == choice.mine:
            self.pending = None
        mine = self.pending if self.pending is not None else choice.mine
        for option, button in self.buttons.items():
            on = option in mine
            button.text = ("✓ " if on else "") + self._label(option)
            press(button, on, editable)
        self.status.text = t("{choice_done} van {choice_members} in je groep hebben gekozen",
            choice_done=choice.done, choice_members=choice.members)
        html = ""
        if choice.revealed:
            rows = "".join(f"<li><b>{escape(self._label(o))}</b>: {escape(', '.join(names))}</li>"
                           for o, names in sorted(choice.chosen_by.items(), key=lambda kv: -len(kv[1])))
            html = f'<ul class="text-base">{rows}</ul>'
        if html != self.rendered_result:
            self.result.content = html
            self.rendered_result = html
        self.divergence.set_visibility(choice.revealed and choice.divergent)
        for field_id, box in self.fields.items():
            box.update(view.texts.get(field_id, ""), editable, view.docs)


KIND = KindUI(panel=ChoicePanel)
