"""What a member writes on their phone becomes the event that says what it is."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rooms import commands
from rooms.events import (
    ActionWritten,
    Event,
    NoteWritten,
    OwnOptionNamed,
    StepTicked,
    TextWritten,
    TipsWritten,
    decode,
    encode,
    text_event,
    text_place,
)
from rooms.templates import load_template

TEMPLATE = load_template()


@pytest.mark.parametrize(
    ("activity", "field", "text", "expected"),
    [
        ("casus", "titel", "De skatebaan", TextWritten(code="C", at=1, actor="p", participant_id="p",
                                                       activity="casus", owner="g2", field="titel",
                                                       text="De skatebaan")),
        ("bouwstenen", "acties", "Bellen", TextWritten(code="C", at=1, actor="p", participant_id="p",
                                                      activity="bouwstenen", owner="g2", field="acties",
                                                      text="Bellen")),
        ("bouwstenen", "note-3", "Geld", NoteWritten(code="C", at=1, actor="p", participant_id="p",
                                                     activity="bouwstenen", group=2, note=3, text="Geld")),
        ("koppelkansen", "own-1", "Skatebaan", OwnOptionNamed(code="C", at=1, actor="p", participant_id="p",
                                                              activity="koppelkansen", group=2, option=1,
                                                              text="Skatebaan")),
        ("werkagenda", "action-12-when", "maart", ActionWritten(code="C", at=1, actor="p", participant_id="p",
                                                                activity="werkagenda", group=2, action=12,
                                                                part="when", text="maart")),
        ("goede-gesprek", "r2-step-verzoek", "x", StepTicked(code="C", at=1, actor="p", participant_id="p",
                                                             activity="goede-gesprek", group=2, round=2,
                                                             step="verzoek", ticked=True)),
        ("goede-gesprek", "r2-step-verzoek", "", StepTicked(code="C", at=1, actor="p", participant_id="p",
                                                            activity="goede-gesprek", group=2, round=2,
                                                            step="verzoek", ticked=False)),
        ("goede-gesprek", "r1-tips", "Vraag door", TipsWritten(code="C", at=1, actor="p", participant_id="p",
                                                               activity="goede-gesprek", group=2, round=1,
                                                               text="Vraag door")),
    ],
)
def test_a_written_field_becomes_its_typed_event_kept_under_the_same_name(
    activity: str, field: str, text: str, expected: Event
) -> None:
    event = commands.write_text(TEMPLATE, "C", "p", 2, activity, field, text, 1.0)
    assert event == expected
    assert text_place(event) == ("g2", field, text)
    assert decode(encode(event)) == event


def test_an_old_text_event_reads_as_its_typed_event() -> None:
    old = TextWritten(code="C", at=1, actor="p", participant_id="p", activity="goede-gesprek", owner="g4",
                      field="r3-step-waarnemen", text="x")
    assert decode(encode(old), 7) == StepTicked(code="C", at=1, actor="p", seq=7, participant_id="p",
                                                activity="goede-gesprek", group=4, round=3, step="waarnemen",
                                                ticked=True)
    mine = old.model_copy(update={"owner": "p"})  # a member's own text is never a group's note or tick
    assert decode(encode(mine)) == mine


@given(
    owner=st.sampled_from(["g1", "g12", "g0", "4f2a", "g"]),
    field=st.from_regex(r"(note|own|action|r|x)-?[0-9]{0,3}(-(step-[a-z0-9-]{1,4}|tips|what|who|nope))?",
                        fullmatch=True),
    text=st.sampled_from(["", "x", "v", "Een tekst"]),
)
def test_the_typed_event_is_kept_exactly_where_the_text_was_written(owner: str, field: str, text: str) -> None:
    written = TextWritten(code="C", at=1, actor="p", participant_id="p", activity="a", owner=owner, field=field,
                          text=text)
    assert text_place(text_event(written)) == (owner, field, text)
