"""``/host/{code}?t=TOKEN``: the facilitator's dashboard."""

from __future__ import annotations

import logging

from nicegui import Client, ui
from redis.exceptions import RedisError

from rooms.codes import normalize_code
from rooms.commands import TIMER_MAX, Rejected
from rooms.events import MEMBER_EVENTS, Event, TextEdited
from rooms.kinds import registry as engine_kinds
from rooms.models import RoomState
from rooms.projection import groups_touched
from rooms.reveal import reveal_mode
from rooms.templates import REVEAL_MODES, AnyActivity
from rooms.views import GroupView, current_activity, current_sliders, host_view
from workshop.components.exports_panel import ExportsPanel
from workshop.components.group_card import group_html, progress_strip
from workshop.components.host_guide import HostGuide
from workshop.components.host_room import RoomPanel
from workshop.components.host_texts import HostTexts
from workshop.components.mix_groups import role_labels
from workshop.components.panels import enable as enable_button
from workshop.components.panels import set_countdown
from workshop.components.spotlight import HotspotList, spot_label
from workshop.components.themes import ThemesPanel
from workshop.hub import RoomFeed, Throttle
from workshop.i18n import Tr
from workshop.kinds.registry import has_rounds, hotspots
from workshop.layout import choose_lang, client_address, error_block, frame
from workshop.links import join_url
from workshop.services import ready, services

log = logging.getLogger(__name__)

STATUS_TEXT = {
    None: "niet gestart",
    "open": "loopt",
    "locked": "vergrendeld",
    "done": "gedaan",
}
REVEAL_TEXT = {
    "when-complete": "zodra de groep klaar is",
    "live": "live, terwijl ze schuiven",
    "host": "pas als ik het toon",
}
TIMER_MINUTES_MAX = TIMER_MAX // 60


def activity_status(state: RoomState, activity_id: str) -> str | None:
    """not started (None) / open / locked / done (started earlier, another one runs now)."""
    status = state.status.get(activity_id)
    if status == "open" and activity_id != state.current:
        return "done"
    return status


class HostPage:
    participant_id: str | None = None
    connected = True

    def __init__(self, code: str, t: Tr, token: str = "") -> None:
        self.code = code
        self.token = token
        self.t = t
        self.exports: ExportsPanel | None = None
        self.feed: RoomFeed | None = None
        self.online: set[str] = set()
        self.throttle = Throttle(self.flush)
        self.dirty_groups: set[int] | None = None  # None: everything
        self.group_cards: dict[int, ui.html] = {}
        self.rendered_groups: list[int] = []
        self.rendered_html: dict[int, str] = {}
        self.status_labels: dict[str, ui.label] = {}
        self.round_buttons: dict[int, ui.button] = {}
        self.timer_for: str | None = None
        self.rendered_kind: tuple[str | None, int] | None = None
        self.progress: dict[int, GroupView] = {}  # every group's last view, for the progress strip
        self.texts: HostTexts | None = None

    @property
    def state(self) -> RoomState:
        assert self.feed is not None
        return self.feed.state

    def build(self, feed: RoomFeed) -> None:
        self.feed = feed
        t = self.t
        state = feed.state
        join = join_url(self.code)
        self.health = ui.label(t("De server kan de gegevens even niet bereiken; we proberen het opnieuw. "
                                 "Wacht even met de volgende stap.")).classes("wp-health").props(
            "data-testid=health role=status aria-live=polite")
        self.health.set_visibility(False)
        # One screen at 1366x768 without scrolling the page: three columns that each scroll on
        # their own. The room and the screen | the programme and the running exercise's controls |
        # every group's progress, the hotspots, then the groups' cards.
        self.layout = ui.element("div").classes("wp-host").props("data-testid=host-layout")
        with self.layout:
            with ui.column().classes("wp-host-col gap-3"):
                self.room = RoomPanel(self.code, t, join, state, lambda: self.state, self.run)
            with ui.column().classes("wp-host-col gap-2"):
                self._build_programme(t, state)
                self.guide = HostGuide(t)
                self.exports = ExportsPanel(self.code, self.token, t, lambda: self.state)
            with ui.column().classes("wp-host-col gap-2"):
                self.summary = ui.label().classes("text-base").props("data-testid=summary")
                self.progress_strip = ui.html("", sanitize=False).classes("w-full").props(
                    "data-testid=progress-strip")
                self.rendered_strip = ""
                self.hotspots = HotspotList(t, lambda mode: self.run(self.store.show_on_screen, mode))
                self.themes = ThemesPanel(t, lambda: self.state, lambda: self.store, self.run, self.code)
                self.groups_box = ui.row().classes("w-full gap-3 items-start")
        self.flush()

    def _build_programme(self, t: Tr, state: RoomState) -> None:
        with ui.card().classes("w-full gap-2"):
            self.current_title = ui.label().classes("text-lg font-bold").props("data-testid=current-activity")
            with ui.row().classes("gap-2"):
                self.next_button = ui.button(t("Volgende"), on_click=lambda: self.run(self.store.advance)).props(
                    "data-testid=next-activity"
                )
                self.lock_button = ui.button(t("Vergrendel"), on_click=self.toggle_lock).props(
                    "data-testid=lock color=deep-orange-10"
                )
                ui.button(t("Toon alle groepen"), on_click=self.reveal_all).props(
                    "data-testid=reveal color=purple-9"
                )
                self.texts = HostTexts(self.code, self.store, t)
                self.texts.state = state
            self.reveal_select = ui.select(
                {m: t(REVEAL_TEXT[m]) for m in REVEAL_MODES},
                label=t("Groep ziet elkaars keuzes"),
                on_change=self.set_reveal_mode,
            ).props("data-testid=reveal-mode dense outlined").classes("w-full")
            with ui.row().classes("items-center gap-2 no-wrap"):
                self.timer_minutes = ui.number(t("Minuten"), value=10, min=1, max=TIMER_MINUTES_MAX, step=1).props(
                    "data-testid=timer-minutes dense outlined").classes("w-24")
                ui.button(t("Start timer"), on_click=self.start_timer).props(
                    "data-testid=timer-start outline dense")
                ui.button(t("Stop"), on_click=lambda: self.run(self.store.set_timer, 0)).props(
                    "data-testid=timer-stop flat dense")
                self.timer_label = ui.label().classes("text-2xl font-bold wp-countdown").props(
                    "data-testid=host-timer")
        with ui.card().classes("w-full gap-0"):
            ui.label(t("Programma")).classes("text-lg font-bold")
            for activity in state.template.activities:
                with ui.row().classes("w-full items-center no-wrap gap-2 wp-programme-row"):
                    ui.label(t.text(activity.title)).classes("grow")
                    self.status_labels[activity.id] = (
                        ui.label().classes("text-sm wp-muted").props(f"data-testid=status-{activity.id}")
                    )
                    ui.button(
                        t("Start"), on_click=lambda a=activity.id: self.run(self.store.start, a)
                    ).props(f"data-testid=start-{activity.id} outline dense")

    @property
    def store(self):  # type: ignore[no-untyped-def]
        return services().store

    async def run(self, command, *args) -> None:  # type: ignore[no-untyped-def]
        try:
            await command(self.code, *args)
        except Rejected as exc:
            ui.notify(exc.text(self.t.lang), type="warning")
        except (RedisError, OSError) as exc:
            log.warning("a host command failed in room %s: %s", self.code, type(exc).__name__)
            services().hub.lost(exc)
            ui.notify(self.t("Niet opgeslagen: de server is even niet bereikbaar. Probeer het zo nog eens."),
                      type="negative")

    def on_health(self, redis_ok: bool) -> None:
        """The hub lost Redis or found it again: say so while it is away."""
        if hasattr(self, "health"):
            self.health.set_visibility(not redis_ok)

    async def toggle_lock(self) -> None:
        current = self.state.current
        if current is None:
            ui.notify(self.t("Start eerst een oefening."), type="warning")
            return
        if self.state.status.get(current) == "locked":
            await self.run(self.store.unlock, current)
        else:
            await self.run(self.store.lock, current)

    async def reveal_all(self) -> None:
        if self.state.current is None:
            ui.notify(self.t("Start eerst een oefening."), type="warning")
            return
        await self.run(self.store.reveal, self.state.current, None)

    async def reveal_group(self, group: int) -> None:
        if self.state.current is not None:
            await self.run(self.store.reveal, self.state.current, group)

    async def set_reveal_mode(self) -> None:
        current = self.state.current
        mode = self.reveal_select.value
        if current is None or not mode:
            return
        activity = current_activity(self.state)
        if activity is not None and mode != reveal_mode(self.state, activity):
            await self.run(self.store.set_reveal_mode, current, mode)

    async def start_timer(self) -> None:
        try:
            minutes = float(self.timer_minutes.value or 0)
        except (TypeError, ValueError):
            minutes = 0
        if not 0 < minutes <= TIMER_MINUTES_MAX:
            ui.notify(self.t("Kies 1 tot {v0} minuten.", v0=TIMER_MINUTES_MAX), type="warning")
            return
        await self.run(self.store.set_timer, round(minutes * 60))

    async def next_round(self, group: int) -> None:
        if self.state.current is not None:
            await self.run(self.store.start_round, self.state.current, group)

    def on_event(self, event: Event, feed: RoomFeed) -> None:
        if self.texts is not None:
            self.texts.state = feed.state
            if isinstance(event, TextEdited):
                self.texts.on_event(event)
        if isinstance(event, TextEdited) and self.dirty_groups is not None:
            touched = groups_touched(feed.state, event)  # the text's group, also for the host's own edit
            if touched is None:
                self.dirty_groups = None
            else:
                self.dirty_groups |= touched
        elif isinstance(event, MEMBER_EVENTS) and self.dirty_groups is not None:
            actor = feed.state.participants.get(event.participant_id)
            if actor is not None:
                self.dirty_groups.add(actor.group)
        else:
            self.dirty_groups = None
        self.throttle.poke()

    def on_reloaded(self, feed: RoomFeed) -> None:
        if self.texts is not None:
            self.texts.state = feed.state
        self.dirty_groups = None  # every group card from the room as Redis has it
        self.throttle.poke()

    def on_deleted(self) -> None:
        """Every host tab of the room, not just the one that deleted it, says so in its page (a
        notification from here would have no page to go to: this runs outside any request)."""
        self.feed = None
        t = self.t
        if not hasattr(self, "layout"):
            return
        self.layout.clear()
        self.layout.classes(replace="w-full")
        with self.layout:
            ui.label(t("Deze sessie is verwijderd.")).classes("wp-error text-xl").props(
                "data-testid=host-deleted role=alert")
            ui.link(t("Naar de startpagina"), "/")

    def presence(self, online: set[str]) -> None:
        if online != self.online:
            self.online = online
            self.dirty_groups = None
            self.throttle.poke()

    def flush(self) -> None:
        if self.feed is None:
            return
        t = self.t
        state = self.state
        dirty, self.dirty_groups = self.dirty_groups, set()
        current_spec = current_activity(state)
        if self.exports is not None:
            self.exports.refresh(state)
        for activity_id, label in self.status_labels.items():
            status = activity_status(state, activity_id)
            text = STATUS_TEXT.get(status, STATUS_TEXT[None])
            current = activity_id == state.current
            label.text = t(text) + (t(" · nu") if current else "")
            label.classes(replace=f"text-sm w-32 wp-status-{status or 'none'}")
        has_reveal = current_spec is not None and engine_kinds.kind_of(current_spec).reveals
        self.reveal_select.set_visibility(has_reveal)
        if has_reveal and current_spec is not None:
            mode = reveal_mode(state, current_spec)
            if self.reveal_select.value != mode:
                self.reveal_select.value = mode
        set_countdown(self.timer_label, state.timer_ends)
        if current_spec is not None and current_spec.id != self.timer_for:
            self.timer_for = current_spec.id
            if current_spec.minutes:
                self.timer_minutes.value = current_spec.minutes
        locked = current_spec is not None and state.status.get(current_spec.id) == "locked"
        self.lock_button.text = t("Ontgrendel") if locked else t("Vergrendel")
        following = state.template.next_after(state.current)
        self.next_button.text = (t("Volgende: {title}", title=t.text(following.title)) if following is not None
                                 else t("Laatste oefening"))
        enable_button(self.next_button, following is not None)
        self.current_title.text = (t("Nu: {title}", title=t.text(current_spec.title)) if current_spec is not None
                                   else t("Nog geen oefening gestart"))
        self.summary.text = t("{v0} deelnemers · {v1} online · {v2} groepen",
            v0=len(state.participants), v1=len(self.online), v2=len(state.groups()))
        self.guide.show(state)
        groups = state.groups()
        if groups != self.rendered_groups or dirty is None:
            if groups != self.rendered_groups:
                self._rebuild_groups(groups)
            self.room.refresh(state)
            dirty = set(groups)
        if self.rendered_kind != (state.current, len(groups)):
            self._round_buttons(current_spec)
        view = host_view(state, only=dirty, lang=t.lang)
        roles = role_labels(state, t) if view.groups else {}
        for group in view.groups:
            html = group_html(group, current_spec, self.online, t, roles)
            if self.rendered_html.get(group.group) != html:
                self.group_cards[group.group].content = html
                self.rendered_html[group.group] = html
        for group in view.groups:
            self.progress[group.group] = group
        strip = progress_strip([self.progress[g] for g in groups if g in self.progress], t)
        if strip != self.rendered_strip:
            self.progress_strip.content = strip
            self.rendered_strip = strip
        self.hotspots.show(hotspots(view, current_spec, t), view, lambda s: spot_label(s, state.template, t))
        self.themes.show_for(current_sliders(state))

    def _round_buttons(self, activity: AnyActivity | None) -> None:
        self.rendered_kind = (self.state.current, len(self.state.groups()))
        rounds = has_rounds(activity)
        for button in self.round_buttons.values():
            button.set_visibility(rounds)

    def _rebuild_groups(self, groups: list[int]) -> None:
        t = self.t
        self.progress = {}
        self.groups_box.clear()
        self.group_cards = {}
        self.round_buttons = {}
        self.rendered_kind = None
        self.rendered_html = {}
        self.rendered_groups = groups
        with self.groups_box:
            for g in groups:
                with ui.card().classes("wp-groupcard").props(f"data-testid=group-{g}"):
                    with ui.row().classes("w-full items-center justify-between"):
                        ui.label(t("Groep {g}", g=g)).classes("text-lg font-bold")
                        with ui.row().classes("gap-1"):
                            self.round_buttons[g] = ui.button(
                                t("Nieuwe ronde"), on_click=lambda g=g: self.next_round(g)
                            ).props(f"data-testid=round-group-{g} dense flat")
                            ui.button(t("Toon"), on_click=lambda g=g: self.reveal_group(g)).props(
                                f"data-testid=reveal-group-{g} dense outline"
                            )
                    self.group_cards[g] = ui.html("", sanitize=False)


async def host_page(code: str, client: Client, t: str = "", lang: str = "") -> None:
    tr = Tr(choose_lang(lang))
    svc = await ready()
    code = normalize_code(code) or ""  # only a room code names a room (and its folders)
    if not t or not code or not await svc.store.check_host(code, t):
        with frame(tr("Geen toegang")):
            error_block(
                tr("Deze pagina is alleen voor de begeleider, met de geheime "
                    "link die je kreeg bij het maken van de sessie.")
            )
            ui.link(tr("Naar de startpagina"), "/")
        return
    await svc.limiter.remember(client_address(client), code)  # the venue's room: its phones are never limited
    page = HostPage(code, tr, t)
    with frame(tr("Begeleider"), wide=True, client=client, lang=tr.lang):
        feed = await svc.hub.attach(code, page)
        if feed is None:
            error_block(tr("Deze sessie bestaat niet meer."))
            return
        page.build(feed)

    async def poll_presence() -> None:
        page.presence(await services().store.online(code))

    await poll_presence()
    ui.timer(5.0, poll_presence)

    async def deleted() -> None:
        await services().hub.detach(code, page)

    client.on_delete(deleted)
