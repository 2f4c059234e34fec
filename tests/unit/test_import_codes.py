"""A crafted export cannot name a folder: the room code in a file is a room code or it is refused
(issue 14 found `..` imported, its host page served, and "delete" remove the whole data folder)."""

from __future__ import annotations

import json

import pytest

from rooms import exports, jobs
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
