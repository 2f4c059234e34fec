"""``/screen/{code}``: the projector. Aggregates only, readable from the back of the room."""

from __future__ import annotations

from html import escape

from nicegui import Client, ui

from rooms.commands import Rejected
from rooms.events import Event
from rooms.limits import JOIN_FAILURES
from rooms.templates import SlidersActivity
from rooms.views import ScreenItem, ScreenView, current_activity, current_sliders, screen_view
from workshop.components.markers import track
from workshop.components.panels import set_countdown
from workshop.hub import RoomFeed, Throttle
from workshop.i18n import Tr
from workshop.layout import client_address, head
from workshop.links import join_url, qr_svg_uri
from workshop.services import ready, services


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


class ScreenPage:
    participant_id: str | None = None
    connected = True

    def __init__(self, code: str, t: Tr) -> None:
        self.code = code
        self.t = t
        self.feed: RoomFeed | None = None
        self.throttle = Throttle(self.flush)
        self.rendered_key: tuple[str | None, str] | None = None
        self.channels: dict[str, ui.html] = {}
        self.rendered: dict[str, str] = {}
        self.lines: ui.html | None = None
        self.groups: ui.html | None = None

    def build(self, feed: RoomFeed) -> None:
        self.feed = feed
        t = self.t
        join = join_url(self.code)
        with ui.row().classes("w-full items-center justify-between px-6 pt-4"):
            self.title = ui.label().classes("text-4xl font-bold").props("data-testid=screen-title")
            with ui.row().classes("items-center gap-6"):
                with ui.column().classes("items-end gap-0"):
                    ui.label(t("Doe mee met code")).classes("text-xl")
                    ui.label(self.code).classes("wp-code").props("data-testid=screen-code")
                    ui.label(join).classes("text-lg").style("color:#9aa4b2")
                ui.image(qr_svg_uri(join)).classes("w-36 h-36 rounded").props(
                    f'alt="{t("QR-code om mee te doen")}"'
                )
        with ui.row().classes("w-full items-center justify-between px-6"):
            self.counts = ui.label().classes("text-2xl").style("color:#9aa4b2").props("data-testid=screen-counts")
            self.timer = ui.label().classes("wp-countdown font-bold").props("data-testid=screen-timer")
        self.body = ui.column().classes("w-full px-6 pb-6")
        self.flush()

    def on_event(self, event: Event, feed: RoomFeed) -> None:
        self.throttle.poke()

    def on_deleted(self) -> None:
        self.feed = None
        self.body.clear()
        self.title.text = self.t("Deze sessie is verwijderd.")

    def flush(self) -> None:
        if self.feed is None:
            return
        t = self.t
        state = self.feed.state
        view = screen_view(state, t.lang)
        activity = current_sliders(state) if view.kind == "sliders" else None
        set_countdown(self.timer, view.timer_ends)
        self.counts.text = t("{view_participants} deelnemers in {view_groups} groepen",
            view_participants=view.participants, view_groups=view.groups)
        # the room event this screen shows everything up to (a test or the load harness can tell
        # "not shown yet" from "shown, and nothing visible changed")
        self.counts.props["data-seq"] = state.seq
        spec = current_activity(state)
        self.title.text = t.text(spec.title) if spec else state.title
        key = (view.activity, view.mode)
        if key != self.rendered_key:
            self._rebuild(view, activity)
        if self.lines is not None and self.groups is not None:
            self._flush_lines(view)
        for item in view.items:
            if activity is None or item.id not in self.channels:
                continue
            html = channel_html(item, activity, t)
            if view.group is not None:
                html += self._group_markers(view, item.id, activity)
            if self.rendered.get(item.id) != html:
                self.channels[item.id].content = html
                self.rendered[item.id] = html

    def _flush_lines(self, view: ScreenView) -> None:
        assert self.lines is not None and self.groups is not None
        t = self.t
        lines = "".join(f"<div>{escape(line)}</div>" for line in view.lines)
        if self.rendered.get("lines") != lines:
            self.lines.content = lines
            self.rendered["lines"] = lines
        cards = []
        for group, group_lines in view.group_lines.items():
            body = "".join(f"<div>{escape(line)}</div>" for line in group_lines) or (
                f'<div style="color:#9aa4b2">{t("nog niets te zien")}</div>'
            )
            cards.append(f'<div class="wp-group"><h3>{t("Groep {group}", group=group)}</h3>{body}</div>')
        more = view.groups - len(view.group_lines) if view.group is None else 0
        if more > 0:
            cards.append(f'<div class="wp-group">{t("en nog {more} groepen", more=more)}</div>')
        html = "".join(cards)
        if self.rendered.get("groups") != html:
            self.groups.content = html
            self.rendered["groups"] = html

    def _group_markers(self, view: ScreenView, item_id: str, activity: SlidersActivity) -> str:
        t = self.t
        markers = view.group_markers.get(item_id)
        if not markers:
            return f'<div class="text-lg" style="color:#9aa4b2">{t("nog verborgen")}</div>'
        html = "".join(track(markers, p.id, "now" if i == 0 else "goal") for i, p in enumerate(activity.positions[:2]))
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

    def _rebuild(self, view: ScreenView, activity: SlidersActivity | None) -> None:
        t = self.t
        self.rendered_key = (view.activity, view.mode)
        self.channels, self.rendered = {}, {}
        self.lines = self.groups = None
        self.body.clear()
        with self.body:
            if view.mode not in {"blank", "join"} and view.activity is not None and activity is None:
                if view.group is not None:
                    ui.label(t("Groep {view_group}", view_group=view.group)).classes("text-3xl")
                self.lines = ui.html("", sanitize=False).classes("wp-lines w-full").props("data-testid=screen-lines")
                self.groups = ui.html("", sanitize=False).classes("wp-groups w-full mt-4").props(
                    "data-testid=screen-groups")
                return
            if view.mode in {"blank", "join"} or activity is None:
                if view.mode == "join" or view.activity is None:
                    with ui.column().classes("w-full items-center mt-6"):
                        ui.label(t("Pak je telefoon en scan de code")).classes(
                            "text-4xl"
                        )
                        ui.image(qr_svg_uri(join_url(self.code))).classes("w-96 h-96 rounded").props(
                            f'alt="{t("QR-code om mee te doen")}"'
                        )
                return
            if view.group is not None:
                ui.label(t("Groep {view_group}", view_group=view.group)).classes("text-3xl")
            with ui.element("div").classes("wp-console w-full"):
                for item in activity.items:
                    self.channels[item.id] = (
                        ui.html("", sanitize=False).classes("wp-channel").props(f"data-testid=screen-{item.id}")
                    )


async def screen_page(code: str, client: Client, lang: str = "") -> None:
    svc = await ready()
    code = code.upper()
    t = Tr(lang if lang in ("nl", "en") else (await svc.store.setting(code, "lang")) or "nl")
    head()
    ui.page_title(f"{code} · Werkplaats")
    ui.query("body").classes("wp-screen")
    address = client_address(client)
    try:
        await svc.limiter.check(JOIN_FAILURES, address)
    except Rejected as exc:
        ui.label(exc.text(t.lang)).classes("text-4xl p-8").props("data-testid=page-error")
        return
    page = ScreenPage(code, t)
    feed = await svc.hub.attach(code, page)
    if feed is None:
        await svc.limiter.hit(JOIN_FAILURES, address)
        ui.label(t("Deze sessie bestaat niet (meer).")).classes(
            "text-4xl p-8"
        ).props("data-testid=page-error")
        return
    page.build(feed)

    async def deleted() -> None:
        await services().hub.detach(code, page)

    client.on_delete(deleted)
