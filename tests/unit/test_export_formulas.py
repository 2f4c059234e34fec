"""No export cell runs as a formula (issue 14: a participant named ``=HYPERLINK(…)`` or a reason
``=cmd|' /C calc'!A0`` was raw in the CSV and a formula on the XLSX "Deelnemers" sheet)."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook

from rooms import commands, exports
from rooms.exports import FORMULA_START, cell
from rooms.projection import fold
from rooms.templates import load_template
from tests.unit.builders import RoomBuilder

ATTACKS = ['=HYPERLINK("http://evil.example","klik")', "+1+1", "-2+3", "@SUM(A1)", "\t=1+1", "\r=1+1"]


def attacked_room() -> RoomBuilder:
    room = RoomBuilder(load_template())
    people = [room.join(attack) for attack in ATTACKS[:4]]  # a name never starts with tab or CR (clean_name)
    room.start("casus")
    room.emit(commands.write_text(room.state.template, "ABCDEF", people[0], 1, "casus", "omschrijving",
                                  "=cmd|' /C calc'!A0", room.clock))
    room.start("vijf-schuiven")
    room.place(people[1], "proces-bewoners", 0, 100)
    room.reason(people[1], "proces-bewoners", "@SUM(1+1)*cmd|' /C calc'!A0")
    return room


def test_text_that_starts_a_formula_is_neutralised_and_numbers_stay_numbers() -> None:
    for attack in ATTACKS:
        assert cell(attack) == "'" + attack
    assert cell(-5) == -5 and cell(-2.5) == -2.5 and cell(0) == 0
    assert cell("Anna") == "Anna" and cell("") == "" and cell(None) is None
    assert cell("5-2") == "5-2"  # only the first character matters


def written_text(value: object) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_START)


def test_no_csv_cell_starts_a_formula() -> None:
    room = attacked_room()
    state = fold(room.events)
    assert state is not None
    text = exports.to_csv(state).decode("utf-8-sig")
    table = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert not [c for row in table for c in row if written_text(c)]
    flat = [c for row in table for c in row]
    assert "'=cmd|' /C calc'!A0" in flat and "'@SUM(1+1)*cmd|' /C calc'!A0" in flat
    assert "'+1+1" in flat  # the member who placed, by name


@pytest.mark.parametrize("anonymous", [False, True])
def test_no_xlsx_cell_on_any_sheet_is_a_formula(anonymous: bool) -> None:
    room = attacked_room()
    state = fold(room.events)
    assert state is not None
    state.settings["anonymous"] = "1" if anonymous else "0"
    book = load_workbook(io.BytesIO(exports.to_xlsx(state)))
    seen = 0
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for c in row:
                seen += 1
                assert c.data_type != "f", (sheet.title, c.coordinate, c.value)
                assert not written_text(c.value), (sheet.title, c.coordinate, c.value)
    people = [[c.value for c in row] for row in book["Deelnemers"].iter_rows(min_row=2)]
    assert people[0][:3] == [1, "'" + ATTACKS[0], 1]  # the name is text, the number and group numbers
    placed = [[c.value for c in row] for row in book["Vijf schuiven"].iter_rows(min_row=2)]
    assert any(row[5] == 0 for row in placed) and seen > 50  # the value column: a number
