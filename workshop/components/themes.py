"""Themes of a slider's reasons (``rooms.themes``): on the host page a list per slider, each
theme with its key phrases and the reasons it groups, to rename, merge or put on the screen; on
the screen one theme with its reasons, without names. An aid, never a verdict: every theme
shows what it groups."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from html import escape

from nicegui import run, ui

from rooms.kinds import registry
from rooms.models import RoomState
from rooms.templates import SlidersActivity, Template
from rooms.themes import OTHER, Theme, screen_mode, warm
from rooms.views import ScreenView, themes_of
from workshop.i18n import Tr

Run = Callable[..., Awaitable[None]]


def theme_title(theme: Theme, t: Tr) -> str:
    return theme.label or (t("Overig") if theme.key == OTHER else theme.key)


class ThemesPanel:
    """The host's themes: pick a slider, find its themes, rename, merge, show one on the screen."""

    def __init__(self, t: Tr, state: Callable[[], RoomState], store: Callable[[], object], run_command: Run,
                 code: str) -> None:
        self.t = t
        self.state = state
        self.store = store
        self.run = run_command
        self.code = code
        self.activity: SlidersActivity | None = None
        self.found: list[Theme] = []
        with ui.card().classes("w-full gap-2") as self.card:
            with ui.row().classes("w-full items-center gap-2"):
                ui.label(t("Thema's in de toelichtingen")).classes("text-lg font-bold")
                self.item = ui.select({}, label=t("Schuif")).classes("w-64").props(
                    "data-testid=themes-item dense outlined")
                ui.button(t("Thema's zoeken"), on_click=self.find).props("data-testid=themes-find outline")
            ui.label(t("Een hulpmiddel, geen oordeel: elk thema toont de toelichtingen die het bundelt. "
                       "Alleen toelichtingen die de groep al ziet tellen mee.")).classes("text-sm wp-muted")
            self.list = ui.column().classes("w-full gap-2").props("data-testid=themes")
        self.card.set_visibility(False)
        ui.timer(0.1, lambda: run.io_bound(warm), once=True)  # the dictionaries load once, off the loop

    def show_for(self, activity: SlidersActivity | None) -> None:
        """The current activity's sliders (hidden when it has no reasons)."""
        visible = activity is not None and activity.reason
        self.card.set_visibility(bool(visible))
        if activity is None or activity is self.activity:
            return
        self.activity = activity
        self.item.options = {i.id: self.t.text(i.label) for i in activity.items}
        self.item.value = activity.items[0].id if activity.items else None
        self.item.update()
        self.found = []
        self.list.clear()

    async def find(self) -> None:
        if self.activity is None or not self.item.value:
            return
        self.found = themes_of(self.state(), self.activity.id, str(self.item.value), self.t.lang)
        self.render()

    def render(self) -> None:
        t = self.t
        self.list.clear()
        with self.list:
            if not self.found:
                ui.label(t("Nog geen toelichtingen die de groepen zien.")).props("data-testid=themes-empty")
                return
            others = {th.key: theme_title(th, t) for th in self.found}
            for theme in self.found:
                with ui.element("div").classes("w-full wp-theme").props(f"data-testid=theme-{theme.key}"):
                    title = theme_title(theme, t)
                    count = t("{n} toelichtingen", n=len(theme.reasons))
                    ui.html(f'<div class="font-bold text-base">{escape(title)} <span class="wp-muted">· {count}'
                            f'</span></div><div class="text-sm wp-muted">{escape(", ".join(theme.phrases))}</div>',
                            sanitize=False)
                    said = "".join(f"<li>{escape(t('Groep {group}', group=r.group))} · <b>{escape(r.name)}</b>: "
                                   f"{escape(r.text)}</li>" for r in theme.reasons)
                    ui.html(f'<details class="wp-details text-sm"><summary>{escape(t("Toelichtingen"))}</summary>'
                            f'<ul class="wp-reasons">{said}</ul></details>', sanitize=False)
                    with ui.row().classes("items-center gap-2"):
                        name = ui.input(t("Nieuwe naam"), value=theme.label).props(
                            f"dense outlined data-testid=theme-label-{theme.key}").classes("w-56")
                        ui.button(t("Hernoem"), on_click=lambda th=theme, n=name: self.rename(th, n.value)).props(
                            f"outline data-testid=theme-rename-{theme.key}")
                        choices = {k: v for k, v in others.items() if k != theme.key}
                        if choices:
                            ui.select(choices, label=t("Samenvoegen met"),
                                      on_change=lambda e, th=theme: self.merge(th, e.value)).props(
                                f"dense outlined data-testid=theme-merge-{theme.key}").classes("w-56")
                        ui.button(t("Op het scherm"), icon="cast",
                                  on_click=lambda th=theme: self.put_on_screen(th)).props(
                            f"unelevated color=primary data-testid=theme-show-{theme.key}")

    async def rename(self, theme: Theme, label: object) -> None:
        assert self.activity is not None
        await self.run(self._store().edit_theme, self.activity.id, str(self.item.value), theme.key, label=label)
        await self.find()

    async def merge(self, theme: Theme, into: object) -> None:
        if self.activity is None or not into:
            return
        await self.run(self._store().edit_theme, self.activity.id, str(self.item.value), theme.key, into=into)
        await self.find()

    async def put_on_screen(self, theme: Theme) -> None:
        assert self.activity is not None
        await self.run(self._store().show_on_screen, screen_mode(self.activity.id, str(self.item.value), theme.key))

    def _store(self):  # type: ignore[no-untyped-def]
        return self.store()


class ThemeScreen:
    """The screen's block while the host shows a theme: its name, key phrases and reasons."""

    def __init__(self, template: Template, t: Tr) -> None:
        self.template = template
        self.t = t
        self.rendered = ""
        self.box = ui.html("", sanitize=False).classes("wp-spot w-full").props("data-testid=screen-theme")

    def update(self, view: ScreenView) -> None:
        t = self.t
        shown = view.theme
        html = ""
        if shown is not None:
            spec = self.template.activity(shown.activity)
            sliders = registry.kind_of(spec).sliders(spec) if spec is not None else None
            item = sliders.item(shown.item) if sliders is not None else None
            head = escape(t.text(item.label)) if item is not None else ""
            if shown.theme is None:
                gone = escape(t("Dit thema is er niet meer."))
                html = f'<h2 class="wp-spot-title">{head}</h2><div class="text-3xl">{gone}</div>'
            else:
                theme = shown.theme
                said = "".join(f'<li><span class="wp-why">{escape(r.text)}</span></li>' for r in theme.reasons)
                html = (f'<h2 class="wp-spot-title">{head} · {escape(theme_title(theme, t))}</h2>'
                        f'<div class="text-2xl" style="color:#c9d1d9">{escape(", ".join(theme.phrases))}</div>'
                        f'<ul class="wp-reasons">{said}</ul>')
        if html != self.rendered:
            self.box.content = html
            self.rendered = html
