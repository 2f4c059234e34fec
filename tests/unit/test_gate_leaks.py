"""The three leaks the gate was built to close, as a new user found them: one member acting alone
in an incomplete trio, and a text a member writes for themselves."""

from __future__ import annotations

from rooms import commands
from rooms.templates import Template, TextActivity, TextField, load_template
from rooms.templates import Text as Label
from rooms.views import participant_view, screen_view
from tests.unit.builders import RoomBuilder


def trio(template: Template | None = None) -> tuple[RoomBuilder, str, str, str]:
    room = RoomBuilder(template or load_template())
    return room, room.join("Anna"), room.join("Bram"), room.join("Cem")


def agenda_text(room: RoomBuilder, pid: str) -> str:
    room.start("werkagenda")
    view = participant_view(room.state, pid)
    assert view is not None and view.agenda is not None
    fields = " ".join(text for text, _ in view.agenda.fields.values())
    return fields + " " + " ".join(f"{name}: {strengths}" for name, strengths in view.agenda.suggestions)


def test_one_members_sliders_do_not_reach_the_others_agenda() -> None:
    room, anna, bram, cem = trio()
    room.start("vijf-schuiven")
    room.place(anna, "proces-bewoners", 13, 97)
    for other in (bram, cem):
        assert "13" not in agenda_text(room, other) and "97" not in agenda_text(room, other)
    assert "Proces met bewoners" not in agenda_text(room, anna)  # not revealed: not the group's result yet
    room.place(bram, "proces-bewoners", 20, 80)
    room.place(cem, "proces-bewoners", 30, 70)
    assert "Proces met bewoners: nu 21 → beoogd 82" in agenda_text(room, bram)  # revealed: the group's


def test_one_members_choice_and_cards_do_not_reach_the_others_agenda() -> None:
    room, anna, bram, cem = trio()
    template = room.state.template
    room.start("koppelkansen")
    room.emit(commands.choose(template, "ABCDEF", anna, "koppelkansen", ["klimaatadaptatie"], room.clock))
    room.start("competentiespel")
    room.emit(commands.assign(template, "ABCDEF", anna, "competentiespel", "lef", [bram], room.clock, {bram}))
    for other in (bram, cem):
        text = agenda_text(room, other)
        assert "Klimaatadaptatie" not in text and "Lef" not in text
    room.emit(commands.assign(template, "ABCDEF", bram, "competentiespel", "lef", [bram], room.clock, {bram}))
    room.emit(commands.assign(template, "ABCDEF", cem, "competentiespel", "lef", [bram], room.clock, {bram}))
    assert "Bram: Lef" in agenda_text(room, cem)  # every member gave the card: the group's result


def test_a_text_for_oneself_never_reaches_the_screen() -> None:
    base = load_template()
    own = TextActivity(id="voor-jezelf", title=Label(nl="Voor jezelf"), scope="member",
                       fields=[TextField(id="notitie", label=Label(nl="Notitie"))])
    template = Template.model_validate({**base.model_dump(), "activities": [*base.activities, own]})
    room, anna, bram, _cem = trio(template)
    room.start("voor-jezelf")
    room.emit(commands.write_text(template, "ABCDEF", anna, 1, "voor-jezelf", "notitie", "Mijn geheime twijfel",
                                  room.clock))
    for mode in ("room", "group:1"):
        room.emit(commands.show_on_screen(room.state, mode, room.clock))
        assert "geheime twijfel" not in screen_view(room.state).model_dump_json()
    assert "geheime twijfel" not in participant_view(room.state, bram).model_dump_json()  # type: ignore[union-attr]
    assert participant_view(room.state, anna).texts == {"notitie": "Mijn geheime twijfel"}  # type: ignore[union-attr]


def test_a_past_round_shows_only_what_was_revealed_when_it_ended() -> None:
    for mode, others in (("host", (50, 50)), ("when-complete", None)):
        room, anna, bram, cem = trio()
        room.start("vijf-schuiven")
        room.emit(commands.set_reveal_mode(room.state, "vijf-schuiven", mode, room.clock))
        room.place(anna, "proces-bewoners", 13, 97)
        for member in (bram, cem):  # in host mode everyone placed; else the others only "now"
            room.place(member, "proces-bewoners", 40, others[1] if others else None)
        room.emit(commands.start_round(room.state, "vijf-schuiven", 1, "host", room.clock))
        view = participant_view(room.state, bram)
        assert view is not None
        assert "proces-bewoners" not in view.round_changes, mode  # no spread of Anna's hidden 13 → 97
        assert "97" not in view.model_dump_json(), mode
