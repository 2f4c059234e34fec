"""Roles and trios mixed by role (issue 17), against a real Redis."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rooms import mixing
from rooms.commands import Rejected
from rooms.projection import fold
from rooms.store import RoomStore
from rooms.templates import Template, load_template
from tests.helpers import all_events
from tests.unit.builders import RoomBuilder

TEMPLATE = load_template()


async def test_twelve_joined_department_by_department_are_mixed_on_confirmation(
    store: RoomStore, template: Template
) -> None:
    """All of the neighbourhood team joins first, then the social, then the physical domain: trios in
    join order are one role each; after "mix by role" every trio has at least two roles."""
    code, _ = await store.create_room(template)
    roles = ["wijk"] * 6 + ["sociaal"] * 3 + ["fysiek"] * 3
    people = [await store.join(code, f"P{i}", role=role) for i, role in enumerate(roles)]
    before = await store.load(code)
    assert before is not None
    assert [len({m.role for m in before.members(g)}) for g in before.groups()] == [1, 1, 1, 1]

    proposal = mixing.propose(before)
    assert await store.load(code) == before  # a proposal changes nothing
    moves = await store.mix_by_role(code)
    after = await store.load(code)
    assert after is not None
    assert {p.id: p.group for p in after.participants.values()} == proposal
    assert len(moves) == sum(before.participants[pid].group != g for pid, g in proposal.items())
    for group in after.groups():
        members = after.members(group)
        assert len(members) == 3
        assert len({m.role for m in members}) >= 2, [m.role for m in members]
    assert {p.id for p in people} == set(after.participants)
    assert fold(await all_events(store, code)) == after
    assert await store.mix_by_role(code) == []  # mixed already: nobody moves again


async def test_a_role_is_optional_and_must_be_one_of_the_rooms(store: RoomStore, template: Template) -> None:
    code, _ = await store.create_room(template)
    anna = await store.join(code, "Anna")
    assert anna.role is None
    before = await all_events(store, code)
    with pytest.raises(Rejected) as info:
        await store.join(code, "Bram", role="wethouder")
    assert "rol" in info.value.nl
    assert await all_events(store, code) == before
    with pytest.raises(Rejected):
        await store.mix_by_role(code)  # nobody said a role: nothing to mix on
    bram = await store.join(code, "Bram", role="fysiek")
    state = await store.load(code)
    assert state is not None and state.participants[bram.id].role == "fysiek"


async def test_a_late_joiner_goes_where_their_role_is_missing(store: RoomStore, template: Template) -> None:
    code, _ = await store.create_room(template)
    for i, role in enumerate(["wijk", "sociaal", "wijk", "fysiek"]):
        await store.join(code, f"P{i}", role=role)
    state = await store.load(code)
    assert state is not None
    # the host splits them into two open groups: group 1 {wijk, sociaal}, group 2 {wijk, fysiek}
    p2 = next(p for p in state.participants.values() if p.name == "P2")
    p3 = next(p for p in state.participants.values() if p.name == "P3")
    await store.move_member(code, p2.id, 2)
    await store.move_member(code, p3.id, 2)
    late = await store.join(code, "Laat", role="sociaal")
    assert late.group == 2  # group 1 has a social-domain colleague already
    late2 = await store.join(code, "Later", role="fysiek")
    assert late2.group == 1


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["wijk", "sociaal", "fysiek", "anders", None]), min_size=1, max_size=40),
       st.integers(min_value=2, max_value=6))
def test_mixing_keeps_everyone_and_the_group_sizes(roles: list[str | None], size: int) -> None:
    room = RoomBuilder(TEMPLATE, group_size=size)
    for i, role in enumerate(roles):
        room.join(f"P{i}", role=role)
    state = room.state
    proposal = mixing.propose(state)
    assert set(proposal) == set(state.participants)
    sizes = sorted(len(state.members(g)) for g in state.groups())
    assert sorted(list(proposal.values()).count(g) for g in state.groups()) == sizes
    # where a mix is possible, it is made: a role can fill a group only if it outnumbers the others
    said = [r for r in roles if r is not None]
    most = max((said.count(r) for r in set(said)), default=0)
    groups = len(state.groups())
    if len(said) == len(roles) and len(set(said)) >= 2 and most <= groups * (min(sizes) - 1):
        assert mixing.mixed(state, proposal) == (groups, groups)
