"""Sliders: each member places every item on one or more positions (now, goal, …), with a reason.

Phone: a slider card per item. Host: per group a table of everyone's values, spreads and round
changes, and the hotspots across groups. Screen: a mixing console, one fader per item, with one
group's markers when the screen shows that group."""

from __future__ import annotations

from html import escape

from nicegui import ui

from rooms.kinds.sliders import MOVE_FIELDS
from rooms.templates import Position, SlidersActivity
from rooms.views import GroupView, HostView, Marker, ParticipantView, ScreenItem, ScreenView, hotspot_key
from workshop.components.markers import initials, marker_css, reasons
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
                    t("Nog een ronde"), on_click=self.ask_next_round
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
                      change=view.round_changes.get(item.id), me=view.participant_id)
        if self.move is not None:
            self.move.update(view, editable)
        if self.round_line is not None:
            self.round_line.text = (
                t("Ronde 1. Besproken waarom jullie verschillen? Met „Nog een ronde” zet ieder opnieuw.")
                if view.round == 1 else
                t("Ronde {view_round}: zet je schuiven opnieuw; daarna zie je of jullie dichter bij elkaar liggen.",
                  view_round=view.round))
            enable(self.round_button, editable)
        self.first = False

    def ask_next_round(self) -> None:
        """A new round starts for the whole group: one tap by anyone must not do that by accident."""
        t = self.t
        with ui.dialog() as dialog, ui.card():
            ui.label(t("Nog een ronde voor jullie hele groep?")).classes("text-lg font-bold")
            ui.label(t("Iedereen in je groep zet de schuiven opnieuw, vanaf waar ze nu staan. "
                       "De vorige ronde blijft bewaard om te vergelijken."))
            with ui.row():
                ui.button(t("Annuleren"), on_click=dialog.close).props("flat data-testid=next-round-cancel")

                async def confirm() -> None:
                    dialog.close()
                    await self.actions.next_round()

                ui.button(t("Ja, nog een ronde"), on_click=confirm).props("data-testid=next-round-confirm")
        dialog.open()



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
            self.need = SharedText("move-need", t("Wat is er nodig om hem te verschuiven?"), actions,
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
        self.need.update(view.texts.get("move-need", ""), editable, view.docs)


def has_rounds(activity: SlidersActivity) -> bool:
    return activity.rounds


# -- host ---------------------------------------------------------------------------------------

def host_block(group: GroupView, activity: SlidersActivity, t: Tr) -> str:
    """Every member's values per item, the spreads, and how the last round changed them."""
    rows = []
    head = "".join(f"<th>{escape(t.text(p.label))}</th>" for p in activity.all_positions())
    rows.append(f"<tr><th>{t('Schuif')}</th><th>{t('Geplaatst')}</th>{head}<th></th></tr>")
    for item in activity.items:
        result = group.items.get(item.id)
        markers = group.item_markers.get(item.id, [])
        if result is None:
            continue
        cells = ""
        for p in activity.all_positions():
            values = ", ".join(f"{escape(m.name[:12])} {m.values[p.id]}" for m in markers if p.id in m.values)
            spread = result.spreads.get(p.id)
            apart = f" <b>{t('{spread} uiteen', spread=spread)}</b>" if spread is not None else ""
            cells += f"<td>{values or '–'}{apart}</td>"
        flag = t("⚠ verschil") if result.divergent else ""
        change = group.round_changes.get(item.id)
        if change is not None:
            flag += " " + ", ".join(
                f"{change.before.get(p.id)}→{'…' if change.converged is None else change.after.get(p.id)}"
                for p in activity.positions if change.before.get(p.id) is not None
            )
        seen = t("zichtbaar") if result.revealed else t("verborgen")
        placed = t("{done} van {of}", done=result.placed, of=result.members)
        rows.append(
            f"<tr><td>{escape(t.text(item.label))}</td><td>{placed} · {seen}</td>"
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

FADER_WIDTH = 280  # px, the group's fader on the screen (``.wp-fader.group``)


def groups_text(n: int, t: Tr) -> str:
    return t("{n} groep", n=n) if n == 1 else t("{n} groepen", n=n)


KNOB_GAP = 12  # a room knob's height in per cent of a fader: closer means would cover each other


def apart(means: dict[str, int | None], positions: list[Position]) -> dict[str, float]:
    """Where the room's two knobs are drawn: at their means, or pushed apart to just touch when
    closer than a knob is high (the figure on each knob stays the mean)."""
    placed = [(value, p.id) for p in positions if (value := means.get(p.id)) is not None]
    if len(placed) != 2 or abs(placed[0][0] - placed[1][0]) >= KNOB_GAP:
        return {pid: float(value) for value, pid in placed}
    (low, low_id), (high, high_id) = sorted(placed)
    middle = min(max((low + high) / 2, KNOB_GAP / 2), 100 - KNOB_GAP / 2)
    return {low_id: middle - KNOB_GAP / 2, high_id: middle + KNOB_GAP / 2}


def channel_html(item: ScreenItem, activity: SlidersActivity, t: Tr, markers: list[Marker] | None = None) -> str:
    """One fader of the mixing console, its poles named at both ends. For the room: bands from
    lowest to highest, knobs at the room mean. For one group (``markers``): each member's knobs,
    with initials, large, and as on the phones the perspective (where the alderman would put it)
    in a lane of its own once someone placed it."""
    spec = activity.item(item.id)
    assert spec is not None
    bands, knobs, figures, spoken = [], [], [], []
    spec_label = t.text(spec.label)
    positions = activity.positions[:2]
    perspectives = [] if markers is None else [
        p for p in activity.perspectives[:1] if any(p.id in m.values for m in markers)]
    lanes = positions + perspectives
    width = FADER_WIDTH // len(lanes)  # each position's lane of the group's fader
    step = 44 if len(lanes) < 3 else 30
    for index, position in enumerate(lanes):
        css = marker_css(index)
        short = escape(t.text(position.short_label()))
        if markers is not None:
            placed = sorted((m for m in markers if position.id in m.values), key=lambda m: m.values[position.id])
            values = [m.values[position.id] for m in placed]
            lane, previous = 0, -100
            for m in placed:
                value = m.values[position.id]
                # near-equal knobs side by side instead of on top of each other
                lane = lane + 1 if value - previous < 12 else 0
                previous = value
                left = index * width + 6 + lane * step
                knobs.append(f'<div class="knob person {css}" style="bottom:{value}%;left:{left}px"'
                             f' title="{escape(m.name)}: {value}">{escape(initials(m.name))}</div>')
            spread = values[-1] - values[0] if values else None
            figures.append(f'<span class="{css}">{short} ' + (
                "–" if spread is None else escape(t("{spread} uiteen", spread=spread))) + "</span>")
            spoken.append(f"{t.text(position.label)}: " + ", ".join(
                f"{m.name} {m.values[position.id]}" for m in markers if position.id in m.values))
            continue
        low, high, mean = item.lows.get(position.id), item.highs.get(position.id), item.means.get(position.id)
        if low is not None and high is not None:
            bands.append(f'<div class="band {css}" style="bottom:{low}%;height:{max(high - low, 1)}%"></div>')
        if mean is not None:
            at = apart(item.means, activity.positions[:2]).get(position.id, mean)
            knobs.append(f'<div class="knob {css}" style="bottom:{at}%">{mean}</div>')
        shown = "–" if mean is None else str(mean)
        figures.append(f'<span class="{css}">{short} {shown}</span>')
        range_text = "" if low is None else t(" (van {low} tot {high})", low=low, high=high)
        spoken.append(f"{t.text(position.label)} {shown}{range_text}")
    hot = ""
    if markers is None and item.diverging:
        listed = ", ".join(t("groep {g}: {s} uiteen", g=g, s=s) for g, s in item.diverging[:2])
        hot = "⚠ " + listed
    top = escape(t.text(spec.high)) if spec.high else "100"
    bottom = escape(t.text(spec.low)) if spec.low else "0"
    if markers is None:
        included = groups_text(item.groups_included, t)
    else:  # who is where, in numbers: the knobs carry initials only
        included = " · ".join(
            escape(f"{initials(m.name)} " + "/".join(str(m.values.get(p.id, "–")) for p in positions)
                   + "".join(f" ({t.text(p.short_label())} {m.values[p.id]})" for p in perspectives
                             if p.id in m.values)) for m in markers)
    group = " group" if markers is not None else ""
    return (
        f"<h3>{escape(spec_label)}</h3>"
        f'<div class="wp-pole wp-pole-top">{top}</div>'
        f'<div class="wp-fader{group}" role="img" aria-label="{escape(spec_label)}: {escape(" · ".join(spoken))}">'
        f'{"".join(bands)}{"".join(knobs)}</div>'
        f'<div class="wp-pole">{bottom}</div>'
        f'<div class="wp-figures">{" · ".join(figures)}</div>'
        f'<div class="wp-included">{included}</div>'
        f'<div class="wp-hot">{escape(hot)}</div>'
    )


class SlidersScreen:
    """The console: a fader per item, for the room (means) or for the group the screen shows
    (its members' knobs, and how the last round changed the spread)."""

    def __init__(self, activity: SlidersActivity, t: Tr) -> None:
        self.activity = activity
        self.t = t
        self.rendered: dict[str, str] = {}
        self.channels: dict[str, ui.html] = {}
        many = len(activity.items) > 5
        with ui.element("div").classes("wp-console w-full" + (" wp-console-many" if many else "")):
            for item in activity.items:
                self.channels[item.id] = (
                    ui.html("", sanitize=False).classes("wp-channel").props(f"data-testid=screen-{item.id}")
                )

    def update(self, view: ScreenView) -> None:
        for item in view.items:
            if item.id not in self.channels:
                continue
            if view.group is None:
                html = channel_html(item, self.activity, self.t)
            elif item.id in view.group_markers:
                html = channel_html(item, self.activity, self.t, view.group_markers[item.id])
                html += self._round_change(view, item.id)
            else:
                html = channel_html(item, self.activity, self.t, [])
                html += f'<div class="wp-included">{self.t("nog verborgen")}</div>'
            if self.rendered.get(item.id) != html:
                self.channels[item.id].content = html
                self.rendered[item.id] = html

    def _round_change(self, view: ScreenView, item_id: str) -> str:
        t = self.t
        change = view.group_changes.get(item_id)
        if change is None:
            return ""
        parts = [
            f"{escape(t.text(p.short_label()))} {change.before.get(p.id)} → "
            + ("…" if change.converged is None else str(change.after.get(p.id)))
            for p in self.activity.positions if change.before.get(p.id) is not None
        ]
        verdict = {True: t(" ✓ dichter bij elkaar"), False: "", None: ""}[change.converged]
        return (f'<div class="wp-round" data-testid="screen-round-{item_id}">'
                f'{t("verschil ronde")} {change.round - 1} → {change.round}: '
                f'{", ".join(parts)}{verdict}</div>')


KIND = KindUI(panel=SlidersPanel, host_block=host_block, screen_block=SlidersScreen, hotspots=hotspots,
              has_rounds=has_rounds)
