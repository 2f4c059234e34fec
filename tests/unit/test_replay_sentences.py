"""The replay tells what was written in the words of the exercise, not in field names."""

from __future__ import annotations

from rooms import commands
from rooms.replay import describe
from tests.unit.builders import RoomBuilder


def told(room: RoomBuilder, activity: str, field: str, text: str, lang: str = "nl") -> str:
    before = room.state.model_copy(deep=True)
    pid = next(iter(room.state.participants))
    event = commands.write_text(room.state.template, "ABCDEF", pid, 1, activity, field, text, room.clock)
    room.emit(event)
    return describe(event, before, lang).split(" ", 1)[1]


def test_written_texts_are_told_by_what_they_are() -> None:
    from rooms.templates import load_template

    room = RoomBuilder(load_template())
    room.join("Anna")
    assert told(room, "goede-gesprek", "r1-step-waarnemen", "x") == "Anna vinkt aan: Waarnemen zonder oordeel (ronde 1)"
    assert told(room, "goede-gesprek", "r1-step-waarnemen", "") == "Anna vinkt uit: Waarnemen zonder oordeel (ronde 1)"
    assert told(room, "goede-gesprek", "r2-tips", "Rustiger", "en") == "Anna writes tips (round 2)"
    assert told(room, "werkagenda", "action-3-who", "Bram") == "Anna schrijft aan actie 3"
    assert told(room, "koppelkansen", "own-1", "Skatebaan") == "Anna voegt een eigen optie toe: Skatebaan"
    assert told(room, "bouwstenen", "note-2", "Geen budget") == "Anna schrijft kaart 2: Geen budget"
    assert told(room, "casus", "titel", "Buurtkamer").startswith("Anna schrijft in ")
    assert "r1-" not in told(room, "goede-gesprek", "r1-tips", "x")
