"""``/room/{code}``: the participant's phone."""

from __future__ import annotations

import asyncio
import logging

from nicegui import Client, ui

from rooms.commands import Rejected
from rooms.events import Event
from rooms.views import current_sliders, participant_view
from workshop.components.slider_card import SliderCard
from workshop.hub import RoomFeed, Throttle
from workshop.i18n import Tr
from workshop.layout import browser_id, error_block, frame
from workshop.services import ready, services

log = logging.getLogger(__name__)


class PhoneView:
    """Owns the phone's elements and updates them in place as the room changes."""

    def __init__(self, code: str, participant_id: str, t: Tr) -> None:
        self.code = code
        self.participant_id: str | None = participant_id
        self.pid = participant_id
        self.t = t
        self.feed: RoomFeed | None = None
        self.cards: dict[str, SliderCard] = {}
        self.rendered_activity: str | None = "?"
        self.throttle = Throttle(self.flush)
        self.first = True
        self.connected = True
        # One phone's placements must land in the order they were made; superseded ones are skipped.
        self._writes = asyncio.Lock()
        self._latest: dict[tuple[str, str], int] = {}
        self._counter = 0

    def build(self, feed: RoomFeed) -> None:
        self.feed = feed
        with ui.row().classes("w-full items-center justify-between"):
            self.who = ui.label().classes("text-base").props("data-testid=who")
            ui.label(self.code).classes("wp-code wp-muted")
        self.group_line = ui.label().classes("text-sm wp-muted").props("data-testid=group")
        self.notice = ui.label().classes("text-base font-bold").props("data-testid=notice aria-live=polite")
        self.body = ui.column().classes("w-full gap-3")
        self.flush()

    def on_event(self, event: Event, feed: RoomFeed) -> None:
        self.throttle.poke()

    def flush(self) -> None:
        if self.feed is None:
            return
        t = self.t
        state = self.feed.state
        view = participant_view(state, self.pid)
        if view is None:
            self.notice.text = t("Je staat niet (meer) in deze sessie.", "You are not in this session (anymore).")
            return
        self.who.text = view.name
        others = [n for n in view.group_names if n != view.name]
        self.group_line.text = t(f"Groep {view.group}", f"Group {view.group}") + (
            t(" · met ", " · with ") + ", ".join(others)
            if others
            else t(" · nog even wachten op je groep", " · waiting for your group")
        )
        if view.activity != self.rendered_activity:
            self._rebuild(view.activity)
        editable = view.status == "open"
        if view.activity is None:
            self.notice.text = t(
                "Je doet mee. Zodra de begeleider een oefening start, verschijnt die hier.",
                "You're in. As soon as the facilitator starts an exercise, it appears here.",
            )
        elif not editable:
            self.notice.text = t(
                "De begeleider heeft deze oefening vergrendeld: je kunt nu niets meer wijzigen.",
                "The facilitator has locked this exercise: you can no longer change anything.",
            )
        else:
            self.notice.text = ""
        for item in view.items:
            card = self.cards.get(item.id)
            if card is not None:
                card.update(item, editable, self.first)
        self.first = False

    def _rebuild(self, activity_id: str | None) -> None:
        assert self.feed is not None
        self.rendered_activity = activity_id
        self.cards = {}
        self.first = True
        self.body.clear()
        activity = current_sliders(self.feed.state)
        if activity is None:
            return
        t = self.t
        with self.body:
            ui.label(t.text(activity.title)).classes("text-2xl font-bold").props("data-testid=activity-title")
            if activity.intro:
                ui.label(t.text(activity.intro)).classes("text-base")
            for item in activity.items:
                self.cards[item.id] = SliderCard(activity, item, t, self.place, self.write_reason)

    async def place(self, item: str, position: str, value: object) -> None:
        if self.rendered_activity is None:
            return
        self._counter += 1
        mine = self._latest[(item, position)] = self._counter
        async with self._writes:
            if self._latest.get((item, position)) != mine:
                return  # a newer value for this slider is already queued
            try:
                await services().store.place(self.code, self.pid, self.rendered_activity, item, position, value)
            except Rejected as exc:
                ui.notify(exc.text(self.t.lang), type="negative")
                card = self.cards.get(item)
                if card is not None and self.feed is not None:
                    placed = self.feed.state.placements.get(self.rendered_activity, {}).get(item, {})
                    card.put_back(position, placed.get(self.pid, {}).get(position))

    async def write_reason(self, item: str, text: str) -> None:
        if self.rendered_activity is None:
            return
        async with self._writes:
            try:
                await services().store.write_reason(self.code, self.pid, self.rendered_activity, item, text)
            except Rejected as exc:
                ui.notify(exc.text(self.t.lang), type="negative")


async def participant_page(code: str, client: Client, lang: str = "nl") -> None:
    t = Tr(lang)
    svc = await ready()
    code = code.upper()
    pid = await svc.store.participant_for_browser(code, browser_id())
    if pid is None:
        if await svc.store.exists(code):
            ui.navigate.to(f"/?code={code}" + ("&lang=en" if t.lang == "en" else ""))
            return
        with frame(t("Sessie niet gevonden", "Session not found")):
            error_block(
                t(
                    "Deze sessie bestaat niet (meer). Vraag de begeleider om de code.",
                    "This session does not exist (anymore). Ask the facilitator for the code.",
                )
            )
            ui.link(t("Naar de startpagina", "To the start page"), "/")
        return
    view = PhoneView(code, pid, t)
    with frame(t(f"Sessie {code}", f"Session {code}")):
        feed = await svc.hub.attach(code, view)
        if feed is None:
            error_block(t("Deze sessie bestaat niet meer.", "This session no longer exists."))
            return
        view.build(feed)
    await svc.store.touch(code, [pid])

    async def gone() -> None:
        view.connected = False
        await services().store.gone(code, pid)

    async def back() -> None:
        view.connected = True
        await services().store.touch(code, [pid])

    async def deleted() -> None:
        await services().hub.detach(code, view)

    client.on_disconnect(gone)
    client.on_connect(back)
    client.on_delete(deleted)
