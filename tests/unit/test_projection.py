from rooms.events import decode, encode
from rooms.projection import fold
from rooms.templates import Template
from tests.unit.builders import RoomBuilder


def test_fold_rebuilds_the_state_from_its_events(template: Template) -> None:
    room = RoomBuilder(template)
    for name in ["Anna", "Bram", "Cem", "Dirk"]:
        room.join(name)
    room.start("vijf-schuiven")
    room.place("p1", "communicatie", 10, 90)
    room.reason("p1", "communicatie", "Geen plan per wijk")
    room.reason("p1", "communicatie", "")
    room.reason("p2", "communicatie", "Te weinig tijd")
    assert fold(room.events) == room.state


def test_events_survive_a_round_trip_through_json(template: Template) -> None:
    room = RoomBuilder(template)
    room.join("Anna")
    room.start("vijf-schuiven")
    room.place("p1", "communicatie", 10, 90)
    decoded = [decode(encode(e), e.seq) for e in room.events]
    assert decoded == room.events
    assert fold(decoded) == room.state


def test_fold_until_stops_in_time(template: Template) -> None:
    room = RoomBuilder(template)
    room.join("Anna")
    room.start("vijf-schuiven")
    room.place("p1", "communicatie", 10, 90)
    cut = room.events[2].at
    earlier = fold(room.events, until=cut)
    assert earlier is not None
    assert earlier.current == "vijf-schuiven"
    assert earlier.placements == {}
