"""Exports people can use (issue 18): words, not ids; the agenda as it reads; a font with every
character; named and anonymised files apart."""

from __future__ import annotations

import csv
import io
import re

from openpyxl import load_workbook
from pypdf import PdfReader

from rooms import exports
from rooms.store import RoomStore
from rooms.templates import Template
from tests.helpers import all_events
from tests.programme_seed import fill


async def whole_programme(store: RoomStore, template: Template) -> str:
    code, _ = await store.create_room(template)
    for name in ("Anna", "Bram", "Cem", "Dirk", "Eva", "Fatima"):
        await store.join(code, name)
    for activity in template.activities:
        await store.start(code, activity.id)
        await fill(store, code, activity.id)
    return code


def internal_ids(template: Template) -> re.Pattern[str]:
    """Every id a person should never read in a cell: activities, items, fields, cards, slots."""
    ids: set[str] = set()
    for activity in template.activities:
        ids.add(activity.id)
        for attr in ("items", "fields", "deck", "categories", "options", "steps", "bins"):
            ids.update(x.id for x in getattr(activity, attr, None) or [])
    ids -= {"titel", "zin", "nu"}  # plain Dutch words that are ids too
    slots = r"action-\d+-\w+|r\d+-(?:step-[\w-]+|tips)|own-\d+|note-\d+"
    return re.compile(r"^(?:" + "|".join(re.escape(i) for i in sorted(ids)) + "|" + slots + r")$")


async def test_the_excel_export_speaks_dutch_in_words(store: RoomStore, template: Template) -> None:
    code = await whole_programme(store, template)
    events = await all_events(store, code)
    book = load_workbook(io.BytesIO(exports.render(events, "xlsx", lang="nl")))
    assert book.sheetnames[:2] == ["Deelnemers", "Casus"] and "Lokale werkagenda" in book.sheetnames
    ids = internal_ids(template)
    for sheet in book.worksheets:
        header = [c.value for c in sheet[1]]
        assert "Oefening" in header or "Naam" in header, header
        for row in sheet.iter_rows(min_row=1, values_only=True):
            for value in row:
                assert not (isinstance(value, str) and ids.match(value)), f"{sheet.title}: an id in a cell: {value!r}"
    agenda = [row for row in book["Lokale werkagenda"].iter_rows(min_row=2, values_only=True)]
    # the description the agenda takes from the case, never written in the agenda itself
    assert any(r[1:5] == (1, None, "Omschrijving van de situatie", "voorgevuld")
               and "Groep 1: ideeën van inwoners lopen vast" in r[6] for r in agenda)
    assert any(r[3] == "Actie 1 · wat" and r[6] == "Spreekuur in het dorpshuis" for r in agenda)
    practice = [row for row in book["Het goede gesprek"].iter_rows(min_row=2, values_only=True)]
    assert any(r[3] == "Ronde 1 · Waarnemen zonder oordeel" and r[5] == "afgevinkt" for r in practice)
    sheet = book["Vijf schuiven"]
    assert sheet.column_dimensions["G"].width >= 60 and sheet.column_dimensions["D"].width >= 30
    assert sheet.freeze_panes == "A2"


async def test_csv_in_the_hosts_language_and_files_apart(store: RoomStore, template: Template) -> None:
    code = await whole_programme(store, template)
    events = await all_events(store, code)
    english = list(csv.reader(io.StringIO(exports.render(events, "csv", lang="en").decode("utf-8-sig")),
                              delimiter=";"))
    assert english[0] == ["Exercise", "Group", "Participant", "Part", "Position", "Value", "Text"]
    assert any(r[0] == "Five sliders" and r[4] == "Current situation" for r in english)
    named = exports.file_name(code, "csv", anonymous=exports.is_anonymous(events))
    await store.set_setting(code, "anonymous", True)
    anonymous = exports.file_name(code, "csv", anonymous=exports.is_anonymous(await all_events(store, code)))
    assert named != anonymous and anonymous.endswith("-anoniem.csv")


async def test_the_pdf_has_every_glyph_and_the_conversation(store: RoomStore, template: Template) -> None:
    code = await whole_programme(store, template)
    events = await all_events(store, code)
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(exports.render(events, "pdf", group=1))).pages)
    assert "Pionier ↔ doordenker" in text  # not "Pionier ? doordenker"
    assert "Doordenker" in text and "Pionier" in text  # the poles of the chart
    assert "Meer doorvragen, minder oordelen" in text and "✓ Waarnemen zonder oordeel" in text
