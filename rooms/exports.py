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
from collections.abc import Sequence
from typing import Any

from rooms import gate, imports
from rooms.events import EVENT_ADAPTER, Event, ParticipantJoined
from rooms.gate import anonymous_name
from rooms.i18n import translate
from rooms.imports import ImportError_
from rooms.kinds import registry
from rooms.models import RoomState
from rooms.projection import fold
from rooms.report_pdf import pdf_text, to_pdf
from rooms.templates import AnyActivity

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


__all__ = ["FORMATS", "ImportError_", "file_name", "from_json", "is_anonymous", "pdf_text", "render", "rows", "to_csv",
           "to_json", "to_pdf", "to_xlsx"]
