"""The PDF report of a room or one group: the sliders as the mixing console with their divergences
and the words behind them, every other exercise's result, and the local work agenda (a part of
``rooms.exports``)."""

from __future__ import annotations

import time
import unicodedata
from pathlib import Path

from rooms import aggregates
from rooms.i18n import translate
from rooms.kinds import registry
from rooms.kinds.sliders import move_lines, reason_lines
from rooms.models import RoomState
from rooms.templates import SlidersActivity

# -- text the font can show ---------------------------------------------------------------------

_REPLACE = {"→": "->", "⚠": "!", "✓": "v", "≤": "<=", "≥": ">=", "Δ": "d", "…": "...", "\u00a0": " "}


def pdf_text(text: str) -> str:
    """Text the PDF's built-in font can show (Windows-1252): other characters are transliterated."""
    out = []
    for ch in text:
        ch = _REPLACE.get(ch, ch)
        try:
            ch.encode("cp1252")
            out.append(ch)
        except UnicodeEncodeError:
            plain = unicodedata.normalize("NFKD", ch).encode("ascii", "ignore").decode()
            out.append(plain or "?")
    return "".join(out)


FONTS = Path(__file__).resolve().parent.parent / "assets" / "fonts"


def _same(text: str) -> str:
    return text


class _Pdf:
    def __init__(self, title: str) -> None:
        from fpdf import FPDF

        self.pdf = FPDF(format="A4")
        # DejaVu Sans has every character the app shows (↔ → ⚠ ✓ and names from anywhere); without
        # the files, the built-in font and transliteration
        regular, bold = FONTS / "DejaVuSans.ttf", FONTS / "DejaVuSans-Bold.ttf"
        if regular.is_file() and bold.is_file():
            self.pdf.add_font("DejaVu", "", str(regular))
            self.pdf.add_font("DejaVu", "B", str(bold))
            self.family, self.clean = "DejaVu", _same
        else:
            self.pdf.core_fonts_encoding = "windows-1252"
            self.family, self.clean = "Helvetica", pdf_text
        self.pdf.set_title(self.clean(title))
        self.pdf.set_author("Werkplaats")
        self.pdf.set_auto_page_break(True, margin=15)

    def page(self) -> None:
        self.pdf.add_page()

    def font(self, size: float, bold: bool = False) -> None:
        self.pdf.set_font(self.family, "B" if bold else "", size)

    def heading(self, text: str, size: int = 16) -> None:
        # a heading never ends a page: keep room for it and a few lines after it
        if self.pdf.get_y() + size * 0.5 + 25 > self.pdf.h - self.pdf.b_margin:
            self.pdf.add_page()
        self.font(size, bold=True)
        self.pdf.multi_cell(0, size * 0.5, self.clean(text), new_x="LMARGIN", new_y="NEXT")
        self.pdf.ln(1)

    def para(self, text: str, size: int = 10, bold: bool = False) -> None:
        self.font(size, bold)
        self.pdf.multi_cell(0, size * 0.5, self.clean(text), new_x="LMARGIN", new_y="NEXT")

    def console(self, activity: SlidersActivity, values: dict[str, dict[str, list[int]]], lang: str) -> None:
        """The mixing console: per slider a fader with the spread as a band and the mean as a knob."""
        pdf = self.pdf
        n = len(activity.items)
        width = (pdf.w - pdf.l_margin - pdf.r_margin) / max(n, 1)
        height = 55.0
        if pdf.get_y() + height + 25 > pdf.h - pdf.b_margin:
            pdf.add_page()
        top = pdf.get_y() + 6  # room for the upper pole's name
        colours = [(11, 92, 173), (27, 127, 59), (120, 120, 120)]
        for index, item in enumerate(activity.items):
            x = pdf.l_margin + index * width + width / 2
            pdf.set_draw_color(200, 200, 200)
            pdf.set_fill_color(235, 238, 242)
            pdf.rect(x - 4, top, 8, height, style="F")
            for p_index, position in enumerate(activity.positions):
                vals = values.get(item.id, {}).get(position.id, [])
                if not vals:
                    continue
                r, g, b = colours[p_index % len(colours)]
                pdf.set_fill_color(r, g, b)
                offset = -2 if p_index == 0 else 2
                low, high = min(vals), max(vals)
                y_high = top + height * (1 - high / 100)
                pdf.rect(x + offset - 1, y_high, 2, max(height * (high - low) / 100, 0.6), style="F")
                mean = sum(vals) / len(vals)
                pdf.rect(x - 6 + (0 if p_index == 0 else 6), top + height * (1 - mean / 100) - 1, 6, 2, style="F")
                self.font(7, bold=True)
                pdf.set_text_color(r, g, b)
                pdf.text(x - 9 + p_index * 11, top + height + 4, f"{round(mean)}")
            pdf.set_text_color(90, 90, 90)
            self.font(6)  # the poles: which end is which
            top_pole = item.high.get(lang) if item.high else "100"
            bottom_pole = item.low.get(lang) if item.low else "0"
            pdf.set_xy(x - width / 2 + 1, top - 5)
            pdf.cell(width - 2, 3, self.clean(top_pole), align="C")
            pdf.set_xy(x - width / 2 + 1, top + height + 5)
            pdf.cell(width - 2, 3, self.clean(bottom_pole), align="C")
            pdf.set_text_color(0, 0, 0)
            self.font(7, bold=True)
            pdf.set_xy(x - width / 2 + 1, top + height + 9)
            pdf.multi_cell(width - 2, 3, self.clean(item.label.get(lang)), align="C")
        pdf.set_y(top + height + 23)
        legend = " / ".join(p.label.get(lang) for p in activity.positions)
        self.para(translate(lang, "Balk: van laagste tot hoogste; streep: gemiddelde. {legend}", legend=legend), 8)

    def bytes(self) -> bytes:
        return bytes(self.pdf.output())


def _slider_values(state: RoomState, activity: SlidersActivity, groups: list[int]) -> dict[str, dict[str, list[int]]]:
    values: dict[str, dict[str, list[int]]] = {}
    for item in activity.items:
        for group in groups:
            for m in state.members(group):
                if aggregates.has_placed(state, activity, item.id, m.id):
                    mine = aggregates.positions_of(state, activity.id, item.id, m.id)
                    for position, value in mine.items():
                        values.setdefault(item.id, {}).setdefault(position, []).append(value)
    return values


def to_pdf(state: RoomState, group: int | None = None, lang: str = "nl") -> bytes:
    """A report for the room (all groups) or for one group: sliders as the mixing console,
    divergences, the other exercises' results, and the local work agenda."""
    groups = state.groups() if group is None else [group]
    doc = _Pdf(f"Werkplaats {state.code}")
    doc.page()
    doc.heading(state.title, 18)
    when = time.strftime("%d-%m-%Y", time.localtime(state.created_at))
    people, teams = len(state.participants), len(state.groups())
    doc.para(translate(lang, "Sessie {code} · {date} · {people} deelnemers in {groups} groepen", code=state.code,
                       date=when, people=people, groups=teams))
    if group is not None:
        names = ", ".join(m.name for m in state.members(group))
        doc.heading(translate(lang, "Groep {group}: {names}", group=group, names=names), 13)
    for activity in state.template.activities:
        if activity.id not in state.started_at:
            continue
        doc.pdf.ln(3)
        doc.heading(activity.title.get(lang), 13)
        kind = registry.kind_of(activity)
        console = kind.sliders(activity) if kind.console else None
        if console is not None:
            doc.console(console, _slider_values(state, console, groups), lang)
            for g in groups:
                for item in console.items:
                    result = aggregates.group_item(state, console, item.id, g)
                    if result.divergent:
                        doc.para(translate(lang, "Groep {group}: ver uiteen bij {item} (verschil {spread})", group=g,
                                           item=item.label.get(lang), spread=result.max_spread), 9)
            for g in groups:  # the why beside the positions
                said = move_lines(state, console, g, lang) + reason_lines(state, console, g, lang)
                if said and group is None:
                    doc.para(translate(lang, "Groep {group}", group=g), 10, bold=True)
                for line in said:
                    doc.para(line, 9)
            if group is None:
                continue
        elif group is None:
            for line in kind.room_lines(state, activity, lang):
                doc.para(line, 10)
        for g in groups:
            lines = kind.report(state, activity, g, lang)
            if lines:
                if group is None:
                    doc.para(translate(lang, "Groep {group}", group=g), 10, bold=True)
                for line in lines:
                    doc.para(line, 9)
    return doc.bytes()
