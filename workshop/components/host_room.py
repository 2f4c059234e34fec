"""The host page's first column: how people join (QR code, code, links), what the screen shows and
in which language the phones start, and moving people between groups (by hand or mixed by role)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from nicegui import ui

from rooms.models import RoomState
from rooms.spotlight import parse as parse_spot
from rooms.themes import parse_mode as parse_theme
from workshop.components.mix_groups import MixGroups
from workshop.components.spotlight import spot_label
from workshop.i18n import Tr
from workshop.links import qr_svg_uri, qr_url, screen_url
from workshop.services import services


class RoomPanel:
    def __init__(self, code: str, t: Tr, join: str, state: RoomState, current: Callable[[], RoomState],
                 run: Callable[..., Awaitable[None]]) -> None:
        self.code = code
        self.t = t
        self._current = current
        self.run = run
        self._build(t, join, state)

    @property
    def state(self) -> RoomState:
        return self._current()

    @property
    def store(self) -> Any:
        return services().store

    def _build(self, t: Tr, join: str, state: RoomState) -> None:
        with ui.card().classes("w-full items-center gap-1"):
            with ui.row().classes("items-center gap-3 no-wrap"):
                ui.image(qr_svg_uri(qr_url(self.code))).classes("w-24 h-24").props(
                    f'alt="{t("QR-code om mee te doen")}"'
                )
                with ui.column().classes("gap-0"):
                    ui.label(t("Code")).classes("wp-muted text-sm")
                    ui.label(self.code).classes("wp-code text-3xl").props("data-testid=room-code")
            ui.link(join, join, new_tab=True).props("data-testid=join-link").classes("text-sm")
            with ui.row().classes("gap-3"):
                ui.link(
                    t("Scherm voor de beamer"), screen_url(self.code), new_tab=True
                ).props("data-testid=screen-link")
                ui.link(t("Handout om te printen"), f"/handout/{self.code}", new_tab=True).props(
                    "data-testid=handout-link")
        with ui.card().classes("w-full gap-1"):
            ui.label(t("Scherm toont")).classes("text-lg font-bold")
            self.screen_select = (
                ui.select(self.screen_options(), value=state.screen, on_change=self.set_screen)
                .props("data-testid=screen-mode dense outlined")
                .classes("w-full")
            )
            ui.label(t("Taal voor deelnemers")).classes("text-sm font-bold mt-1")
            self.room_lang = ui.select(
                {"nl": "Nederlands", "en": "English"}, value=state.settings.get("lang", "nl"),
                on_change=self.set_room_lang,
            ).props(f'data-testid=room-language dense outlined aria-label="{t("Taal voor deelnemers")}"').classes(
                "w-full")
            ui.label(t("Ieder kan zelf wisselen.")).classes("text-xs wp-muted")
        with ui.card().classes("w-full gap-1"):
            ui.label(t("Deelnemer verplaatsen")).classes("text-lg font-bold")
            self.move_who = ui.select({}, label=t("Wie")).classes("w-full").props("data-testid=move-who dense")
            self.move_to = ui.select({}, label=t("Naar groep")).classes("w-full").props("data-testid=move-to dense")
            ui.button(t("Verplaats"), on_click=self.move).props("data-testid=move-submit outline dense")
            MixGroups(self.code, t, lambda: self.state)

    def screen_options(self) -> dict[str, str]:
        t = self.t
        options = {
            "room": t("De hele zaal"),
            "join": t("Code en QR (meedoen)"),
            "blank": t("Niets"),
        }
        for g in self.state.groups():
            options[f"group:{g}"] = t("Groep {g}", g=g)
        spot = parse_spot(self.state.screen)
        if spot is not None:  # put there from a hotspot
            options[self.state.screen] = t("Uitgelicht: {spot}", spot=spot_label(spot, self.state.template, t))
        theme = parse_theme(self.state.screen)
        if theme is not None:  # put there from the themes
            options[self.state.screen] = t("Thema: {key}", key=theme[2])
        return options

    async def set_room_lang(self) -> None:
        value = self.room_lang.value
        if value and value != self.state.settings.get("lang", "nl"):
            await self.run(self.store.set_setting, "lang", value)

    async def set_screen(self) -> None:
        if self.screen_select.value and self.screen_select.value != self.state.screen:
            await self.run(self.store.show_on_screen, self.screen_select.value)

    async def move(self) -> None:
        if not self.move_who.value or not self.move_to.value:
            ui.notify(self.t("Kies wie en welke groep."), type="warning")
            return
        await self.run(self.store.move_member, self.move_who.value, int(self.move_to.value))

    def refresh(self, state: RoomState) -> None:
        """The choices that follow the room: who can be moved, to which group, what the screen can show."""
        t = self.t
        groups = state.groups()
        self.move_who.options = {p.id: p.name for p in sorted(state.participants.values(), key=lambda p: p.number)}
        self.move_who.update()
        self.move_to.options = {str(g): t("Groep {g}", g=g) for g in [*groups, max(groups, default=0) + 1]}
        self.move_to.update()
        self.screen_select.options = self.screen_options()
        self.screen_select.update()
        if self.screen_select.value != state.screen:
            self.screen_select.value = state.screen
