"""One slider item on the phone: own sliders, the group's progress, then everyone's markers."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from html import escape
from typing import Any

from nicegui import ui
from nicegui.events import GenericEventArguments

from rooms.aggregates import RoundChange
from rooms.kept import KeptFor
from rooms.templates import SliderItem, SlidersActivity
from rooms.views import ItemView
from workshop.components.markers import marker_css, reasons, track
from workshop.i18n import Tr

# What a group's members see of one item, drawn once for the trio: the engine hands its members
# the same list of markers until the group's work changes (``rooms.views._markers``): kept for
# that list (and the activity, item and language), as markers HTML and divergence.
_DRAWN: KeptFor[tuple[str, str]] = KeptFor(4096)

PlaceHandler = Callable[[str, str, object], Awaitable[None]]
ReasonHandler = Callable[[str, str], Awaitable[None]]


_STATIC: KeptFor[dict[str, object]] = KeptFor(4096)


def _static(activity: SlidersActivity, item: SliderItem, t: Tr) -> dict[str, object]:
    """What a card says that never changes: its title, help, positions and poles. The same for
    every phone in one language, so built once and shared (memory per phone: a room's worth of
    cards each held their own copies). Keyed by the activity object, kept alongside: rooms with
    an imported programme have activities of their own."""
    kept = _STATIC.get(activity, item.id, t.lang)
    if kept is not None:
        return kept
    help_html = ""
    if item.traits:
        items = "".join(f"<li>{escape(t.text(x))}</li>" for x in item.traits)
        if activity.traits_heading is not None:
            help_html += f'<div class="font-bold">{escape(t.text(activity.traits_heading))}</div>'
        help_html += f'<ul class="wp-help">{items}</ul>'
    if item.questions:
        items = "".join(f"<li>{escape(t.text(x))}</li>" for x in item.questions)
        help_html += f'<div class="font-bold">{escape(t("Vragen om over na te denken:"))}</div>'
        help_html += f'<ul class="wp-help">{items}</ul>'
    head = f'<div class="text-lg font-bold">{escape(t.text(item.label))}</div>'
    if help_html:
        head += (f'<details class="wp-details text-sm"><summary>{escape(t("Waar let je op?"))}</summary>'
                 f"{help_html}</details>")
    label = t.text(item.label)
    static: dict[str, object] = {
        "data-testid": f"item-{item.id}",
        "head": head,
        "item": item.id,
        "positions": [
            {
                "id": p.id,
                "label": t.text(p.label),
                "aria": f"{label}: {t.text(p.label)}",
                "numberAria": f"{label}: {t.text(p.label)} ({t('typ een getal van 0 tot 100')})",
            }
            for p in activity.all_positions()
        ],
        "low": t.text(item.low) if item.low else "",
        "high": t.text(item.high) if item.high else "",
        "reasonLabel": t("Waarom hier?") if activity.reason else "",
    }
    return _STATIC.put(activity, static, item.id, t.lang)


# What a card says that never changes (``_static``): in the page, or in the card's first update when
# it is made after the page, and from then on kept by the browser (NiceGUI's ``preserved_props``)
# instead of riding along with every update: a co-member's update after a placement was ~4.5 KB,
# of which these were ~2 KB.
UNCHANGING = ("head", "positions", "low", "high", "reasonLabel")
_UNCHANGING_KEYS = frozenset(UNCHANGING)


class SliderCard(ui.element, component="slider_card.js"):
    """One slider item as one element (``slider_card.js``); the server sends it props, never a thumb.

    The browser owns the thumb a person is moving: ``stored`` says what the room has, and only a
    bumped ``sync`` moves a thumb (a first render, a new round, a refused move).
    """

    def __init__(
        self, activity: SlidersActivity, item: SliderItem, t: Tr, on_place: PlaceHandler, on_reason: ReasonHandler,
        *, live: bool = False,
    ) -> None:
        super().__init__()
        self.activity = activity
        self.item = item
        self.t = t
        self.on_place = on_place
        self.on_reason = on_reason
        self._start: dict[str, int] | None = None
        self._sync = 0
        self._reason_sync = 0
        static = _static(activity, item, t)
        self.classes("nicegui-card w-full gap-1")
        # past the observable dict, as in ``_set``: it would wrap the positions list and each of its
        # dicts in observers of their own (memory per card and phone, and nothing ever changes them)
        dict.update(self._props, {
            **static,
            "live": live,
            "editable": True,
            "stored": {},
            "status": "",
            "markers": "",
            "keep": "",
            "round": "",
            "divergence": "",
            "me": 0,
        })
        self.on("act", self._act)
        # the listeners the browser had with the whole card (None: it has not had it). A new listener
        # makes NiceGUI's page drop the element and build it from the update alone: then it is whole.
        self._described: tuple[str, ...] | None = None

    def _to_dict(self) -> dict[str, Any]:
        data = super()._to_dict()
        listeners = tuple(self._event_listeners)
        if self._described == listeners:
            data["props"] = {key: value for key, value in data["props"].items() if key not in _UNCHANGING_KEYS}
            data["preserved_props"] = list(UNCHANGING)
        self._described = listeners
        return data

    @property
    def live(self) -> bool:
        """Live reveal: the group sees the marker move while it is dragged."""
        return bool(self._props.get("live"))

    def _set(self, **props: object) -> None:
        """Change props, and send the element once if anything changed.

        Past NiceGUI's observable dict on purpose: it would wrap every nested dict in an observer
        and run its change handlers per key, three phones per placement. The values here are only
        ever replaced, never changed in place, so nothing needs observing.
        """
        current = self._props
        if not _UNCHANGING_KEYS.isdisjoint(props):
            self._described = None  # a change to what the browser keeps: the next update is whole
        changed = False
        for key, value in props.items():
            if current.get(key) != value:
                dict.__setitem__(current, key, value)
                changed = True
        if changed:
            self.update()

    async def _act(self, event: GenericEventArguments) -> None:
        """What the card in the browser did: placed or dragged a thumb, wrote a reason, kept last round's."""
        args = event.args
        if not isinstance(args, dict):
            return
        kind = args.get("kind")
        if kind == "place" or (kind == "drag" and self.live):
            await self.on_place(self.item.id, str(args.get("position", "")), args.get("value"))
        elif kind == "reason":
            await self.on_reason(self.item.id, str(args.get("text") or ""))
        elif kind == "keep":
            await self.keep()

    async def keep(self) -> None:
        """Place the same values as in the round before."""
        for position, value in (self._start or {}).items():
            await self.on_place(self.item.id, position, value)

    def show(
        self, view: ItemView, editable: bool, first: bool, start: dict[str, int] | None = None, *,
        live: bool = False, change: RoundChange | None = None, me: str = "",
    ) -> None:
        """Everything the card shows, sent as one update: ``live`` reveal (the group sees a marker
        move while it is dragged), and the round ``change`` (the spread before and after)."""
        t = self.t
        props: dict[str, object] = {"stored": dict(view.mine), "editable": editable, "live": live,
                                    "round": self._round_text(change)}
        if first:  # a first render or a new round: thumbs go to what I placed, else to the round before
            values = {pos.id: view.mine.get(pos.id, (start or {}).get(pos.id)) for pos in self.activity.all_positions()}
            known = {pos: value for pos, value in values.items() if value is not None}
            if known:
                self._sync += 1
                props["sync"] = {"n": self._sync, "values": known}
            if view.my_reason:
                self._reason_sync += 1
                props["reason"] = {"n": self._reason_sync, "text": view.my_reason}
        placed_me = all(p in view.mine for p in self.activity.position_ids())
        if view.revealed:
            status = t("{view_placed} van {view_members} geplaatst · zo zetten jullie deze schuif",
                       view_placed=view.placed, view_members=view.members)
        elif placed_me:
            status = t(
                "Jij bent klaar · {view_placed} van {view_members} in je groep geplaatst. "
                "Je ziet de anderen zodra iedereen klaar is.",
                view_placed=view.placed, view_members=view.members)
        elif len(self.activity.positions) > 1:
            status = t("Zet beide schuiven · {placed} van {members} in je groep geplaatst",
                       placed=view.placed, members=view.members)
        else:
            status = t("Zet de schuif · {placed} van {members} in je groep geplaatst",
                       placed=view.placed, members=view.members)
        props["status"] = status
        props["markers"], props["divergence"] = self._group_html(view) if view.revealed else ("", "")
        if view.revealed:  # which dots are mine: the page outlines them (the markers are the trio's)
            props["me"] = next((m.number for m in view.markers if m.participant_id == me), 0)
        self._start = start
        wants_keep = bool(start) and editable and not placed_me
        props["keep"] = t("Zelfde plek als vorige ronde") if wants_keep else ""
        self._set(**props)

    def _group_html(self, view: ItemView) -> tuple[str, str]:
        """The group's markers, names, reasons and divergence: the same for every member (the
        page marks its own dots), so drawn once per change of the group and language."""
        kept = _DRAWN.get(view.markers, self.activity.id, self.item.id, self.t.lang)
        if kept is not None:
            return kept
        t = self.t
        parts = []
        for index, position in enumerate(self.activity.all_positions()):
            css = marker_css(index)
            spread = view.spreads.get(position.id)
            spread_text = t("verschil {spread}", spread=spread) if spread is not None else ""
            parts.append(
                f'<div class="text-sm">{escape(t.text(position.label))} '
                f'<span class="wp-muted">{escape(spread_text)}</span></div>' + track(view.markers, position.id, css)
            )
        names = " · ".join(
            escape(f"{m.name}: " + " / ".join(str(m.values.get(p.id, "–")) for p in self.activity.positions)
                   + "".join(f" ({t.text(p.short_label())} {m.values[p.id]})" for p in self.activity.perspectives
                             if p.id in m.values))
            for m in view.markers
        )
        parts.append(f'<div class="text-sm" data-testid="markers-{self.item.id}">{names}</div>')
        if self.activity.reason:  # the why beside the positions: what the group talks about
            said = reasons(view.markers, self.activity.position_ids(), t("(nog geen toelichting)"),
                           f"reasons-{self.item.id}")
            parts.append(f'<div class="text-sm"><div class="font-bold mt-1">{escape(t("Waarom zo?"))}</div>'
                         f"{said}</div>")
        return _DRAWN.put(view.markers, ("".join(parts), self._divergence(view)),
                          self.activity.id, self.item.id, self.t.lang)

    def _round_text(self, change: RoundChange | None) -> str:
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
        return text

    def put_back(self, position: str, value: int | None) -> None:
        """After a refused placement: show the value the room has (or the unplaced middle)."""
        self._sync += 1
        self._set(sync={"n": self._sync, "values": {position: 50 if value is None else value}})

    def _divergence(self, view: ItemView) -> str:
        t = self.t
        if not (view.revealed and view.divergent):
            return ""
        widest = max(((p, s) for p, s in view.spreads.items() if s is not None), key=lambda ps: ps[1], default=None)
        # the slider by its name (the position only where there are several: "Situatie nu")
        label = t.text(self.item.label)
        if len(self.activity.positions) > 1:
            position = next((t.text(p.label) for p in self.activity.positions if widest and p.id == widest[0]), "")
            label = f"{label} ({position})" if position else label
        return t("Jullie liggen ver uiteen bij {label}: {v0} punten. Bespreek waarom.",
                 label=label, v0=widest[1] if widest else 0)
