"""A deck of cards on the phone, one card at a time (a deck of 44 stays light on a phone), with an
overview of all cards: each member gives every card to one or more targets, and sees the group's
choices once the card is revealed. The cards and sort kinds (``workshop/kinds/``) build on it: they
say which cards, what a card can go to and what to ask, and add their own parts around the deck."""

from __future__ import annotations

from html import escape

from nicegui import ui

from rooms.commands import NONE_TARGET
from rooms.templates import Card
from rooms.views import CardView, ParticipantView
from workshop.components.panels import Actions, enable, press
from workshop.i18n import Tr


class CardDeck:
    multiple = False  # whether a member may give a card to more than one target
    joint = False  # whether the group settles each revealed card together afterwards

    def __init__(self, t: Tr, actions: Actions) -> None:
        self.t = t
        self.actions = actions
        self.index = 0
        self.view: ParticipantView | None = None
        self.editable = True
        self.pending: dict[str, list[str]] = {}
        # card -> (this phone's last tap, the decisions it has been since the room last answered):
        # the group decides together, so a colleague's decision ends this phone's pending tap
        self.joint_pending: dict[str, tuple[list[str], list[list[str]]]] = {}
        self.joint_buttons: dict[str, ui.button] = {}
        self.target_buttons: dict[str, ui.button] = {}
        self.rendered_targets: list[str] = []
        self.rendered: dict[str, str] = {}
        self.build_before()
        with ui.card().classes("w-full gap-2").props("data-testid=card-panel"):
            with ui.row().classes("w-full items-center justify-between no-wrap"):
                self.position = ui.label().classes("text-sm wp-muted").props("data-testid=card-position")
                self.jump = ui.select({}, label=t("Naar kaart"), on_change=self._jump).props(
                    "data-testid=card-jump dense outlined options-dense"
                ).classes("w-44")
            self.card_label = ui.label().classes("text-2xl font-bold").props("data-testid=card-label")
            self.card_explain = ui.label().classes("text-base")
            self.question_label = ui.label().classes("text-sm wp-muted")
            self.targets_row = ui.row().classes("w-full gap-2")
            self.card_status = ui.label().classes("text-sm").props("data-testid=card-status aria-live=polite")
            self.card_result = ui.html("", sanitize=False).classes("w-full").props("data-testid=card-result")
            self.card_divergence = ui.label().classes("wp-diverge").props("data-testid=card-divergence role=status")
            self.card_divergence.set_visibility(False)
            # the joint pass: once the group's choices are shown, the group settles the card together
            with ui.column().classes("w-full gap-1").props("data-testid=card-joint-box") as self.joint_box:
                ui.label(t("Samen vaststellen: bij wie past deze kaart volgens jullie samen?")).classes(
                    "text-sm font-bold")
                self.joint_row = ui.row().classes("w-full gap-2")
                self.joint_status = ui.label().classes("text-sm").props("data-testid=card-joint aria-live=polite")
            self.joint_box.set_visibility(False)
            with ui.row().classes("w-full justify-between"):
                ui.button(t("Vorige"), on_click=lambda: self.go(-1)).props(
                    "data-testid=card-prev outline icon=chevron_left")
                self.next_button = ui.button(t("Volgende"), on_click=lambda: self.go(1)).props(
                    "data-testid=card-next icon-right=chevron_right")
        self.build_after()
        self.overview = ui.html("", sanitize=False).classes("w-full").props("data-testid=cards-overview")

    # -- what a kind says -----------------------------------------------------------------------

    def pool(self) -> list[Card]:
        """The template's cards (labels and explanations; written notes carry their own label)."""
        raise NotImplementedError

    def targets(self, view: ParticipantView) -> list[tuple[str, str, str]]:
        """(id, label, testid) of what a card can go to."""
        raise NotImplementedError

    def question(self) -> str:
        raise NotImplementedError

    def build_before(self) -> None:
        """Elements above the deck."""

    def build_after(self) -> None:
        """Elements between the deck and the overview."""

    def update_before(self, view: ParticipantView, editable: bool) -> None:
        """Update what ``build_before`` made (runs on every update)."""

    def update_after(self, view: ParticipantView, editable: bool) -> None:
        """Update what ``build_after`` made (runs once the group has cards)."""

    # -- labels ---------------------------------------------------------------------------------

    def _spec(self, card: CardView) -> Card | None:
        return next((c for c in self.pool() if c.id == card.id), None)

    def _label(self, card: CardView) -> str:
        if card.label:
            return card.label
        spec = self._spec(card)
        return self.t.text(spec.label) if spec else card.id

    def _explain(self, card: CardView) -> str:
        spec = self._spec(card)
        return self.t.text(spec.explain) if spec and spec.explain else ""

    def _target_names(self, chosen: list[str]) -> list[str]:
        """The chosen targets' names in the order the buttons show them (members in join order)."""
        assert self.view is not None
        return [label for tid, label, _ in self.targets(self.view) if tid in chosen]

    def _target_name(self, target: str) -> str:
        assert self.view is not None
        return next((label for tid, label, _ in self.targets(self.view) if tid == target), "?")

    # -- actions --------------------------------------------------------------------------------

    async def toggle(self, target: str) -> None:
        if self.view is None or not self.view.cards:
            return
        card = self.view.cards[self.index]
        # quick taps: build on what this phone chose last, not on a view that has not caught up yet
        chosen = toggled(self.pending.get(card.id, card.mine), target, self.multiple)
        self.pending[card.id] = chosen
        self._show_buttons(chosen, self.editable)
        await self.actions.assign(card.id, chosen)
        if not self.multiple and chosen and self.index < len(self.view.cards) - 1:
            self.go(1)

    async def settle(self, target: str) -> None:
        """Toggle ``target`` in the group's joint decision on the current card (for the whole group)."""
        if self.view is None or not self.view.cards:
            return
        card = self.view.cards[self.index]
        last, seen = self.joint_pending.get(card.id, (card.joint or [], [card.joint or []]))
        chosen = toggled(last, target, self.multiple)
        self.joint_pending[card.id] = (chosen, [*seen, chosen])
        self._show_joint(card, chosen, self.editable)
        await self.actions.settle(card.id, chosen)

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
        self.update_before(view, editable)
        cards = view.cards
        targets = self.targets(view)
        if [x[0] for x in targets] != self.rendered_targets:
            self.rendered_targets = [x[0] for x in targets]
            self.targets_row.clear()
            self.target_buttons = {}
            with self.targets_row:
                for tid, label, testid in targets:
                    self.target_buttons[tid] = ui.button(label, on_click=lambda x=tid: self.toggle(x)).props(
                        f"data-testid={testid} no-caps outline"
                    ).classes("wp-target")
            if self.joint:
                self.joint_row.clear()
                self.joint_buttons = {}
                with self.joint_row:
                    for tid, label, testid in targets:
                        self.joint_buttons[tid] = ui.button(label, on_click=lambda x=tid: self.settle(x)).props(
                            f"data-testid={testid.replace('assign-', 'settle-', 1)} no-caps outline"
                        ).classes("wp-target")
        options = {c.id: f"{i}. {self._label(c)[:40]}" for i, c in enumerate(cards, start=1)}
        if options != self.jump.options:
            self.jump.options = options
            self.jump.update()
        if not cards:
            self.position.text = ""
            self.card_label.text = t("Nog geen kaarten: schrijf eerst samen spanningen op.")
            self.card_explain.text = self.question_label.text = self.card_status.text = ""
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
        self.question_label.text = self.question()
        for c in cards:
            if self.pending.get(c.id) == c.mine:
                del self.pending[c.id]
        chosen = self.pending.get(card.id, card.mine)
        self._show_buttons(chosen, editable)
        if not self.multiple:
            # one choice per card moves on by itself: "Volgende" only past a card already answered,
            # so a tap on it cannot skip a card unseen
            enable(self.next_button, bool(chosen) and self.index < len(cards) - 1)
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
        for c in cards:
            pending = self.joint_pending.get(c.id)
            # answered: the room has this phone's last tap, or a decision this phone did not make
            if pending is not None and (pending[0] == (c.joint or []) or (c.joint or []) not in pending[1]):
                del self.joint_pending[c.id]
        self._show_joint(card, self.joint_pending.get(card.id, (card.joint or [], []))[0], editable)
        self._overview(view)
        self.update_after(view, editable)

    def _show_joint(self, card: CardView, chosen: list[str], editable: bool) -> None:
        """The joint pass of the current card: shown once the group sees its choices."""
        self.joint_box.set_visibility(self.joint and card.revealed)
        if not (self.joint and card.revealed):
            return
        for tid, button in self.joint_buttons.items():
            press(button, tid in chosen, editable)
        names = ", ".join(self._target_names(chosen))
        self.joint_status.text = (self.t("Samen vastgesteld: {names}", names=names) if names
                                  else self.t("Nog niet samen vastgesteld"))

    def _show_buttons(self, chosen: list[str], editable: bool) -> None:
        for tid, button in self.target_buttons.items():
            press(button, tid in chosen, editable)

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
            together = ""
            if card.joint:
                settled = ", ".join(self._target_names(card.joint))
                together = f' · <b>{escape(t("samen: {names}", names=settled))}</b>'
            rows.append(f"<li>{i}. {escape(self._label(card))}: {escape(mine)}{flag}{together}</li>")
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


def toggled(chosen: list[str], target: str, multiple: bool) -> list[str]:
    """A card's choice after a tap on ``target``: one target (a tap again takes it back), or several
    (each tap toggles one), where "nobody" excludes everyone else."""
    current = set(chosen)
    if not multiple:
        return [] if current == {target} else [target]
    if target == NONE_TARGET:
        return [] if NONE_TARGET in current else [NONE_TARGET]
    current.discard(NONE_TARGET)
    current ^= {target}
    return sorted(current)
