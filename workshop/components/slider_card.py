"""One slider item on the phone: own sliders, the group's progress, then everyone's markers."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from html import escape

from nicegui import ui

from rooms.aggregates import RoundChange
from rooms.templates import SliderItem, SlidersActivity
from rooms.views import ItemView
from workshop.components.markers import track
from workshop.i18n import Tr


class QuietSlider(ui.slider):
    """A slider that does not echo each value back to the phone that moved it.

    NiceGUI's default loopback re-sends the element after every throttled update; those
    echoes arrive late and pull the thumb back while the person is still moving it.
    """

    LOOPBACK = False


PlaceHandler = Callable[[str, str, object], Awaitable[None]]
ReasonHandler = Callable[[str, str], Awaitable[None]]


class SliderCard:
    def __init__(
        self, activity: SlidersActivity, item: SliderItem, t: Tr, on_place: PlaceHandler, on_reason: ReasonHandler,
        *, live: bool = False,
    ) -> None:
        self.activity = activity
        self.live = live  # live reveal: the group sees the marker move while it is dragged
        self.on_place = on_place
        self._start: dict[str, int] | None = None
        self._typed_last: dict[str, float] = {}
        self._stored: dict[str, int] = {}
        self._keep: ui.button | None = None
        self._round: ui.label | None = None
        self._rendered_round = ""
        self.item = item
        self.t = t
        self.sliders: dict[str, QuietSlider] = {}
        self.values: dict[str, ui.label] = {}
        self.numbers: dict[str, ui.number] = {}
        self.reason: ui.textarea | None = None
        self._rendered_markers = ""
        self._divergence: ui.label | None = None
        self._placed: set[str] = set()
        self._editable = True
        with ui.card().classes("w-full gap-1").props(f"data-testid=item-{item.id}") as self.card:
            # the title and the help text are one element (a native <details>): NiceGUI pays in memory
            # and CPU per element, and a whole room opens this page at once
            help_html = ""
            if item.traits:
                items = "".join(f"<li>{escape(t.text(x))}</li>" for x in item.traits)
                help_html += f'<div class="font-bold">{escape(t("Bovenaan staat een gemeente waar:"))}</div>'
                help_html += f'<ul class="wp-help">{items}</ul>'
            if item.questions:
                items = "".join(f"<li>{escape(t.text(x))}</li>" for x in item.questions)
                help_html += f'<div class="font-bold">{escape(t("Vragen om over na te denken:"))}</div>'
                help_html += f'<ul class="wp-help">{items}</ul>'
            head = f'<div class="text-lg font-bold">{escape(t.text(item.label))}</div>'
            if help_html:
                head += (f'<details class="wp-details text-sm"><summary>{escape(t("Waar let je op?"))}</summary>'
                         f"{help_html}</details>")
            ui.html(head, sanitize=False).classes("w-full")
            for position in activity.positions:
                with ui.row().classes("w-full items-center justify-between no-wrap"):
                    ui.label(t.text(position.label)).classes("font-medium grow")
                    # for people who cannot drag: type the number
                    number = ui.number(min=0, max=100, step=1, format="%d").props(
                        f"data-testid=number-{item.id}-{position.id} dense outlined inputmode=numeric "
                        f'aria-label="{escape(t.text(item.label))}: {escape(t.text(position.label))} '
                        f'({escape(t("typ een getal van 0 tot 100"))})"'
                    ).classes("w-20")
                    number.on("keydown.enter", lambda _e, pos=position.id, n=number: self._typed(pos, n))
                    number.on("blur", lambda _e, pos=position.id, n=number: self._typed(pos, n))
                    self.numbers[position.id] = number
                    self.values[position.id] = (
                        ui.label("—").classes("text-lg font-bold w-10 text-right").props(
                            f"data-testid=value-{item.id}-{position.id} aria-live=polite")
                    )
                slider = (
                    QuietSlider(min=0, max=100, step=1, value=50)
                    .props(
                        f"data-testid=slider-{item.id}-{position.id} label color=primary "
                        f'aria-label="{escape(t.text(item.label))}: {escape(t.text(position.label))}"'
                    )
                    .classes("wp-unplaced px-2")
                )
                slider.on("change", lambda e, pos=position.id: on_place(item.id, pos, e.args))
                slider.on("update:model-value", lambda e, pos=position.id: self._dragging(pos, e.args),
                          throttle=0.25, leading_events=False)
                self.sliders[position.id] = slider
            if item.low or item.high:  # once under both sliders: the scale is the same
                ui.html(f'<span>{escape(t.text(item.low))}</span><span>{escape(t.text(item.high))}</span>',
                        sanitize=False).classes("w-full flex justify-between text-xs wp-muted")
            if activity.reason:
                self.reason = (
                    ui.textarea(t("Waarom hier?"))
                    .props(f"data-testid=reason-{item.id} autogrow maxlength=1000 outlined dense")
                    .classes("w-full")
                )
                reason = self.reason
                reason.on(
                    "update:model-value",
                    lambda _e: on_reason(item.id, str(reason.value or "")),
                    throttle=1.0,
                    leading_events=False,
                )
            self.status = ui.label().classes("text-sm wp-muted").props(f"data-testid=status-{item.id} aria-live=polite")
            self.markers = ui.html("", sanitize=False).classes("w-full").props(f"data-testid=markers-{item.id}-box")
        self._extra: ui.column | None = None  # keep button, round line, divergence: made when first needed

    @property
    def extra(self) -> ui.column:
        if self._extra is None:
            with self.card:
                self._extra = ui.column().classes("w-full gap-1")
        return self._extra

    async def _dragging(self, position: str, value: object) -> None:
        if self.live:
            await self.on_place(self.item.id, position, value)

    async def _typed(self, position: str, number: ui.number) -> None:
        if number.value is None or number.value == self._typed_last.get(position):
            return
        self._typed_last[position] = number.value
        self.sliders[position].value = number.value
        await self.on_place(self.item.id, position, number.value)

    async def keep(self) -> None:
        """Place the same values as in the round before."""
        for position, value in (self._start or {}).items():
            await self.on_place(self.item.id, position, value)

    def update(self, view: ItemView, editable: bool, first: bool, start: dict[str, int] | None = None) -> None:
        # Touch a slider element only when something about it changed: every update re-sends the
        # whole element, value included, and would yank the thumb from under a moving finger.
        t = self.t
        for pos, slider in self.sliders.items():
            if pos in view.mine:
                if first and slider.value != view.mine[pos]:
                    slider.value = view.mine[pos]
                if pos not in self._placed:
                    self._placed.add(pos)
                    slider.classes(remove="wp-unplaced")
                self.values[pos].text = str(view.mine[pos])
                if first or self._stored.get(pos) != view.mine[pos]:  # dragged (or typed) and stored
                    self._stored[pos] = view.mine[pos]
                    self.numbers[pos].value = view.mine[pos]
                    self._typed_last[pos] = view.mine[pos]
            else:
                if pos in self._placed:  # a new round: placed again from the earlier position
                    self._placed.discard(pos)
                    slider.classes(add="wp-unplaced")
                if first and start and pos in start and slider.value != start[pos]:
                    slider.value = start[pos]
                self.values[pos].text = "—"
            if editable != self._editable:
                slider.set_enabled(editable)
                self.numbers[pos].set_enabled(editable)
        if self.reason is not None:
            if first and view.my_reason:
                self.reason.value = view.my_reason
            if editable != self._editable:
                self.reason.set_enabled(editable)
        self._editable = editable
        placed_me = len(view.mine) == len(self.sliders)
        if view.revealed:
            self.status.text = t("{view_placed} van {view_members} geplaatst · zo zetten jullie deze schuif",
                view_placed=view.placed, view_members=view.members)
        elif placed_me:
            self.status.text = t(
                "Jij bent klaar · {view_placed} van {view_members} in je groep geplaatst. "
                "Je ziet de anderen zodra iedereen klaar is.",
                view_placed=view.placed, view_members=view.members)
        else:
            if len(self.sliders) > 1:
                self.status.text = t("Zet beide schuiven · {placed} van {members} in je groep geplaatst",
                                     placed=view.placed, members=view.members)
            else:
                self.status.text = t("Zet de schuif · {placed} van {members} in je groep geplaatst",
                                     placed=view.placed, members=view.members)
        html = ""
        if view.revealed:
            parts = []
            for index, position in enumerate(self.activity.positions):
                css = "now" if index == 0 else "goal"
                spread = view.spreads.get(position.id)
                spread_text = t("verschil {spread}", spread=spread) if spread is not None else ""
                parts.append(
                    f'<div class="text-sm">{escape(t.text(position.label))} '
                    f'<span class="wp-muted">{escape(spread_text)}</span></div>' + track(view.markers, position.id, css)
                )
            names = " · ".join(
                escape(f"{m.name}: " + " / ".join(str(m.values.get(p.id, "–")) for p in self.activity.positions))
                for m in view.markers
            )
            parts.append(f'<div class="text-sm" data-testid="markers-{self.item.id}">{names}</div>')
            html = "".join(parts)
        if html != self._rendered_markers:
            self.markers.content = html
            self._rendered_markers = html
        self._show_divergence(view)
        self._start = start
        wants_keep = bool(start) and editable and len(view.mine) < len(self.sliders)
        if wants_keep and self._keep is None:
            with self.extra:
                self._keep = ui.button(
                    t("Zelfde plek als vorige ronde"), on_click=self.keep
                ).props(f"data-testid=keep-{self.item.id} flat dense no-caps")
        elif not wants_keep and self._keep is not None:
            self._keep.delete()
            self._keep = None

    def show_round(self, change: RoundChange | None) -> None:
        """Before and after: the group's spread in the round before and now."""
        t = self.t
        text = ""
        if change is not None:
            parts = []
            for position in self.activity.positions:
                before, after = change.before.get(position.id), change.after.get(position.id)
                if before is None:
                    continue
                now_text = t("nog niet compleet") if change.converged is None else str(after)
                parts.append(f"{t.text(position.short_label())} {before} → {now_text}")
            verdict = ""
            if change.converged is True:
                verdict = t(" · dichter bij elkaar")
            elif change.converged is False:
                verdict = t(" · nog niet dichter bij elkaar")
            text = t("Verschil ronde {v0} → {change_round}: ",
                v0=change.round - 1, change_round=change.round) + ", ".join(parts) + verdict
        if text == self._rendered_round:
            return
        self._rendered_round = text
        if not text:
            if self._round is not None:
                self._round.delete()
                self._round = None
            return
        if self._round is None:
            with self.extra:
                self._round = ui.label().classes("text-sm font-medium").props(f"data-testid=round-{self.item.id}")
        self._round.text = text

    def put_back(self, position: str, value: int | None) -> None:
        """After a refused placement: show the value the room has (or the unplaced middle)."""
        slider = self.sliders[position]
        slider.value = 50 if value is None else value

    def _show_divergence(self, view: ItemView) -> None:
        t = self.t
        if view.revealed and view.divergent:
            widest = max(((p, s) for p, s in view.spreads.items() if s is not None), key=lambda ps: ps[1], default=None)
            label = next((t.text(p.label) for p in self.activity.positions if widest and p.id == widest[0]), "")
            text = t("Jullie liggen ver uiteen bij {label} ({v0} punten). Bespreek waarom.",
                label=label, v0=widest[1] if widest else 0)
            if self._divergence is None:
                with self.extra:
                    self._divergence = (
                        ui.label(text).classes("wp-diverge").props(f"data-testid=divergence-{self.item.id} role=status")
                    )
            elif self._divergence.text != text:
                self._divergence.text = text
        elif self._divergence is not None:
            self._divergence.delete()
            self._divergence = None
