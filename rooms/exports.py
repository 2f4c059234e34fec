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
import time
import unicodedata
from collections.abc import Sequence
from typing import Any

from rooms import aggregates, gate, imports
from rooms.events import EVENT_ADAPTER, Event, ParticipantJoined
from rooms.gate import anonymous_name
from rooms.i18n import translate
from rooms.imports import ImportError_
from rooms.kinds import registry
from rooms.models import RoomState
from rooms.projection import fold
from rooms.templates import SlidersActivity

FORMATS = ("json", "csv", "xlsx", "pdf")
JSON_FORMAT = "werkplaats-room"
JSON_VERSION = 1
COLUMNS = ["activity", "activity_title", "group", "member", "item", "item_label", "position", "value", "text"]


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
    """One row per member × activity × item × position (and per group for shared texts)."""
    out: list[dict[str, Any]] = []
    for activity in state.template.activities:
        title = activity.title.get(lang)

        def row(group: int, member: str, item: str, label: str, position: str, value: Any, text: str = "",
                _activity: str = activity.id, _title: str = title) -> None:
            out.append({"activity": _activity, "activity_title": _title, "group": group, "member": member,
                        "item": item, "item_label": label, "position": position, "value": value, "text": text})

        registry.kind_of(activity).export_rows(state, activity, lang, row)
    return out


def to_csv(state: RoomState, lang: str = "nl") -> bytes:
    """CSV with a BOM and semicolons, so Excel in a Dutch locale opens it as columns."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(cells(COLUMNS))
    writer.writerows(cells([r[c] for c in COLUMNS]) for r in rows(state, lang))
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
    from openpyxl import Workbook

    workbook = Workbook()
    people = workbook.active
    assert people is not None
    used: set[str] = set()
    people.title = _sheet_name("Deelnemers", used)
    people.append(cells(["number", "name", "group"]))
    for p in sorted(state.participants.values(), key=lambda p: p.number):
        people.append(cells([p.number, p.name, p.group]))
    by_activity: dict[str, list[dict[str, Any]]] = {}
    for r in rows(state, lang):
        by_activity.setdefault(r["activity"], []).append(r)
    for activity in state.template.activities:
        sheet = workbook.create_sheet(_sheet_name(activity.id, used))
        sheet.append(cells(COLUMNS))
        for r in by_activity.get(activity.id, []):
            sheet.append(cells([r[c] for c in COLUMNS]))
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


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


class _Pdf:
    def __init__(self, title: str) -> None:
        from fpdf import FPDF

        self.pdf = FPDF(format="A4")
        self.pdf.core_fonts_encoding = "windows-1252"
        self.pdf.set_title(pdf_text(title))
        self.pdf.set_author("Werkplaats")
        self.pdf.set_auto_page_break(True, margin=15)

    def page(self) -> None:
        self.pdf.add_page()

    def heading(self, text: str, size: int = 16) -> None:
        self.pdf.set_font("Helvetica", "B", size)
        self.pdf.multi_cell(0, size * 0.5, pdf_text(text), new_x="LMARGIN", new_y="NEXT")
        self.pdf.ln(1)

    def para(self, text: str, size: int = 10, bold: bool = False) -> None:
        self.pdf.set_font("Helvetica", "B" if bold else "", size)
        self.pdf.multi_cell(0, size * 0.5, pdf_text(text), new_x="LMARGIN", new_y="NEXT")

    def console(self, activity: SlidersActivity, values: dict[str, dict[str, list[int]]], lang: str) -> None:
        """The mixing console: per slider a fader with the spread as a band and the mean as a knob."""
        pdf = self.pdf
        n = len(activity.items)
        width = (pdf.w - pdf.l_margin - pdf.r_margin) / max(n, 1)
        height = 55.0
        if pdf.get_y() + height + 25 > pdf.h - pdf.b_margin:
            pdf.add_page()
        top = pdf.get_y() + 2
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
                pdf.set_font("Helvetica", "B", 7)
                pdf.set_text_color(r, g, b)
                pdf.text(x - 9 + p_index * 11, top + height + 4, f"{round(mean)}")
            pdf.set_text_color(0, 0, 0)
            pdf.set_font("Helvetica", "", 7)
            pdf.set_xy(x - width / 2 + 1, top + height + 6)
            pdf.multi_cell(width - 2, 3, pdf_text(item.label.get(lang)), align="C")
        pdf.set_y(top + height + 20)
        legend = " / ".join(pdf_text(p.label.get(lang)) for p in activity.positions)
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


def file_name(code: str, fmt: str, group: int | None = None) -> str:
    return f"werkplaats-{code}" + (f"-groep-{group}" if group is not None else "") + f".{fmt}"


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


__all__ = ["FORMATS", "ImportError_", "from_json", "render", "rows", "to_csv", "to_json", "to_pdf", "to_xlsx"]
