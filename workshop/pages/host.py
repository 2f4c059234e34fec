"""``/host/{code}?t=TOKEN``: the facilitator's dashboard."""

from __future__ import annotations

import logging
from html import escape

from nicegui import Client, ui

from rooms.commands import Rejected
from rooms.events import Event, ReasonWritten, SliderPlaced
from rooms.models import RoomState
from rooms.templates import SlidersActivity
from rooms.views import GroupView, current_sliders, host_view
from workshop.hub import RoomFeed, Throttle
from workshop.i18n import Tr
from workshop.layout import error_block, frame
from workshop.links import join_url, qr_svg_uri, screen_url
from workshop.services import ready, services

log = logging.getLogger(__name__)

STATUS_TEXT = {
    None: ("niet gestart", "not started"),
    "open": ("loopt", "running"),
    "locked": ("vergrendeld", "locked"),
}


def group_html(group: GroupView, activity: SlidersActivity | None, online: set[str], t: Tr) -> str:
    people = " · ".join(
        f'<span class="{"wp-online" if m.participant_id in online else "wp-offline"}">'
        f"{'●' if m.participant_id in online else '○'} {escape(m.name)}</span>"
        for m in group.members
    )
    rows = []
    if activity is not None:
        head = "".join(f"<th>{escape(t.text(p.label))}</th>" for p in activity.positions)
        rows.append(f"<tr><th>{t('Schuif', 'Slider')}</th><th>{t('klaar', 'done')}</th>{head}<th></th></tr>")
        for item in activity.items:
            result = group.items.get(item.id)
            markers = group.item_markers.get(item.id, [])
            if result is None:
                continue
            cells = ""
            for p in activity.positions:
                values = ", ".join(f"{escape(m.name[:12])} {m.values[p.id]}" for m in markers if p.id in m.values)
                spread = result.spreads.get(p.id)
                cells += f"<td>{values or '–'}{f' <b>(Δ{spread})</b>' if spread is not None else ''}</td>"
            flag = t("⚠ verschil", "⚠ divergent") if result.divergent else ""
            seen = t("zichtbaar", "visible") if result.revealed else t("verborgen", "hidden")
            rows.append(
                f"<tr><td>{escape(t.text(item.label))}</td><td>{result.placed}/{result.members} · {seen}</td>"
                f'{cells}<td class="text-[#b3261e] font-bold">{flag}</td></tr>'
            )
    table = f'<table class="wp-table text-sm">{"".join(rows)}</table>' if rows else ""
    return f'<div class="text-sm mb-1">{people}</div>{table}'


class HostPage:
    participant_id: str | None = None
    connected = True

    def __init__(self, code: str, t: Tr) -> None:
        self.code = code
        self.t = t
        self.feed: RoomFeed | None = None
        self.online: set[str] = set()
        self.throttle = Throttle(self.flush)
        self.dirty_groups: set[int] | None = None  # None: everything
        self.group_cards: dict[int, ui.html] = {}
        self.rendered_groups: list[int] = []
        self.rendered_html: dict[int, str] = {}
        self.status_labels: dict[str, ui.label] = {}

    @property
    def state(self) -> RoomState:
        assert self.feed is not None
        return self.feed.state

    def build(self, feed: RoomFeed) -> None:
        self.feed = feed
        t = self.t
        state = feed.state
        join = join_url(self.code)
        with ui.row().classes("w-full gap-4 items-stretch"):
            with ui.card().classes("items-center"):
                ui.label(t("Code", "Code")).classes("wp-muted")
                ui.label(self.code).classes("wp-code text-4xl").props("data-testid=room-code")
                ui.image(qr_svg_uri(join)).classes("w-40 h-40").props(
                    f'alt="{t("QR-code om mee te doen", "QR code to join")}"'
                )
                ui.link(join, join, new_tab=True).props("data-testid=join-link").classes("text-sm")
                ui.link(
                    t("Scherm voor de beamer", "Screen for the projector"), screen_url(self.code), new_tab=True
                ).props("data-testid=screen-link")
            with ui.card().classes("grow"):
                ui.label(t("Programma", "Programme")).classes("text-lg font-bold")
                for activity in state.template.activities:
                    with ui.row().classes("w-full items-center justify-between"):
                        ui.label(t.text(activity.title))
                        self.status_labels[activity.id] = (
                            ui.label().classes("text-sm wp-muted").props(f"data-testid=status-{activity.id}")
                        )
                        ui.button(
                            t("Start", "Start"), on_click=lambda a=activity.id: self.run(self.store.start, a)
                        ).props(f"data-testid=start-{activity.id} outline dense")
                with ui.row().classes("gap-2 mt-2"):
                    ui.button(t("Volgende", "Next"), on_click=lambda: self.run(self.store.advance)).props(
                        "data-testid=next-activity"
                    )
                    self.lock_button = ui.button(t("Vergrendel", "Lock"), on_click=self.toggle_lock).props(
                        "data-testid=lock color=orange"
                    )
                    ui.button(t("Toon alle groepen", "Reveal all groups"), on_click=self.reveal_all).props(
                        "data-testid=reveal color=purple"
                    )
            with ui.card():
                ui.label(t("Scherm toont", "Screen shows")).classes("text-lg font-bold")
                self.screen_select = (
                    ui.select(self.screen_options(), value=state.screen, on_change=self.set_screen)
                    .props("data-testid=screen-mode")
                    .classes("w-56")
                )
                ui.label(t("Deelnemer verplaatsen", "Move a participant")).classes("text-lg font-bold mt-2")
                self.move_who = ui.select({}, label=t("Wie", "Who")).classes("w-56").props("data-testid=move-who")
                self.move_to = (
                    ui.select({}, label=t("Naar groep", "To group")).classes("w-56").props("data-testid=move-to")
                )
                ui.button(t("Verplaats", "Move"), on_click=self.move).props("data-testid=move-submit outline")
        self.summary = ui.label().classes("text-base").props("data-testid=summary")
        self.groups_box = ui.row().classes("w-full gap-3 items-start")
        self.flush()

    @property
    def store(self):  # type: ignore[no-untyped-def]
        return services().store

    def screen_options(self) -> dict[str, str]:
        t = self.t
        options = {
            "room": t("De hele zaal", "The whole room"),
            "join": t("Code en QR (meedoen)", "Code and QR (joining)"),
            "blank": t("Niets", "Nothing"),
        }
        for g in self.state.groups():
            options[f"group:{g}"] = t(f"Groep {g}", f"Group {g}")
        return options

    async def run(self, command, *args) -> None:  # type: ignore[no-untyped-def]
        try:
            await command(self.code, *args)
        except Rejected as exc:
            ui.notify(exc.text(self.t.lang), type="warning")

    async def toggle_lock(self) -> None:
        current = self.state.current
        if current is None:
            ui.notify(self.t("Start eerst een oefening.", "Start an exercise first."), type="warning")
            return
        if self.state.status.get(current) == "locked":
            await self.run(self.store.unlock, current)
        else:
            await self.run(self.store.lock, current)

    async def reveal_all(self) -> None:
        if self.state.current is None:
            ui.notify(self.t("Start eerst een oefening.", "Start an exercise first."), type="warning")
            return
        await self.run(self.store.reveal, self.state.current, None)

    async def reveal_group(self, group: int) -> None:
        if self.state.current is not None:
            await self.run(self.store.reveal, self.state.current, group)

    async def set_screen(self) -> None:
        if self.screen_select.value and self.screen_select.value != self.state.screen:
            await self.run(self.store.show_on_screen, self.screen_select.value)

    async def move(self) -> None:
        if not self.move_who.value or not self.move_to.value:
            ui.notify(self.t("Kies wie en welke groep.", "Choose who and which group."), type="warning")
            return
        await self.run(self.store.move_member, self.move_who.value, int(self.move_to.value))

    def on_event(self, event: Event, feed: RoomFeed) -> None:
        if isinstance(event, SliderPlaced | ReasonWritten) and self.dirty_groups is not None:
            actor = feed.state.participants.get(event.participant_id)
            if actor is not None:
                self.dirty_groups.add(actor.group)
        else:
            self.dirty_groups = None
        self.throttle.poke()

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
        activity = current_sliders(state)
        for activity_id, label in self.status_labels.items():
            nl, en = STATUS_TEXT.get(state.status.get(activity_id), STATUS_TEXT[None])
            current = activity_id == state.current
            label.text = t(nl, en) + (t(" · nu", " · now") if current else "")
        locked = activity is not None and state.status.get(activity.id) == "locked"
        self.lock_button.text = t("Ontgrendel", "Unlock") if locked else t("Vergrendel", "Lock")
        self.summary.text = t(
            f"{len(state.participants)} deelnemers · {len(self.online)} online · {len(state.groups())} groepen",
            f"{len(state.participants)} participants · {len(self.online)} online · {len(state.groups())} groups",
        )
        groups = state.groups()
        if groups != self.rendered_groups or dirty is None:
            if groups != self.rendered_groups:
                self._rebuild_groups(groups)
            self.move_who.options = {p.id: p.name for p in sorted(state.participants.values(), key=lambda p: p.number)}
            self.move_who.update()
            self.move_to.options = {
                str(g): t(f"Groep {g}", f"Group {g}") for g in [*groups, max(groups, default=0) + 1]
            }
            self.move_to.update()
            self.screen_select.options = self.screen_options()
            self.screen_select.update()
            if self.screen_select.value != state.screen:
                self.screen_select.value = state.screen
            dirty = set(groups)
        for group in host_view(state, only=dirty).groups:
            html = group_html(group, activity, self.online, t)
            if self.rendered_html.get(group.group) != html:
                self.group_cards[group.group].content = html
                self.rendered_html[group.group] = html

    def _rebuild_groups(self, groups: list[int]) -> None:
        t = self.t
        self.groups_box.clear()
        self.group_cards = {}
        self.rendered_html = {}
        self.rendered_groups = groups
        with self.groups_box:
            for g in groups:
                with ui.card().classes("min-w-[320px]").props(f"data-testid=group-{g}"):
                    with ui.row().classes("w-full items-center justify-between"):
                        ui.label(t(f"Groep {g}", f"Group {g}")).classes("text-lg font-bold")
                        ui.button(t("Toon", "Reveal"), on_click=lambda g=g: self.reveal_group(g)).props(
                            f"data-testid=reveal-group-{g} dense outline"
                        )
                    self.group_cards[g] = ui.html("", sanitize=False)


async def host_page(code: str, client: Client, t: str = "", lang: str = "nl") -> None:
    tr = Tr(lang)
    svc = await ready()
    code = code.upper()
    if not t or not await svc.store.check_host(code, t):
        with frame(tr("Geen toegang", "No access")):
            error_block(
                tr(
                    "Deze pagina is alleen voor de begeleider, met de geheime link die je kreeg "
                    "bij het maken van de sessie.",
                    "This page is for the facilitator only, with the secret link you got when creating the session.",
                )
            )
            ui.link(tr("Naar de startpagina", "To the start page"), "/")
        return
    page = HostPage(code, tr)
    with frame(tr("Begeleider", "Facilitator"), wide=True):
        feed = await svc.hub.attach(code, page)
        if feed is None:
            error_block(tr("Deze sessie bestaat niet meer.", "This session no longer exists."))
            return
        page.build(feed)

    async def poll_presence() -> None:
        page.presence(await services().store.online(code))

    await poll_presence()
    ui.timer(5.0, poll_presence)

    async def deleted() -> None:
        await services().hub.detach(code, page)

    client.on_delete(deleted)
