"""Sliders: each member places every item on one or more positions (now, goal, …), with a reason.

Phone: a slider card per item. Host: per group a table of everyone's values, spreads and round
changes, and the hotspots across groups. Screen: a mixing console, one fader per item, with one
group's markers when the screen shows that group."""

from __future__ import annotations

from html import escape

from nicegui import ui

from rooms.kinds.sliders import MOVE_FIELDS
from rooms.templates import SlidersActivity
from rooms.views import GroupView, HostView, ParticipantView, ScreenItem, ScreenView, hotspot_key
from workshop.components.markers import marker_css, reasons, track
from workshop.components.panels import Actions, enable
from workshop.components.shared_text import SharedText
from workshop.components.slider_card import SliderCard
from workshop.components.spotlight import HotspotEntry, hotspot_body
from workshop.i18n import Tr
from workshop.kinds.base import KindUI


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
        self.move = MoveCard(activity, t, actions) if activity.move else None
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
        if self.move is not None:
            self.move.update(view, editable)
        if self.round_line is not None:
            self.round_line.text = t(
                "Ronde {view_round}. Hebben jullie gepraat over de verschillen? Zet dan samen nog een ronde.",
                view_round=view.round)
            enable(self.round_button, editable)
        self.first = False



class MoveCard:
    """After the reveal: the trio picks the one slider it wants to work on and writes, together,
    what is needed to move it (it flows into the local work agenda)."""

    def __init__(self, activity: SlidersActivity, t: Tr, actions: Actions) -> None:
        self.actions = actions
        self.known: str | None = None
        with ui.card().classes("w-full gap-2").props("data-testid=move") as self.card:
            ui.label(t("Wat zou het verschuiven?")).classes("text-lg font-bold")
            ui.label(t("Kies samen de schuif waar jullie mee aan de slag willen, en schrijf op wat er nodig is "
                       "om hem te verschuiven. Het komt in jullie werkagenda.")).classes("text-sm")
            self.item = ui.select({i.id: t.text(i.label) for i in activity.items}, label=t("Welke schuif?"),
                                  on_change=self._picked).props("data-testid=move-item outlined").classes("w-full")
            self.need = SharedText("move-need", t("Wat is er nodig om hem te verschuiven?"), actions.write_text,
                                   max_length=MOVE_FIELDS["move-need"], testid="move-need")
        self.card.set_visibility(False)

    async def _picked(self) -> None:
        value = str(self.item.value or "")
        if value != self.known:
            self.known = value
            await self.actions.write_text("move-item", value)

    def update(self, view: ParticipantView, editable: bool) -> None:
        if any(item.revealed for item in view.items) or view.texts:  # from the first reveal on
            self.card.set_visibility(True)
        chosen = view.texts.get("move-item", "")
        if chosen != self.known:
            self.known = chosen
            self.item.value = chosen if chosen in self.item.options else None
        self.item.set_enabled(editable)
        self.need.update(view.texts.get("move-need", ""), editable)


def has_rounds(activity: SlidersActivity) -> bool:
    return activity.rounds


# -- host ---------------------------------------------------------------------------------------

def host_block(group: GroupView, activity: SlidersActivity, t: Tr) -> str:
    """Every member's values per item, the spreads, and how the last round changed them."""
    rows = []
    head = "".join(f"<th>{escape(t.text(p.label))}</th>" for p in activity.all_positions())
    rows.append(f"<tr><th>{t('Schuif')}</th><th>{t('klaar')}</th>{head}<th></th></tr>")
    for item in activity.items:
        result = group.items.get(item.id)
        markers = group.item_markers.get(item.id, [])
        if result is None:
            continue
        cells = ""
        for p in activity.all_positions():
            values = ", ".join(f"{escape(m.name[:12])} {m.values[p.id]}" for m in markers if p.id in m.values)
            spread = result.spreads.get(p.id)
            cells += f"<td>{values or '–'}{f' <b>(Δ{spread})</b>' if spread is not None else ''}</td>"
        flag = t("⚠ verschil") if result.divergent else ""
        change = group.round_changes.get(item.id)
        if change is not None:
            flag += " " + ", ".join(
                f"{change.before.get(p.id)}→{'…' if change.converged is None else change.after.get(p.id)}"
                for p in activity.positions if change.before.get(p.id) is not None
            )
        seen = t("zichtbaar") if result.revealed else t("verborgen")
        rows.append(
            f"<tr><td>{escape(t.text(item.label))}</td><td>{result.placed}/{result.members} · {seen}</td>"
            f'{cells}<td class="text-[#b3261e] font-bold">{flag}</td></tr>'
        )
        if any(m.reason.strip() for m in markers):  # the why, under the numbers it explains
            said = reasons(markers, activity.position_ids(), t("(geen toelichting)"),
                           f"host-reasons-{group.group}-{item.id}")
            rows.append(f'<tr><td colspan="{len(activity.all_positions()) + 3}">{said}</td></tr>')
    return f'<table class="wp-table text-sm">{"".join(rows)}</table>'


def hotspots(view: HostView, activity: SlidersActivity, t: Tr) -> list[HotspotEntry]:
    """Where to go and listen, widest apart first; each opens the group's markers and reasons."""
    labels = {i.id: t.text(i.label) for i in activity.items}
    entries = []
    for h in view.hotspots[:8]:
        key = f"{h.group}-{h.item}"
        summary = (
            f"{t('Groep {h_group}', h_group=h.group)} · {escape(labels.get(h.item, h.item))}: "
            f"<b>{t('verschil')} {h.spread}</b>"
            + (f" · {t('nu → beoogd')} {h.gap}" if h.gap is not None else "")
            + ("" if h.revealed else f" <span class='wp-muted'>({t('nog verborgen')})</span>")
        )
        markers = view.hotspot_markers.get(hotspot_key(h.group, h.item), [])
        entries.append(HotspotEntry(key=key, group=h.group, item=h.item, summary=summary,
                                    body=hotspot_body(markers, activity, key, t), revealed=h.revealed))
    return entries


# -- screen -------------------------------------------------------------------------------------

def channel_html(item: ScreenItem, activity: SlidersActivity, t: Tr) -> str:
    """One fader of the mixing console: bands from lowest to highest, knobs at the room mean."""
    spec = activity.item(item.id)
    assert spec is not None
    bands, knobs, figures, spoken = [], [], [], []
    spec_label = t.text(spec.label)
    for index, position in enumerate(activity.positions[:2]):
        css = "now" if index == 0 else "goal"
        low, high, mean = item.lows.get(position.id), item.highs.get(position.id), item.means.get(position.id)
        if low is not None and high is not None:
            bands.append(f'<div class="band {css}" style="bottom:{low}%;height:{max(high - low, 1)}%"></div>')
        if mean is not None:
            knobs.append(f'<div class="knob {css}" style="bottom:{mean}%">{mean}</div>')
        shown = "–" if mean is None else str(mean)
        figures.append(f'<span class="{css}">{escape(t.text(position.short_label()))} {shown}</span>')
        range_text = "" if low is None else t(" (van {low} tot {high})", low=low, high=high)
        spoken.append(f"{t.text(position.label)} {shown}{range_text}")
    hot = ""
    if item.diverging:
        listed = ", ".join(t("groep {g} (Δ{s})", g=g, s=s) for g, s in item.diverging[:3])
        hot = "⚠ " + t("verschil bij ") + listed
    n = item.groups_included
    included = t("{n} groep", n=n) if n == 1 else t("{n} groepen", n=n)
    return (
        f"<h3>{escape(t.text(spec.label))}</h3>"
        f'<div class="wp-fader" role="img" aria-label="{escape(spec_label)}: {escape(" · ".join(spoken))}">'
        f'{"".join(bands)}{"".join(knobs)}</div>'
        f'<div class="wp-figures">{" · ".join(figures)}</div>'
        f'<div class="wp-muted text-lg" style="color:#9aa4b2">{included}</div>'
        f'<div class="wp-hot">{escape(hot)}</div>'
    )


class SlidersScreen:
    """The console: a fader per item; below each, the shown group's markers and round change."""

    def __init__(self, activity: SlidersActivity, t: Tr) -> None:
        self.activity = activity
        self.t = t
        self.rendered: dict[str, str] = {}
        self.channels: dict[str, ui.html] = {}
        with ui.element("div").classes("wp-console w-full"):
            for item in activity.items:
                self.channels[item.id] = (
                    ui.html("", sanitize=False).classes("wp-channel").props(f"data-testid=screen-{item.id}")
                )

    def update(self, view: ScreenView) -> None:
        for item in view.items:
            if item.id not in self.channels:
                continue
            html = channel_html(item, self.activity, self.t)
            if view.group is not None:
                html += self._group_markers(view, item.id)
            if self.rendered.get(item.id) != html:
                self.channels[item.id].content = html
                self.rendered[item.id] = html

    def _group_markers(self, view: ScreenView, item_id: str) -> str:
        t = self.t
        activity = self.activity
        markers = view.group_markers.get(item_id)
        if not markers:
            return f'<div class="text-lg" style="color:#9aa4b2">{t("nog verborgen")}</div>'
        html = "".join(track(markers, p.id, marker_css(i)) for i, p in enumerate(activity.all_positions()[:3]))
        change = view.group_changes.get(item_id)
        if change is not None:
            parts = [
                f"{escape(t.text(p.short_label()))} {change.before.get(p.id)} → "
                + ("…" if change.converged is None else str(change.after.get(p.id)))
                for p in activity.positions if change.before.get(p.id) is not None
            ]
            verdict = {True: t(" ✓ dichter bij elkaar"), False: "", None: ""}[change.converged]
            html += (f'<div class="text-xl" data-testid="screen-round-{item_id}">'
                     f'{t("verschil ronde")} {change.round - 1} → {change.round}: '
                     f'{", ".join(parts)}{verdict}</div>')
        return html


KIND = KindUI(panel=SlidersPanel, host_block=host_block, screen_block=SlidersScreen, hotspots=hotspots,
              has_rounds=has_rounds)
