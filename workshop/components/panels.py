"""The phone's part for each kind of activity. A panel builds its elements once per activity
and then only updates them in place from the participant's view (``rooms.views``)."""

from __future__ import annotations

import time
from html import escape
from typing import Protocol

from nicegui import ui

from rooms.commands import NONE_TARGET
from rooms.models import OWN_FIELD_PREFIX, OWN_OPTIONS_MAX
from rooms.templates import (
    ACTION_PARTS,
    AgendaActivity,
    AnyActivity,
    Card,
    CardsActivity,
    ChoiceActivity,
    PracticeActivity,
    SlidersActivity,
    SortActivity,
    TextActivity,
)
from rooms.views import CardView, ParticipantView
from workshop.components.shared_text import SharedText
from workshop.components.slider_card import SliderCard
from workshop.i18n import Tr


class Actions(Protocol):
    async def place(self, item: str, position: str, value: object) -> None: ...
    async def write_reason(self, item: str, text: str) -> None: ...
    async def write_text(self, field: str, text: str) -> None: ...
    async def assign(self, card: str, targets: list[str]) -> None: ...
    async def choose(self, options: list[str]) -> None: ...
    async def next_round(self) -> None: ...


class Panel(Protocol):
    def update(self, view: ParticipantView, editable: bool) -> None: ...


def countdown(ends_at: float | None) -> str:
    """Props for an element the page's script counts down (see ``layout.COUNTDOWN_JS``)."""
    return f"data-ends={ends_at or 0}"


def set_countdown(element: ui.element, ends_at: float | None) -> None:
    """Point a countdown at ``ends_at``; sends nothing when it already is (flushes run often)."""
    value = str(ends_at or 0)
    if element.props.get("data-ends") != value:
        element.props(f"data-ends={value}")


def enable(element: ui.element, on: bool) -> None:
    """``set_enabled`` that sends nothing when nothing changes."""
    if getattr(element, "enabled", True) != on:
        element.set_enabled(on)  # type: ignore[attr-defined]


def press(button: ui.button, on: bool, editable: bool) -> None:
    """Show a toggle button as pressed or not; sends nothing when it already is."""
    if button.props.get("aria-pressed") != ("true" if on else "false"):
        button.props(f"aria-pressed={'true' if on else 'false'}")
        button.props(remove="outline" if on else "unelevated")
        button.props("unelevated" if on else "outline")
    enable(button, editable)


class SlidersPanel:
    def __init__(self, activity: SlidersActivity, t: Tr, actions: Actions, *, rounds: bool = True) -> None:
        self.activity = activity
        self.t = t
        self.actions = actions
        self.first = True
        self.round = 1
        self.rendered: dict[str, tuple[object, ...]] = {}  # item -> what its card last showed
        live = activity.reveal == "live"
        self.cards = {
            item.id: SliderCard(activity, item, t, actions.place, actions.write_reason, live=live)
            for item in activity.items
        }
        self.round_line: ui.label | None = None
        if rounds and activity.rounds:
            with ui.row().classes("w-full items-center justify-between"):
                self.round_line = ui.label().classes("text-sm wp-muted").props("data-testid=round")
                self.round_button = ui.button(
                    t("Nog een ronde"), on_click=actions.next_round
                ).props("data-testid=next-round outline")

    def update(self, view: ParticipantView, editable: bool) -> None:
        t = self.t
        new_round = view.round != self.round
        self.round = view.round
        for item in view.items:
            card = self.cards.get(item.id)
            if card is None:
                continue
            first = self.first or new_round
            seen = (item, editable, view.reveal, view.start.get(item.id), view.round_changes.get(item.id))
            if not first and self.rendered.get(item.id) == seen:
                continue  # a flush follows every event of the trio: leave the other cards alone
            self.rendered[item.id] = seen
            card.show(item, editable, first, start=view.start.get(item.id), live=view.reveal == "live",
                      change=view.round_changes.get(item.id))
        if self.round_line is not None:
            self.round_line.text = t(
                "Ronde {view_round}. Hebben jullie gepraat over de verschillen? Zet dan samen nog een ronde.",
                view_round=view.round)
            enable(self.round_button, editable)
        self.first = False


class TextPanel:
    def __init__(self, activity: TextActivity, t: Tr, actions: Actions) -> None:
        self.fields = {
            f.id: SharedText(f.id, t.text(f.label), actions.write_text, multiline=f.multiline,
                             max_length=f.max_length, hint=t.text(f.hint))
            for f in activity.fields
        }
        ui.label(
            t("Iedereen in je groep schrijft mee en ziet meteen wat de ander typt.")
            if activity.scope == "group" else t("Dit schrijf je voor jezelf.")
        ).classes("text-sm wp-muted")

    def update(self, view: ParticipantView, editable: bool) -> None:
        for field_id, box in self.fields.items():
            box.update(view.texts.get(field_id, ""), editable)


class CardsPanel:
    """One card at a time (a deck of 44 stays light on a phone), with an overview of all cards."""

    def __init__(self, activity: CardsActivity | SortActivity, t: Tr, actions: Actions) -> None:
        self.activity = activity
        self.t = t
        self.actions = actions
        self.index = 0
        self.view: ParticipantView | None = None
        self.editable = True
        self.multiple = isinstance(activity, CardsActivity) and activity.multiple
        self.pending: dict[str, list[str]] = {}
        self.target_buttons: dict[str, ui.button] = {}
        self.rendered_targets: list[str] = []
        self.rendered: dict[str, str] = {}
        self.notes: dict[str, SharedText] = {}
        self.rating: SlidersPanel | None = None
        self.actions_text: SharedText | None = None
        cards = activity if isinstance(activity, CardsActivity) else None
        if cards is not None and cards.notes is not None:
            notes = cards.notes
            ui.label(t("Stap 1 · ") + t.text(notes.label)).classes("text-lg font-bold")
            self.notes_box = ui.column().classes("w-full gap-1")
            with ui.row().classes("w-full items-center no-wrap"):
                self.new_note = ui.input(
                    t("Nieuwe ") + t.text(notes.label).lower(),
                    placeholder=t.text(notes.hint) or None,
                ).props("data-testid=new-note maxlength=300 outlined dense").classes("grow")
                ui.button(t("Voeg toe"), on_click=self.add_note).props("data-testid=add-note")
            self.new_note.on("keydown.enter", self.add_note)
            ui.label(t("Stap 2 · koppel elke spanning aan bouwstenen")
                     if cards.targets == "categories" else "").classes("text-lg font-bold")
        with ui.card().classes("w-full gap-2").props("data-testid=card-panel"):
            with ui.row().classes("w-full items-center justify-between no-wrap"):
                self.position = ui.label().classes("text-sm wp-muted").props("data-testid=card-position")
                self.jump = ui.select({}, label=t("Naar kaart"), on_change=self._jump).props(
                    "data-testid=card-jump dense outlined options-dense"
                ).classes("w-44")
            self.card_label = ui.label().classes("text-2xl font-bold").props("data-testid=card-label")
            self.card_explain = ui.label().classes("text-base")
            self.question = ui.label().classes("text-sm wp-muted")
            self.targets_row = ui.row().classes("w-full gap-2")
            self.card_status = ui.label().classes("text-sm").props("data-testid=card-status aria-live=polite")
            self.card_result = ui.html("", sanitize=False).classes("w-full").props("data-testid=card-result")
            self.card_divergence = ui.label().classes("wp-diverge").props("data-testid=card-divergence role=status")
            self.card_divergence.set_visibility(False)
            with ui.row().classes("w-full justify-between"):
                ui.button(t("Vorige"), on_click=lambda: self.go(-1)).props(
                    "data-testid=card-prev outline icon=chevron_left")
                ui.button(t("Volgende"), on_click=lambda: self.go(1)).props(
                    "data-testid=card-next icon-right=chevron_right")
        if cards is not None and cards.rating is not None:
            rating = cards.rating_sliders()
            assert rating is not None
            ui.label(t("Hoe sterk is elke bouwsteen nu?")).classes(
                "text-lg font-bold")
            self.rating = SlidersPanel(rating, t, actions, rounds=False)
        if cards is not None and cards.actions is not None:
            spec = cards.actions
            ui.label(t("Stap 3 · ") + t.text(spec.label)).classes("text-lg font-bold")
            self.actions_text = SharedText(spec.id, t.text(spec.label), actions.write_text,
                                           max_length=spec.max_length, hint=t.text(spec.hint))
        self.overview = ui.html("", sanitize=False).classes("w-full").props("data-testid=cards-overview")

    # -- labels ---------------------------------------------------------------------------------

    def _spec(self, card: CardView) -> Card | None:
        pool = self.activity.items if isinstance(self.activity, SortActivity) else self.activity.deck
        return next((c for c in pool if c.id == card.id), None)

    def _label(self, card: CardView) -> str:
        if card.label:
            return card.label
        spec = self._spec(card)
        return self.t.text(spec.label) if spec else card.id

    def _explain(self, card: CardView) -> str:
        spec = self._spec(card)
        return self.t.text(spec.explain) if spec and spec.explain else ""

    def _targets(self, view: ParticipantView) -> list[tuple[str, str, str]]:
        """(id, label, testid) of what a card can go to."""
        t = self.t
        if isinstance(self.activity, SortActivity):
            return [(b.id, t.text(b.label), f"assign-{b.id}") for b in self.activity.bins]
        if self.activity.targets == "categories":
            return [(c.id, t.text(c.label), f"assign-{c.id}") for c in self.activity.categories]
        out = [(m.id, m.name + (t(" (ik)") if m.is_me else ""), f"assign-member-{i}")
               for i, m in enumerate(view.targets, start=1)]
        return [*out, (NONE_TARGET, t("Niemand"), "assign-none")]

    def _target_name(self, target: str) -> str:
        assert self.view is not None
        return next((label for tid, label, _ in self._targets(self.view) if tid == target), "?")

    # -- actions --------------------------------------------------------------------------------

    async def add_note(self) -> None:
        text = str(self.new_note.value or "").strip()
        if not text or self.view is None or not isinstance(self.activity, CardsActivity):
            return
        assert self.activity.notes is not None
        used = {c.id for c in self.view.cards if c.label}
        free = next((f"note-{n}" for n in range(1, self.activity.notes.max + 1) if f"note-{n}" not in used), None)
        if free is None:
            ui.notify(self.t("Hooguit {v0}.", v0=self.activity.notes.max),
                      type="warning")
            return
        self.new_note.value = ""
        await self.actions.write_text(free, text)

    async def toggle(self, target: str) -> None:
        if self.view is None or not self.view.cards:
            return
        card = self.view.cards[self.index]
        # quick taps: build on what this phone chose last, not on a view that has not caught up yet
        mine = set(self.pending.get(card.id, card.mine))
        if not self.multiple:
            chosen = [] if mine == {target} else [target]
        elif target == NONE_TARGET:
            chosen = [] if NONE_TARGET in mine else [NONE_TARGET]
        else:
            mine.discard(NONE_TARGET)
            mine ^= {target}
            chosen = sorted(mine)
        self.pending[card.id] = chosen
        self._show_buttons(chosen, self.editable)
        await self.actions.assign(card.id, chosen)
        if not self.multiple and chosen and self.index < len(self.view.cards) - 1:
            self.go(1)

    def go(self, step: int) -> None:
        if self.view is None or not self.view.cards:
            return
        self.index = max(0, min(len(self.view.cards) - 1, self.index + step))
        self.update(self.view, self.editable)

    def _jump(self) -> None:
        if self.view is None:
            return
        ids = [c.id for c in self.view.cards]
        if self.jump.value in ids and ids.index(self.jump.value) != self.index:
            self.index = ids.index(self.jump.value)
            self.update(self.view, self.editable)

    # -- rendering ------------------------------------------------------------------------------

    def update(self, view: ParticipantView, editable: bool) -> None:
        t = self.t
        self.view = view
        self.editable = editable
        if isinstance(self.activity, CardsActivity) and self.activity.notes is not None:
            self._update_notes(view, editable)
        cards = view.cards
        targets = self._targets(view)
        if [x[0] for x in targets] != self.rendered_targets:
            self.rendered_targets = [x[0] for x in targets]
            self.targets_row.clear()
            self.target_buttons = {}
            with self.targets_row:
                for tid, label, testid in targets:
                    self.target_buttons[tid] = ui.button(label, on_click=lambda x=tid: self.toggle(x)).props(
                        f"data-testid={testid} no-caps outline"
                    ).classes("wp-target")
        options = {c.id: f"{i}. {self._label(c)[:40]}" for i, c in enumerate(cards, start=1)}
        if options != self.jump.options:
            self.jump.options = options
            self.jump.update()
        if not cards:
            self.position.text = ""
            self.card_label.text = t("Nog geen kaarten: schrijf eerst samen spanningen op.")
            self.card_explain.text = self.question.text = self.card_status.text = ""
            self._set_result("", False)
            self._overview(view)
            return
        self.index = min(self.index, len(cards) - 1)
        card = cards[self.index]
        if self.jump.value != card.id:
            self.jump.value = card.id
        self.position.text = t("Kaart {v0} van {v1}", v0=self.index + 1, v1=len(cards))
        self.card_label.text = self._label(card)
        self.card_explain.text = self._explain(card)
        self.question.text = self._question()
        for c in cards:
            if self.pending.get(c.id) == c.mine:
                del self.pending[c.id]
        chosen = self.pending.get(card.id, card.mine)
        self._show_buttons(chosen, editable)
        mine = ", ".join(self._target_name(x) for x in chosen) or t("nog niets gekozen")
        self.card_status.text = t("Jouw keuze: {mine} · {card_assigned} van {card_members} in je groep gekozen",
            mine=mine, card_assigned=card.assigned, card_members=card.members)
        result = ""
        if card.revealed:
            rows = "".join(
                f"<li><b>{escape(name)}</b>: {escape(', '.join(self._target_name(x) for x in chosen))}</li>"
                for name, chosen in card.choices
            )
            result = f'<ul class="text-base">{rows}</ul>'
        elif card.mine:
            result = escape(t("Je ziet de keuzes van de anderen zodra iedereen deze kaart heeft gegeven."))
        self._set_result(result, card.revealed and card.divergent)
        self._overview(view)
        if self.rating is not None:
            self.rating.update(view, editable)
        if self.actions_text is not None and isinstance(self.activity, CardsActivity) and self.activity.actions:
            self.actions_text.update(view.texts.get(self.activity.actions.id, ""), editable)

    def _show_buttons(self, chosen: list[str], editable: bool) -> None:
        for tid, button in self.target_buttons.items():
            press(button, tid in chosen, editable)

    def _question(self) -> str:
        t = self.t
        if isinstance(self.activity, SortActivity):
            return t("Waar hoort dit bij jullie casus?")
        if self.activity.targets == "categories":
            return t("Welke bouwsteen of bouwstenen verklaren dit? Kies er één of meer.")
        return t("Bij wie past dit? Kies één of meer mensen, of niemand.")

    def _set_result(self, html: str, divergent: bool) -> None:
        if self.rendered.get("result") != html:
            self.card_result.content = html
            self.rendered["result"] = html
        self.card_divergence.text = self.t("Jullie kozen hier verschillend. Bespreek waarom.")
        self.card_divergence.set_visibility(divergent)

    def _overview(self, view: ParticipantView) -> None:
        t = self.t
        done = sum(1 for c in view.cards if c.mine)
        rows = []
        for i, card in enumerate(view.cards, start=1):
            mine = ", ".join(self._target_name(x) for x in card.mine) or "–"
            flag = " ⚠" if card.divergent else (" ✓" if card.revealed else "")
            rows.append(f"<li>{i}. {escape(self._label(card))}: {escape(mine)}{flag}</li>")
        total = len(view.cards)
        given = t("Jouw kaarten: {done} van {total} gegeven", done=done, total=total)
        html = f'<div class="font-bold">{escape(given)}</div><ul class="text-sm">{"".join(rows)}</ul>'
        if view.profile:
            parts = []
            for entry in view.profile:
                agreed = ", ".join(self._card_name(c) for c in entry.agreed) or "–"
                some = ", ".join(self._card_name(c) for c in entry.mentioned)
                also = escape(t("ook genoemd"))
                extra = f' <span class="wp-muted">({also}: {escape(some)})</span>' if some else ""
                parts.append(f"<li><b>{escape(entry.name)}</b>: {escape(agreed)}{extra}</li>")
            strengths = ", ".join(self._card_name(c) for c in view.strengths) or "–"
            heading = escape(t("Teamprofiel"))
            agree = escape(t("Hier zijn jullie het over eens"))
            html += (f'<div class="font-bold mt-2" data-testid="team-profile">{heading}</div>'
                     f'<ul class="text-sm">{"".join(parts)}</ul>'
                     f'<div class="text-sm">{agree}: {escape(strengths)}</div>')
        if self.rendered.get("overview") != html:
            self.overview.content = html
            self.rendered["overview"] = html

    def _card_name(self, card_id: str) -> str:
        assert self.view is not None
        card = next((c for c in self.view.cards if c.id == card_id), None)
        return self._label(card) if card else card_id

    def _update_notes(self, view: ParticipantView, editable: bool) -> None:
        written = {c.id: c.label for c in view.cards if c.label}
        for note_id in list(self.notes):
            if note_id not in written:
                self.notes.pop(note_id).element.delete()
        for note_id, text in written.items():
            box = self.notes.get(note_id)
            if box is None:
                with self.notes_box:
                    box = self.notes[note_id] = SharedText(
                        note_id, self.t("Spanning {v0}", v0=note_id[5:]), self.actions.write_text,
                        multiline=False, max_length=300, testid=f"text-{note_id}",
                    )
            box.update(text, editable)
        enable(self.new_note, editable)


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
                    "data-testid=own-option maxlength=80 outlined dense").classes("grow")
                ui.button(t("Voeg toe"), on_click=self.add_own).props("data-testid=own-add")
            self.own_input.on("keydown.enter", self.add_own)
        self.status = ui.label().classes("text-sm").props("data-testid=choice-status aria-live=polite")
        self.result = ui.html("", sanitize=False).classes("w-full").props("data-testid=choice-result")
        self.divergence = ui.label(t("Jullie kozen niet allemaal hetzelfde. Bespreek waarom.")).classes(
            "wp-diverge").props("data-testid=choice-divergence role=status")
        self.divergence.set_visibility(False)
        self.fields = {
            f.id: SharedText(f.id, t.text(f.label), actions.write_text, multiline=f.multiline,
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
            box.update(view.texts.get(field_id, ""), editable)


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
        ui.label(t("Kijkwijzer voor wie observeert")).classes("text-lg font-bold")
        self.steps: dict[str, ui.checkbox] = {}
        for step in activity.steps:
            box = ui.checkbox(t.text(step.label), on_change=lambda e, s=step.id: self.tick(s, bool(e.value))).props(
                f"data-testid=step-{step.id}")
            self.steps[step.id] = box
            if step.explain:
                ui.label(t.text(step.explain)).classes("text-sm wp-muted pl-10 -mt-2")
        self.tips = SharedText("tips", t.text(activity.tips) or t("Tips"), self._write_tips,
                               testid="text-tips")
        with ui.row().classes("w-full items-center justify-between"):
            self.done = ui.label().classes("text-sm wp-muted").props("data-testid=practice-rounds")
            self.next = ui.button(t("Volgende ronde: rollen wisselen"),
                                  on_click=actions.next_round).props("data-testid=next-round")
        self._ticking = False

    async def _write_tips(self, _field: str, text: str) -> None:
        await self.actions.write_text(f"r{self.round}-tips", text)

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
            self.tips.known = self.tips.sent = None
            self.tips.element.value = ""
        self.round_label.text = t("Ronde {practice_round}", practice_round=practice.round)
        set_countdown(self.timer, practice.ends_at if practice.ends_at and practice.ends_at > time.time() - 3600
                      else None)
        talkers = " en ".join(practice.talkers) if t.lang == "nl" else " and ".join(practice.talkers)
        if practice.am_observer:
            self.role.text = t("Jij observeert. {talkers} voeren het gesprek. Vink aan wat je ziet gebeuren.",
                talkers=talkers)
        else:
            self.role.text = t("Jij voert het gesprek. {practice_observer} observeert.",
                practice_observer=practice.observer)
        self._ticking = True
        try:
            for step, box in self.steps.items():
                box.value = step in practice.ticked
                enable(box, editable and practice.am_observer)
        finally:
            self._ticking = False
        self.tips.update(practice.tips, editable and practice.am_observer)
        self.done.text = t("{practice_rounds_done} rondes klaar", practice_rounds_done=practice.rounds_done)
        enable(self.next, editable)


class AgendaPanel:
    def __init__(self, activity: AgendaActivity, t: Tr, actions: Actions) -> None:
        self.activity = activity
        self.t = t
        self.actions = actions
        self.view: ParticipantView | None = None
        self.fields: dict[str, SharedText] = {}
        self.prefill_notes: dict[str, ui.label] = {}
        for f in activity.fields:
            self.fields[f.id] = SharedText(f.id, t.text(f.label), actions.write_text, max_length=f.max_length,
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
                boxes[part] = SharedText(f"{action_id}-{part}", parts[part], self.actions.write_text,
                                         multiline=part in {"what", "measure"}, max_length=300,
                                         testid=f"{action_id}-{part}")
            ui.button(self.t("Verwijder actie"), on_click=lambda a=action_id: self.remove(a)).props(
                f"data-testid=remove-{action_id} flat dense color=negative")
        self.rows[action_id] = boxes
        self.row_cards[action_id] = card

    def add_action(self) -> None:
        used = set(self.rows)
        free = next((f"action-{n}" for n in range(1, 21) if f"action-{n}" not in used), None)
        if free is None:
            ui.notify(self.t("Hooguit 20 acties."), type="warning")
            return
        self.local_rows.add(free)
        self._add_row(free)

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
            box.update(text, editable)
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
                box.update(value, editable)
        enable(self.add_button, editable)


def build_panel(activity: AnyActivity, t: Tr, actions: Actions) -> Panel:
    if isinstance(activity, SlidersActivity):
        return SlidersPanel(activity, t, actions)
    if isinstance(activity, TextActivity):
        return TextPanel(activity, t, actions)
    if isinstance(activity, CardsActivity | SortActivity):
        return CardsPanel(activity, t, actions)
    if isinstance(activity, ChoiceActivity):
        return ChoicePanel(activity, t, actions)
    if isinstance(activity, PracticeActivity):
        return PracticePanel(activity, t, actions)
    return AgendaPanel(activity, t, actions)
