"""The competence game's joint pass on the phones (NiceGUI's User fixture): once a card is
revealed, two members settle it together and the third sees the decision at once."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from nicegui.testing import User

from tests.helpers import eventually
from tests.ui.simulate import act
from tests.ui.test_programme import has, shows, text_of, trio


async def test_two_members_settle_a_card_and_the_third_sees_it(create_user: Callable[[], User]) -> None:
    _, (anna, bram, cem) = await trio(create_user, "competentiespel")
    act(anna, "assign-member-2").click()  # on their own first: Anna gives it to Bram
    act(bram, "assign-member-3").click()  # Bram to Cem
    await eventually(lambda: "2 van 3" in text_of(cem, "card-status"), what="two of three chose")
    assert not has(cem, "card-joint-box")  # nothing to settle before the choices are shown
    act(cem, "assign-member-2").click()
    for user in (anna, bram, cem):
        await eventually(partial(has, user, "card-joint-box"), what="the joint pass opens")
    assert "Nog niet samen vastgesteld" in text_of(cem, "card-joint")
    act(anna, "settle-member-2").click()  # together: Bram ...
    await eventually(partial(shows, bram, "card-joint", "Samen vastgesteld: Bram"), what="Bram sees Anna's")
    act(bram, "settle-member-3").click()  # ... and Cem
    await eventually(partial(shows, cem, "card-joint", "Samen vastgesteld: Bram, Cem (ik)"),
                     what="Cem sees the decision")
    assert "Anna" in text_of(cem, "card-result")  # beside the members' own votes
    await eventually(partial(shows, anna, "cards-overview", "samen: Bram, Cem"), what="in the overview")
    assert "Cem</b>: Enthousiasmeren" in text_of(anna, "cards-overview")  # the team profile follows it


async def test_a_phone_that_settled_shows_a_later_decision_of_a_colleague(create_user: Callable[[], User]) -> None:
    """Two members settle the same card at once: each phone ends with the group's decision (the last
    write), not with what it tapped itself (its own tap is pending only until the room answers)."""
    _, (anna, bram, cem) = await trio(create_user, "competentiespel")
    for user, target in ((anna, "assign-member-2"), (bram, "assign-member-3"), (cem, "assign-member-2")):
        act(user, target).click()
    for user in (anna, bram, cem):
        await eventually(partial(has, user, "card-joint-box"), what="the joint pass opens")
    act(anna, "settle-member-2").click()  # Anna: Bram; at the same moment Bram: Cem
    act(bram, "settle-member-3").click()
    await eventually(partial(shows, cem, "card-joint", "Samen vastgesteld: "), what="a decision reaches Cem")
    def decisions() -> set[str]:
        return {text_of(user, "card-joint").replace(" (ik)", "") for user in (anna, bram, cem)}

    await eventually(lambda: len(decisions()) == 1, what="one decision on every phone")
