"""Exports of a room: JSON (the event log and the final state, re-importable), CSV and XLSX
(one row per member × activity × item × position), and a PDF report for the room or one group.

Pure functions of the events and the state: the RQ jobs (``rooms.jobs``) and the CLI call them.
With the room setting ``anonymous`` every name becomes "Deelnemer N" (N: the join number);
what people typed in free text is exported as typed.
"""

from __future__ import annotations

import csv
import io
import json
import re
import time
import unicodedata
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from rooms import aggregates, gate, imports
from rooms.events import EVENT_ADAPTER, Event, ParticipantJoined
from rooms.gate import anonymous_name
from rooms.i18n import translate
from rooms.imports import ImportError_
from rooms.kinds import registry
from rooms.kinds.sliders import move_lines, reason_lines
from rooms.models import RoomState
from rooms.projection import fold
from rooms.templates import AnyActivity, SlidersActivity

FORMATS = ("json", "csv", "xlsx", "pdf")
JSON_FORMAT = "werkplaats-room"
JSON_VERSION = 1
# what each row knows (ids included, for code); the files people open show labels only
COLUMNS = ["activity", "activity_title", "group", "member", "item", "item_label", "position", "value", "text"]
SHOWN = ["activity_title", "group", "member", "item_label", "position_label", "value", "text"]
HEADERS = {"activity_title": "Oefening", "group": "Groep", "member": "Deelnemer", "item_label": "Onderdeel",
           "position_label": "Stand", "value": "Waarde", "text": "Tekst"}
WIDTHS = {"activity_title": 22, "group": 8, "member": 18, "item_label": 40, "position_label": 20, "value": 22,
          "text": 70}
_ROUND = re.compile(r"^(?P<position>[a-z0-9-]+) \(ronde (?P<round>[0-9]+)\)$")


def anonymize(events: Sequence[Event]) -> list[Event]:
    """The same events with every participant's name replaced by "Deelnemer N"."""
    return [
        e.model_copy(update={"name": anonymous_name(e.number)}) if isinstance(e, ParticipantJoined) else e
        for e in events
    ]


def prepared(events: Sequence[Event]) -> tuple[list[Event], RoomState]:
    """The events and final state as they are exported (anonymized when the room says so)."""
    state = fold(events)
    if state is None:
        raise ValueError("no events")
    if state.anonymous:
        events = anonymize(events)
    return list(events), gate.visible(state, gate.Export(names=not state.anonymous))


# -- JSON -------------------------------------------------------------------------------------------


def to_json(events: Sequence[Event]) -> bytes:
    events, state = prepared(events)
    document = {
        "format": JSON_FORMAT,
        "version": JSON_VERSION,
        "code": state.code,
        "exported_at": time.time(),
        "events": [e.model_dump(mode="json") for e in events],
        "state": state.model_dump(mode="json"),
    }
    return json.dumps(document, ensure_ascii=False, indent=1).encode("utf-8")


def from_json(raw: bytes | str) -> list[Event]:
    """The events of a JSON export, checked as strictly as live commands (``rooms.imports``);
    raises ImportError_ with the reason."""
    try:
        document = json.loads(raw)
    except (ValueError, UnicodeDecodeError, RecursionError):
        raise ImportError_("import-json", "Dit is geen JSON-bestand.") from None
    if not isinstance(document, dict) or document.get("format") != JSON_FORMAT:
        raise ImportError_("import-format", "Dit is geen export van een Werkplaats-sessie (het veld format ontbreekt).")
    if document.get("version") != JSON_VERSION:
        raise ImportError_("import-version", "Deze versie van de export kennen we niet: {version}.",
                           version=repr(document.get("version"))[:20])
    items = document.get("events")
    if not isinstance(items, list) or not items:
        raise ImportError_("import-empty", "Er staan geen gebeurtenissen in deze export.")
    events: list[Event] = []
    for index, item in enumerate(items):
        try:
            events.append(EVENT_ADAPTER.validate_python(item))
        except ValueError as exc:
            why = str(exc).splitlines()[1:3] if "\n" in str(exc) else [str(exc)]
            raise ImportError_("import-event", "Gebeurtenis {number} kunnen we niet lezen: {why}", number=index,
                               why=" ".join(line.strip() for line in why)[:200]) from None
    imports.check(events)
    return events


# -- rows (CSV, XLSX) -------------------------------------------------------------------------------

# What a spreadsheet reads as the start of a formula (OWASP's CSV injection: = + - @, tab, CR).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def cell(value: Any) -> Any:
    """One cell as every spreadsheet writer stores it: text that a spreadsheet would run as a
    formula gets a leading single quote (it shows, and stays, text); numbers stay numbers
    (a negative number is a number, not text)."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def cells(values: Sequence[Any]) -> list[Any]:
    """A row of cells (``cell`` each): the only way a CSV or XLSX row is written."""
    return [cell(v) for v in values]



def rows(state: RoomState, lang: str = "nl") -> list[dict[str, Any]]:
    """One row per member × activity × item × position (and per group for shared texts).

    Each row has the ids (``activity``, ``item``, ``position``) and their words (``activity_title``,
    ``item_label``, ``position_label``): a written field's id becomes its name through its kind."""
    out: list[dict[str, Any]] = []
    for activity in state.template.activities:
        title = activity.title.get(lang)
        kind = registry.kind_of(activity)
        sliders = kind.sliders(activity)
        positions = {p.id: p.label.get(lang) for p in sliders.positions} if sliders is not None else {}

        def row(group: int, member: str, item: str, label: str, position: str, value: Any, text: str = "",
                _activity: AnyActivity = activity, _title: str = title, _positions: dict[str, str] = positions,
                ) -> None:
            if not label and item:
                label = registry.kind_of(_activity).field_label(_activity, item, lang) or item
            out.append({"activity": _activity.id, "activity_title": _title, "group": group, "member": member,
                        "item": item, "item_label": label, "position": position,
                        "position_label": _position_label(position, _positions, lang), "value": value,
                        "text": text})

        kind.export_rows(state, activity, lang, row)
    return out


def _position_label(position: str, positions: dict[str, str], lang: str) -> str:
    """A row's position in words: a slider's position label (of an earlier round too), else what
    the row's value means ("gegeven aan", "gekozen")."""
    if position in positions:
        return positions[position]
    earlier = _ROUND.match(position)
    if earlier and earlier["position"] in positions:
        return translate(lang, "{position} (ronde {round})", position=positions[earlier["position"]],
                         round=earlier["round"])
    words = {"target": translate(lang, "gegeven aan"), "linked": translate(lang, "ingedeeld bij"),
             "chosen": translate(lang, "gekozen"), "joint": translate(lang, "samen vastgesteld")}
    return words.get(position, position)


def headers(lang: str) -> list[str]:
    return [translate(lang, HEADERS[c]) for c in SHOWN]


def to_csv(state: RoomState, lang: str = "nl") -> bytes:
    """CSV with a BOM and semicolons, so Excel in a Dutch locale opens it as columns; headers and
    cells in words (the JSON export has the ids)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(cells(headers(lang)))
    writer.writerows(cells([r[c] for c in SHOWN]) for r in rows(state, lang))
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _sheet_name(text: str, used: set[str]) -> str:
    name = "".join(ch for ch in text if ch not in "[]:*?/\\")[:31] or "blad"
    base, n = name, 2
    while name in used:
        suffix = f" {n}"
        name = base[: 31 - len(suffix)] + suffix
        n += 1
    used.add(name)
    return name


def to_xlsx(state: RoomState, lang: str = "nl") -> bytes:
    """A sheet of participants, then a sheet per exercise named by its title, with headers and
    cells in words, widths to read them by and long texts wrapped."""
    from openpyxl import Workbook

    workbook = Workbook()
    people = workbook.active
    assert people is not None
    used: set[str] = set()
    people.title = _sheet_name(translate(lang, "Deelnemers"), used)
    people.append(cells([translate(lang, "Nummer"), translate(lang, "Naam"), translate(lang, "Groep"),
                         translate(lang, "Rol")]))
    roles = {r.id: r.label.get(lang) for r in state.template.roles}
    for p in sorted(state.participants.values(), key=lambda p: p.number):
        people.append(cells([p.number, p.name, p.group, roles.get(p.role, p.role) if p.role else ""]))
    _layout(people, [10, 30, 8, 18])
    by_activity: dict[str, list[dict[str, Any]]] = {}
    for r in rows(state, lang):
        by_activity.setdefault(r["activity"], []).append(r)
    for activity in state.template.activities:
        sheet = workbook.create_sheet(_sheet_name(activity.title.get(lang), used))
        sheet.append(cells(headers(lang)))
        for r in by_activity.get(activity.id, []):
            sheet.append(cells([r[c] for c in SHOWN]))
        _layout(sheet, [WIDTHS[c] for c in SHOWN], wrap=SHOWN.index("text") + 1)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _layout(sheet: Any, widths: list[int], wrap: int | None = None) -> None:
    """Bold, frozen headers; column widths to read by; long texts wrapped in their column."""
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    if wrap is not None:
        for (cell,) in sheet.iter_rows(min_row=2, min_col=wrap, max_col=wrap):
            cell.alignment = Alignment(wrap_text=True, vertical="top")


# -- PDF --------------------------------------------------------------------------------------------

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


def file_name(code: str, fmt: str, group: int | None = None, anonymous: bool = False) -> str:
    """The export's file: an anonymised one never takes the place (nor the address) of a named one."""
    return (f"werkplaats-{code}" + (f"-groep-{group}" if group is not None else "")
            + ("-anoniem" if anonymous else "") + f".{fmt}")


def is_anonymous(events: Sequence[Event]) -> bool:
    state = fold(events)
    return state is not None and state.anonymous


def render(events: Sequence[Event], fmt: str, group: int | None = None, lang: str = "nl") -> bytes:
    """One export of a room's events in ``fmt`` (json, csv, xlsx, pdf)."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}")
    if fmt == "json":
        return to_json(events)
    _, state = prepared(events)
    if group is not None and group not in state.groups():
        raise ValueError(f"group {group} does not exist")
    if fmt == "csv":
        return to_csv(state, lang)
    if fmt == "xlsx":
        return to_xlsx(state, lang)
    return to_pdf(state, group, lang)


__all__ = ["FORMATS", "ImportError_", "file_name", "from_json", "is_anonymous", "render", "rows", "to_csv", "to_json",
           "to_pdf", "to_xlsx"]
