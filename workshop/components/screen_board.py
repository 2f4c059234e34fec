"""What the projector shows: the code to join, the counts, the timer, and the current activity's
block (``workshop.kinds``) for the room or for one group. The screen page shows it live; the
replay shows it for the room as it was at a moment."""

from __future__ import annotations

from typing import Protocol

from nicegui import ui

from rooms.events import Event
from rooms.models import RoomState
from rooms.templates import AnyActivity
from rooms.views import ScreenView, current_activity, screen_view
from workshop.components.panels import set_countdown
from workshop.components.spotlight import SpotlightScreen
from workshop.components.themes import ThemeScreen
from workshop.hub import RoomFeed, Throttle
from workshop.i18n import Tr
from workshop.kinds.base import ScreenBlock
from workshop.kinds.registry import screen_block
from workshop.links import join_url, qr_svg_uri, qr_url

PAGE_SECONDS = 10.0  # a large room's groups rotate on the screen, one page at a time


class StateSource(Protocol):
    """Where the board reads the room: a live ``RoomFeed``, or the replay at a moment."""

    state: RoomState


class ScreenBoard:
    participant_id: str | None = None
    connected = True

    def __init__(self, code: str, t: Tr, *, fit: bool = False) -> None:
        """``fit``: the projector's page, one 1080p frame that never scrolls (the replay shows the
        board inside its own page instead)."""
        self.code = code
        self.t = t
        self.fit = fit
        self.page = 0  # which page of groups the screen shows (it pages through large rooms)
        self.pages = 1
        self.feed: StateSource | None = None
        self.throttle = Throttle(self.flush)
        self.rendered_key: tuple[str | None, str] | None = None
        self.block: ScreenBlock | None = None

    def build(self, feed: StateSource) -> None:
        self.feed = feed
        t = self.t
        join = join_url(self.code)
        self.root = ui.column().classes("w-full gap-0" + (" wp-board" if self.fit else ""))
        with self.root:
            self._build_frame(t, join)
        if self.fit:
            ui.timer(PAGE_SECONDS, self.next_page)
        self.flush()

    def next_page(self) -> None:
        if self.pages > 1:
            self.page = (self.page + 1) % self.pages
            self.flush()

    def _build_frame(self, t: Tr, join: str) -> None:
        with ui.row().classes("w-full items-center justify-between px-6 pt-4 no-wrap"):
            with ui.column().classes("gap-1"):
                self.title = ui.label().classes("text-4xl font-bold").props("data-testid=screen-title")
                # what the groups are asked to do, so the room reads it too (two lines at most)
                self.task = ui.label().classes("text-xl wp-task").props("data-testid=screen-task")
            with ui.row().classes("items-center gap-6"):
                with ui.column().classes("items-end gap-0"):
                    ui.label(t("Doe mee met code")).classes("text-xl")
                    ui.label(self.code).classes("wp-code").props("data-testid=screen-code")
                    ui.label(join).classes("text-lg").style("color:#9aa4b2")
                ui.image(qr_svg_uri(qr_url(self.code))).classes("w-36 h-36 rounded").props(
                    f'alt="{t("QR-code om mee te doen")}"'
                )
        with ui.row().classes("w-full items-center justify-between px-6 no-wrap"):
            with ui.row().classes("items-baseline gap-6"):
                self.counts = ui.label().classes("text-2xl").style("color:#9aa4b2").props(
                    "data-testid=screen-counts")
                self.shown_group = ui.label().classes("text-4xl font-bold").props("data-testid=screen-group")
            self.timer = ui.label().classes("wp-countdown font-bold").props("data-testid=screen-timer")
        self.body = ui.column().classes("w-full px-6 pb-4" + (" wp-board-body" if self.fit else ""))

    def on_event(self, event: Event, feed: RoomFeed) -> None:
        self.throttle.poke()

    def on_reloaded(self, feed: RoomFeed) -> None:
        self.throttle.poke()  # the board is drawn from the feed's state, which is now Redis's

    def on_deleted(self) -> None:
        """The room is gone: nothing of it stays on the wall, not even its code to join."""
        self.feed = None
        self.root.clear()
        with self.root:
            ui.label(self.t("Deze sessie is verwijderd.")).classes("text-5xl font-bold p-12").props(
                "data-testid=screen-deleted")

    def flush(self) -> None:
        if self.feed is None:
            return
        t = self.t
        state = self.feed.state
        view = screen_view(state, t.lang, self.page)
        self.page, self.pages = view.page, view.pages
        at = getattr(self.feed, "now", None)  # a replay's moment: the time left then, standing still
        if at is None:
            set_countdown(self.timer, view.timer_ends)
        else:
            left = None if view.timer_ends is None else max(0, round(view.timer_ends - at))
            self.timer.text = "" if left is None or view.timer_ends - at < -60 else (
                f"⏱ {left // 60}:{left % 60:02d}")
        people = t("1 deelnemer") if view.participants == 1 else t(
            "{n} deelnemers", n=view.participants)
        rooms = t("1 groep") if view.groups == 1 else t("{n} groepen", n=view.groups)
        self.counts.text = t("{people} in {groups}", people=people, groups=rooms)
        self.shown_group.text = "" if view.group is None else t("Groep {view_group}", view_group=view.group)
        # the room event this screen shows everything up to (a test or the load harness can tell
        # "not shown yet" from "shown, and nothing visible changed")
        self.counts.props["data-seq"] = state.seq
        spec = current_activity(state)
        self.title.text = t.text(spec.title) if spec else state.title
        self.task.text = t.text(spec.intro) if spec is not None and spec.intro else ""
        key = (view.activity, view.mode)
        if key != self.rendered_key:
            self._rebuild(view, spec)
        if self.block is not None:
            self.block.update(view)

    def _rebuild(self, view: ScreenView, activity: AnyActivity | None) -> None:
        t = self.t
        self.rendered_key = (view.activity, view.mode)
        self.block = None
        self.body.clear()
        with self.body:
            if view.spotlight is not None and self.feed is not None:
                self.block = SpotlightScreen(self.feed.state.template, t)
                return
            if view.theme is not None and self.feed is not None:
                self.block = ThemeScreen(self.feed.state.template, t)
                return
            if view.mode in {"blank", "join"} or activity is None:
                if view.mode == "join" or activity is None:
                    with ui.column().classes("w-full items-center mt-6"):
                        ui.label(t("Pak je telefoon en scan de code")).classes("text-4xl")
                        ui.image(qr_svg_uri(qr_url(self.code))).classes("w-96 h-96 rounded").props(
                            f'alt="{t("QR-code om mee te doen")}"'
                        )
                return
            self.block = screen_block(activity, t)
