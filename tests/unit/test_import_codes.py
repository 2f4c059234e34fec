"""A crafted export cannot name a folder: the room code in a file is a room code or it is refused
(issue 14 found `..` imported, its host page served, and "delete" remove the whole data folder)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from rooms import commands, exports, jobs
from rooms.exports import ImportError_
from rooms.templates import load_template
from tests.unit.builders import RoomBuilder


def exported(code: str, other: str | None = None) -> bytes:
    room = RoomBuilder(load_template())
    room.join("Anna")
    document = json.loads(exports.render(room.events, "json"))
    for index, event in enumerate(document["events"]):
        event["code"] = other if other is not None and index > 0 else code
    return json.dumps(document).encode()


@pytest.mark.parametrize("code", ["..", "../../victim", "abcdef", "ABCDEF/..", "ABCDEFG", ""])
def test_an_export_whose_code_is_no_room_code_is_refused(code: str) -> None:
    with pytest.raises(ImportError_, match="not a room code"):
        exports.from_json(exported(code))


def test_an_export_with_events_of_two_rooms_is_refused() -> None:
    with pytest.raises(ImportError_, match="more than one room"):
        exports.from_json(exported("ABCDEF", other="XYZ234"))
    assert exports.from_json(exported("ABCDEF"))[0].code == "ABCDEF"  # a real one still imports


@pytest.mark.parametrize("code", ["..", "../x", "ABC/EF"])
def test_no_folder_or_file_is_named_by_anything_but_a_room_code(code: str) -> None:
    with pytest.raises(ValueError):
        jobs.exports_dir(code)
    with pytest.raises(ValueError):
        jobs.archive_path(code)


# -- the whole log is checked as strictly as live commands (issue 14: 200k-char names, value -999999) --


def session_document() -> dict[str, Any]:
    """A small live-made room as its JSON export: Anna and Bram, a case text, sliders and a reason."""
    room = RoomBuilder(load_template())
    anna, bram = room.join("Anna"), room.join("Bram")
    room.start("casus")
    room.emit(commands.write_text(room.state.template, "ABCDEF", anna, 1, "casus", "titel", "Skatebaan", room.clock))
    room.start("vijf-schuiven")
    room.place(anna, "proces-bewoners", 20, 80)
    room.reason(bram, "proces-bewoners", "Te traag")
    document: dict[str, Any] = json.loads(exports.render(room.events, "json"))
    return document


def first(document: dict[str, Any], kind: str) -> dict[str, Any]:
    event: dict[str, Any] = next(e for e in document["events"] if e["type"] == kind)
    return event


def refused(document: dict[str, Any]) -> ImportError_:
    with pytest.raises(ImportError_) as info:
        exports.from_json(json.dumps(document))
    error = info.value
    # one line, Dutch first, the English from the catalogue
    assert "\n" not in error.nl and "\n" not in error.en and error.nl != error.en
    return error


def test_a_live_made_room_imports_as_it_was() -> None:
    document = session_document()
    assert len(exports.from_json(json.dumps(document))) == len(document["events"])


def test_a_name_longer_than_a_live_join_allows_is_refused() -> None:
    document = session_document()
    first(document, "participant-joined")["name"] = "A" * 200_000
    error = refused(document)
    assert "participant-joined" in error.en and "te lang" in error.nl


@pytest.mark.parametrize("name", ["", "  Anna", "An\x00na", "Bram"])
def test_an_empty_unclean_or_taken_name_is_refused(name: str) -> None:
    document = session_document()
    first(document, "participant-joined")["name"] = name
    refused(document)


@pytest.mark.parametrize("value", [-999999, 101, 1e9])
def test_a_slider_value_out_of_range_is_refused(value: float) -> None:
    document = session_document()
    first(document, "slider-placed")["value"] = value
    error = refused(document)
    assert "slider-placed" in error.en


def test_a_text_longer_than_its_field_is_refused() -> None:
    document = session_document()
    first(document, "text-written")["text"] = "x" * 121  # the case's title holds 120
    assert "120" in refused(document).nl
    document = session_document()
    first(document, "reason-written")["text"] = "x" * 200_000
    refused(document)


def test_a_title_longer_than_a_live_room_allows_is_refused() -> None:
    document = session_document()
    document["events"][0]["title"] = "T" * 200_000
    refused(document)


@pytest.mark.parametrize(("kind", "field", "value"), [
    ("slider-placed", "item", "no-such-slider"),
    ("slider-placed", "participant_id", "stranger"),
    ("activity-started", "activity", "no-such-activity"),
    ("participant-joined", "group", 9),
    ("participant-joined", "number", 7),
    ("participant-joined", "participant_id", "../x"),
    ("reason-written", "actor", "host"),
])
def test_an_event_no_live_command_could_write_is_refused(kind: str, field: str, value: object) -> None:
    document = session_document()
    first(document, kind)[field] = value
    refused(document)


def test_events_out_of_order_are_refused() -> None:
    document = session_document()  # a placement before the room was even created
    document["events"].insert(0, document["events"].pop(-1))
    refused(document)
    document = session_document()  # a placement before its activity was started
    events = document["events"]
    start = events.index(first(document, "activity-started"))
    placed = events.index(first(document, "slider-placed"))
    events.insert(start, events.pop(placed))
    refused(document)
    document = session_document()  # time running backwards by an hour
    document["events"][-1]["at"] = document["events"][0]["at"] - 3600
    assert "in de tijd" in refused(document).nl
    document = session_document()  # a second creation of the room
    document["events"].append(document["events"][0])
    refused(document)


def test_no_path_leaves_the_data_folder(tmp_path: Path) -> None:
    (tmp_path / "exports").mkdir()
    (tmp_path / "exports" / "ABCDEF").symlink_to(tmp_path.parent)  # a link planted inside the data folder
    with pytest.raises(ValueError, match="outside the data folder"):
        jobs.exports_dir("ABCDEF", tmp_path)
    assert jobs.archive_path("ABCDEF", tmp_path) == (tmp_path / "archive" / "ABCDEF.json").resolve()
