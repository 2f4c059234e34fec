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


def bars_html(bars: list[tuple[str, int, int]], t: Tr) -> str:
    """The room's result as a bar chart: a label, a bar, the number large."""
    rows = []
    for label, value, of in bars:
        width = 0 if of <= 0 else round(100 * value / of)
        rows.append(f'<div class="wp-bar" role="img" aria-label="{escape(label)}: {value}">'
                    f'<span class="name">{escape(label)}</span>'
                    f'<span class="track"><span class="fill" style="display:block;width:{width}%"></span></span>'
                    f'<span class="n">{value}</span></div>')
    one = " one" if len(bars) <= 4 else ""
    return f'<div class="wp-bars{one}">{"".join(rows)}</div>'


MATRIX_ROWS = 14  # what fits under the screen's header at 1080p, with the numbers large


def matrix_html(matrix: tuple[list[str], list[tuple[str, list[int]]]], t: Tr) -> str:
    """A heatmap of a group's result (cards × members, items × bins): the darker, the more
    members chose it; the number in the cell."""
    columns, rows = matrix
    if not rows:
        return f'<div class="wp-included">{t("nog niets te zien")}</div>'
    most = max((max(counts, default=0) for _, counts in rows), default=0) or 1
    head = "".join(f"<th>{escape(c)}</th>" for c in columns)
    body = []
    for label, counts in rows[:MATRIX_ROWS]:
        cells = "".join(
            f'<td style="background:rgba(90,169,255,{0.12 + 0.88 * n / most:.2f})">{n or ""}</td>' for n in counts)
        body.append(f'<tr><th class="label">{escape(label)}</th>{cells}</tr>')
    more = len(rows) - MATRIX_ROWS
    tail = f'<div class="wp-included">{t("en nog {n} meer", n=more)}</div>' if more > 0 else ""
    return f'<table class="wp-matrix" role="table"><tr><th></th>{head}</tr>{"".join(body)}</table>{tail}'


class LinesScreen:
    """The screen's block: the room's result (a chart where the kind has one, else its lines), then
    a card per group of the page shown, each cut to what fits; large rooms page through groups."""

    def __init__(self, t: Tr) -> None:
        self.t = t
        self.rendered: dict[str, str] = {}
        self.lines = ui.html("", sanitize=False).classes("wp-lines w-full").props("data-testid=screen-lines")
        self.pager = ui.label().classes("wp-pager").props("data-testid=screen-pager")
        self.groups = ui.html("", sanitize=False).classes("wp-groups w-full").props(
            "data-testid=screen-groups")

    def update(self, view: ScreenView) -> None:
        t = self.t
        if view.group is not None and view.matrix is not None:
            lines = ""  # one group on the screen: its picture takes the room's place
        elif view.bars:
            lines = bars_html(view.bars[:10], t)
        else:
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
        if view.matrix is not None and view.group is not None:  # one group: its result as a picture
            cards.insert(0, f'<div class="wp-group wp-matrix-box">{matrix_html(view.matrix, t)}</div>')
        count = len(cards)
        columns = 1 if count <= 1 else 2 if count <= 4 else 4
        rows = max(1, -(-count // columns))
        html = "".join(cards)
        style = f"grid-template-columns:repeat({columns},minmax(0,1fr));grid-template-rows:repeat({rows},minmax(0,1fr))"
        if self.rendered.get("style") != style:
            self.groups.style(replace=style)
            self.rendered["style"] = style
        if self.rendered.get("groups") != html:
            self.groups.content = html
            self.rendered["groups"] = html
        pager = ""
        if view.pages > 1 and view.group is None:
            pager = t("Groepen {first} tot {last} van {total} · wisselt vanzelf",
                      first=min(view.group_lines, default=0), last=max(view.group_lines, default=0),
                      total=view.groups)
        self.pager.text = pager
