"""The spotlight: the host opens a hotspot (one group on one slider) to read the group's markers
with names and reasons, and puts it on the screen, where the room sees that slider large, the
group's markers and the reasons behind them, anonymised ("Deelnemer A/B/C") unless the host
chose names. What the screen receives is decided by the gate (``rooms.gate.Spotlight``); the
mode that names the spot is ``rooms.spotlight``'s."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import asdict, dataclass
from html import escape

from nicegui import ui
from nicegui.events import GenericEventArguments

from rooms.spotlight import Spot
from rooms.templates import SlidersActivity, Template
from rooms.views import HostView, Marker, ScreenView, SpotlightView
from workshop.components.markers import marker_css, reasons
from workshop.i18n import Tr

ShowOnScreen = Callable[[str], Awaitable[None]]


@dataclass(frozen=True)
class HotspotEntry:
    """One hotspot as the host's list shows it: a summary line, and when opened, ``body`` (the
    group's markers with names and reasons) and, once revealed, the button that spotlights it."""

    key: str
    group: int
    item: str
    summary: str
    body: str
    revealed: bool


class HotspotList(ui.element, component="hotspots.js"):
    """The host's hotspots with the spotlight's controls (``hotspots.js``)."""

    def __init__(self, t: Tr, show: ShowOnScreen) -> None:
        super().__init__()
        self.t = t
        self.show_on_screen = show
        self.activity: str | None = None
        self.spot: Spot | None = None
        self.classes("w-full")
        self._props.update({
            "spots": [], "title": t("Waar kun je gaan luisteren"), "current": "", "names": False,
            "namesLabel": t("Namen tonen op het scherm"), "showLabel": t("Op het scherm"),
            "hiddenLabel": t("Nog niet getoond aan de groep: het scherm kan het pas laten zien als de groep het ziet."),
            "backLabel": t("Terug naar de zaal"),
        })
        self.on("spotlight", self._spotlight)
        self.on("names", self._names)
        self.on("back", self._back)

    def show(self, entries: list[HotspotEntry], view: HostView, label: Callable[[Spot], str]) -> None:
        """The current hotspots, and what (if anything) the screen has in the spotlight."""
        self.activity = view.activity
        self.spot = view.spotlight
        props: dict[str, object] = {
            "spots": [asdict(e) for e in entries],
            "current": self.t("Op het scherm: {spot}", spot=label(view.spotlight)) if view.spotlight else "",
        }
        if view.spotlight is not None:
            props["names"] = view.spotlight.names
        changed = False
        for key, value in props.items():
            if self._props.get(key) != value:
                self._props[key] = value
                changed = True
        if changed:
            self.update()

    async def _spotlight(self, event: GenericEventArguments) -> None:
        args = event.args if isinstance(event.args, dict) else {}
        group, item = args.get("group"), args.get("item")
        if self.activity is None or not isinstance(group, int) or not isinstance(item, str):
            return
        spot = Spot(group=group, activity=self.activity, item=item, names=bool(self._props.get("names")))
        await self.show_on_screen(spot.mode())

    async def _names(self, event: GenericEventArguments) -> None:
        names = bool(event.args)
        self._props["names"] = names  # the host's choice, for this spot and the next
        self.update()
        if self.spot is not None and self.spot.names != names:
            await self.show_on_screen(Spot(self.spot.group, self.spot.activity, self.spot.item, names).mode())

    async def _back(self) -> None:
        await self.show_on_screen("room")


def mark(marker: Marker, names: bool) -> str:
    """What a dot on the screen says: initials, or the letter of "Deelnemer A"."""
    if not names:
        return marker.name.split()[-1][:2] if marker.name.split() else "?"
    parts = marker.name.split()
    return (parts[0][0] + parts[-1][0]).upper() if len(parts) > 1 else marker.name[:2]


def big_track(markers: list[Marker], position: str, css: str, names: bool) -> str:
    dots = []
    for m in sorted(markers, key=lambda m: m.values.get(position, 0)):
        if position in m.values:
            value = m.values[position]
            label = escape(f"{m.name}: {value}")
            dots.append(f'<span class="wp-dot {css}" style="left:{value}%" title="{label}">'
                        f"{escape(mark(m, names))}</span>")
    spoken = ", ".join(f"{m.name}: {m.values[position]}" for m in markers if position in m.values)
    return f'<div class="wp-track" role="img" aria-label="{escape(spoken or "–")}">{"".join(dots)}</div>'


def spotlight_html(spot: SpotlightView, activity: SlidersActivity, t: Tr) -> str:
    """The slider large, the group's markers on it, and the reasons beside them."""
    item = activity.item(spot.item)
    assert item is not None
    head = (f'<h2 class="wp-spot-title">{escape(t("Groep {group}", group=spot.group))} · '
            f"{escape(t.text(item.label))}</h2>")
    if not spot.revealed:
        return head + f'<div class="text-3xl">{escape(t("nog verborgen"))}</div>'
    parts = [head]
    for index, position in enumerate(activity.all_positions()[:3]):
        css = marker_css(index)
        if index >= 2 and not any(position.id in m.values for m in spot.markers):
            continue  # a perspective nobody placed
        spread = spot.spreads.get(position.id)
        spread_text = f" · {t('verschil {spread}', spread=spread)}" if spread is not None else ""
        label = t.text(position.label if index < 2 else position.short_label())
        parts.append(f'<div class="wp-spot-pos {css}">{escape(label)}{escape(spread_text)}</div>')
        parts.append(big_track(spot.markers, position.id, css, spot.names))
    if item.low or item.high:
        parts.append(f'<div class="wp-spot-poles"><span>{escape(t.text(item.low) if item.low else "")}</span>'
                     f'<span>{escape(t.text(item.high) if item.high else "")}</span></div>')
    parts.append(f'<h3 class="wp-spot-why">{escape(t("Waarom zo?"))}</h3>')
    parts.append(reasons(spot.markers, activity.position_ids(), t("(geen toelichting)"), "spotlight-reasons"))
    return "".join(parts)


class SpotlightScreen:
    """The screen's block while the host has a group's slider in the spotlight."""

    def __init__(self, template: Template, t: Tr) -> None:
        self.template = template
        self.t = t
        self.rendered = ""
        self.box = ui.html("", sanitize=False).classes("wp-spot w-full").props("data-testid=spotlight")

    def update(self, view: ScreenView) -> None:
        spot = view.spotlight
        html = ""
        if spot is not None:
            activity = self._sliders(spot.activity)
            if activity is not None:
                html = spotlight_html(spot, activity, self.t)
        if html != self.rendered:
            self.box.content = html
            self.rendered = html

    def _sliders(self, activity_id: str) -> SlidersActivity | None:
        from rooms.kinds import registry

        spec = self.template.activity(activity_id)
        return registry.kind_of(spec).sliders(spec) if spec is not None else None


def spot_label(spot: Spot, template: Template, t: Tr) -> str:
    """"Groep 2 · Communicatie (anoniem)": what the host reads the screen has in the spotlight."""
    from rooms.kinds import registry

    spec = template.activity(spot.activity)
    sliders = registry.kind_of(spec).sliders(spec) if spec is not None else None
    item = sliders.item(spot.item) if sliders is not None else None
    label = t.text(item.label) if item is not None else spot.item
    how = t("met namen") if spot.names else t("anoniem")
    return t("Groep {group}", group=spot.group) + f" · {label} ({how})"


def hotspot_body(markers: list[Marker], activity: SlidersActivity, key: str, t: Tr) -> str:
    """What an opened hotspot shows the host: every member's values and reason, with names."""
    return reasons(markers, activity.position_ids(), t("(geen toelichting)"), f"hotspot-reasons-{key}")
