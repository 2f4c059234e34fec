"""A result told in lines of text (the engine's summaries): how every kind but sliders shows on
the host's group cards and on the screen."""

from __future__ import annotations

from html import escape

from nicegui import ui

from rooms.views import GroupView, ScreenView
from workshop.i18n import Tr


def group_lines_html(group: GroupView) -> str:
    """A group's summary lines, for its card on the host page (nothing while it has none)."""
    if not group.lines:
        return ""
    lines = "".join(f"<li>{escape(line)}</li>" for line in group.lines)
    return f'<ul class="text-sm">{lines}</ul>'


class LinesScreen:
    """The screen's block: the room's lines, then a card per group with what it revealed."""

    def __init__(self, t: Tr) -> None:
        self.t = t
        self.rendered: dict[str, str] = {}
        self.lines = ui.html("", sanitize=False).classes("wp-lines w-full").props("data-testid=screen-lines")
        self.groups = ui.html("", sanitize=False).classes("wp-groups w-full mt-4").props(
            "data-testid=screen-groups")

    def update(self, view: ScreenView) -> None:
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
