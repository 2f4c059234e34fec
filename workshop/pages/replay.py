"""``/replay/{code}?t=TOKEN``: the facilitator looks back on a session, second by second.

The room at moment t is ``Replay.state_at(t)``: the engine's fold stopped at t, the same code
as the live state. The page shows what the screen showed then, every group's markers and
divergences, and the story of the session up to t.
"""

from __future__ import annotations

from html import escape

from nicegui import Client, ui

from rooms.replay import Replay, clock, describe
from rooms.views import current_activity, host_view
from workshop.components.group_card import group_html
from workshop.components.screen_board import ScreenBoard
from workshop.i18n import Tr
from workshop.layout import choose_lang, error_block, frame
from workshop.services import ready

SPEEDS = {1: "1×", 10: "10×", 60: "60×"}
TICK = 0.25


def elapsed_clock(seconds: int) -> str:
    """Time since the start: "4:05", "1:02:03"."""
    hours, rest = divmod(max(0, seconds), 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


class _Frozen:
    """Stands in for a live feed: the screen board renders whatever state it is given, and its
    timer counts from the replay's moment, not from today's clock."""

    def __init__(self, replay: Replay) -> None:
        self.state = replay.state_after(1)
        self.now: float | None = replay.end


class ReplayPage:
    def __init__(self, code: str, replay: Replay, t: Tr) -> None:
        self.code = code
        self.replay = replay
        self.t = t
        self.now = replay.end  # opens on how the session ended; scrub or play from the start
        self.playing = False
        self.speed = 10
        self.feed = _Frozen(replay)
        self._setting = False
        self._groups_html = ""

    def build(self) -> None:
        t = self.t
        replay = self.replay
        duration = max(1, round(replay.end - replay.start))
        with ui.card().classes("w-full gap-2"):
            with ui.row().classes("w-full items-center gap-3"):
                self.play_button = ui.button(t("Afspelen"), on_click=self.toggle).props(
                    "data-testid=replay-play icon=play_arrow")
                self.speed_select = ui.select(SPEEDS, value=self.speed, label=t("Snelheid"),
                                              on_change=self._speed).props(
                    "data-testid=replay-speed dense outlined").classes("w-32")
                ui.button(icon="first_page", on_click=lambda: self.seek(replay.start)).props(
                    f'data-testid=replay-start flat aria-label="{t("Naar het begin")}"')
                ui.button(icon="chevron_left", on_click=lambda: self.step(-1)).props(
                    f'data-testid=replay-prev flat aria-label="{t("Vorige gebeurtenis")}"')
                ui.button(icon="chevron_right", on_click=lambda: self.step(1)).props(
                    f'data-testid=replay-next flat aria-label="{t("Volgende gebeurtenis")}"')
                ui.button(icon="last_page", on_click=lambda: self.seek(replay.end)).props(
                    f'data-testid=replay-end flat aria-label="{t("Naar het einde")}"')
                self.time_label = ui.label().classes("text-2xl font-bold wp-countdown").props(
                    "data-testid=replay-time")
                self.position_label = ui.label().classes("text-sm wp-muted").props("data-testid=replay-position")
            # the bubble shows the time since the start as a clock (the server sets it with the value)
            self.scrubber = ui.slider(min=0, max=duration, step=1, value=0, on_change=self._scrub).props(
                f'data-testid=replay-scrubber label-always label-value="0:00" '
                f'aria-label="{t("Tijdlijn van de sessie")}"'
            ).classes("w-full")
            with ui.row().classes("w-full gap-1 items-center"):
                ui.label(t("Spring naar:")).classes("text-sm")
                for chapter in replay.chapters():
                    spec = replay.events[0].template.activity(chapter.activity)  # type: ignore[union-attr]
                    title = t.text(spec.title) if spec else chapter.activity
                    ui.button(f"▶ {title}", on_click=lambda c=chapter: self.seek(c.start)).props(
                        f"data-testid=chapter-{chapter.activity}-start dense flat no-caps")
                    ui.button("■", on_click=lambda c=chapter: self.seek(c.end)).props(
                        f'data-testid=chapter-{chapter.activity}-end dense flat '
                        f'aria-label="{t("Einde van")} {escape(title)}"')
        with ui.row().classes("w-full gap-4 items-start no-wrap"):
            with ui.column().classes("grow gap-2"):
                ui.label(t("Wat het scherm toen liet zien")).classes(
                    "text-lg font-bold")
                with ui.element("div").classes("wp-screen w-full rounded").props("data-testid=replay-screen"):
                    self.screen = ScreenBoard(self.code, self.t)
                    self.screen.build(self.feed)
                ui.label(t("Groepen")).classes("text-lg font-bold")
                self.groups = ui.html("", sanitize=False).classes("w-full").props("data-testid=replay-groups")
            with ui.column().classes("w-96 gap-1"):
                ui.label(t("Verloop")).classes("text-lg font-bold")
                self.story = ui.html("", sanitize=False).classes("text-sm w-full").props("data-testid=replay-events")
        self.timer = ui.timer(TICK, self._tick, active=False)
        self.render()

    def _speed(self) -> None:
        self.speed = int(self.speed_select.value or 1)

    def toggle(self) -> None:
        self.playing = not self.playing
        if self.playing and self.now >= self.replay.end:
            self.now = self.replay.start
        self.play_button.text = self.t("Pauze") if self.playing else self.t("Afspelen")
        self.play_button.props(f"icon={'pause' if self.playing else 'play_arrow'}")
        self.timer.active = self.playing

    def _tick(self) -> None:
        if not self.playing:
            return
        self.now = min(self.replay.end, self.now + TICK * self.speed)
        if self.now >= self.replay.end:
            self.toggle()
        self.render()

    def _scrub(self) -> None:
        if self._setting:
            return
        self.now = self.replay.start + float(self.scrubber.value or 0)
        self.render()

    def seek(self, at: float) -> None:
        self.now = max(self.replay.start, min(self.replay.end, at))
        self.render()

    def step(self, direction: int) -> None:
        events = self.replay.events
        index = self.replay.index_at(self.now)  # events[index - 1] is the last one shown
        target = index + direction
        target = max(1, min(len(events), target))
        self.now = events[target - 1].at
        self.render()

    def render(self) -> None:
        t = self.t
        replay = self.replay
        count = replay.index_at(self.now)
        state = replay.state_after(count)
        self.feed.state = state
        self.time_label.text = clock(self.now)
        self.position_label.text = t("gebeurtenis {count} van {v0}", count=count, v0=len(replay.events))
        self._setting = True
        try:
            elapsed = round(self.now - replay.start)
            self.scrubber.value = elapsed
            self.scrubber.props(f'label-value="{elapsed_clock(elapsed)}" '
                                f'aria-valuetext="{elapsed_clock(elapsed)} {t("na het begin")}"')
        finally:
            self._setting = False
        self.feed.now = self.now
        self.screen.flush()
        activity = current_activity(state)
        cards = "".join(
            f'<div class="q-card q-pa-sm" style="min-width:300px"><div class="text-lg font-bold">'
            f'{t("Groep {g_group}", g_group=g.group)}</div>{group_html(g, activity, set(), t)}</div>'
            for g in host_view(state, lang=t.lang).groups
        )
        html = f'<div class="row q-gutter-md">{cards}</div>'
        if html != self._groups_html:
            self.groups.content = html
            self._groups_html = html
        start = max(0, count - 14)
        # names and labels from the room as it is now (people only ever join, labels never change)
        lines = [f"<li>{escape(describe(replay.events[i], state, t.lang))}</li>" for i in range(start, count)]
        self.story.content = f'<ol class="wp-story" start="{start + 1}">{"".join(lines)}</ol>'


async def replay_page(code: str, client: Client, t: str = "", lang: str = "") -> None:
    tr = Tr(choose_lang(lang))
    svc = await ready()
    code = code.upper()
    with frame(tr("Terugkijken · {code}", code=code), wide=True, client=client, lang=tr.lang):
        if not t or not await svc.store.check_host(code, t):
            error_block(tr("Terugkijken kan alleen de begeleider, met de geheime link van de sessie."))
            ui.link(tr("Naar de startpagina"), "/")
            return
        events = [e for _, e in await svc.store.events(code)]
        if not events:
            error_block(tr("Deze sessie bestaat niet (meer)."))
            return
        page = ReplayPage(code, Replay(events), tr)
        page.build()
