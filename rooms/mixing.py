"""Trios mixed by role: the workbook puts a neighbourhood civil servant beside colleagues from the
social and the physical domain, so that the exercises show how *they* see things differently.

People join in any order (often a whole department at once), so groups that fill in join order are
seldom mixed. ``propose`` deals the room's participants over its groups the way one deals cards:
the largest role first, one to each group in turn, then the next role. The groups keep their sizes,
and each new group takes the number of the old group it overlaps most, so as few people as possible
move (and a group keeps its shared texts where its members stay).
"""

from __future__ import annotations

from collections import Counter

from rooms.events import MemberMoved
from rooms.models import Participant, RoomState
from rooms.validate import Rejected


def propose(state: RoomState) -> dict[str, int]:
    """Each participant's group after mixing (participant id -> group number)."""
    groups = state.groups()
    if not groups:
        return {}
    sizes = [len(state.members(g)) for g in groups]
    people = sorted(state.participants.values(), key=lambda p: p.number)
    known = [r.id for r in state.template.roles]
    count = Counter(p.role for p in people)
    # the largest role first (its members are the ones that must be spread), the unsaid last
    order = sorted(count, key=lambda r: (r is None, -count[r], known.index(r) if r in known else len(known)))
    dealt: list[list[Participant]] = [[] for _ in groups]
    turn = 0
    for role in order:
        for person in (p for p in people if p.role == role):
            while len(dealt[turn % len(groups)]) >= sizes[turn % len(groups)]:
                turn += 1
            dealt[turn % len(groups)].append(person)
            turn += 1
    return _numbered(state, groups, dealt)


def _numbered(state: RoomState, groups: list[int], dealt: list[list[Participant]]) -> dict[str, int]:
    """Give each dealt group the number of the old group it shares most members with."""
    pairs = sorted(
        ((sum(p.group == old for p in new), -old, index, old) for index, new in enumerate(dealt) for old in groups),
        reverse=True,
    )
    number: dict[int, int] = {}
    taken: set[int] = set()
    for _overlap, _order, index, old in pairs:
        if index not in number and old not in taken:
            number[index] = old
            taken.add(old)
    return {p.id: number[index] for index, new in enumerate(dealt) for p in new}


def mixed(state: RoomState, assignment: dict[str, int]) -> tuple[int, int]:
    """How many groups have at least two different (said) roles, out of how many groups."""
    roles: dict[int, set[str]] = {}
    for pid, group in assignment.items():
        role = state.participants[pid].role
        roles.setdefault(group, set())
        if role is not None:
            roles[group].add(role)
    return sum(len(r) >= 2 for r in roles.values()), len(roles)


def mix(state: RoomState, now: float) -> list[MemberMoved]:
    """The moves that mix the room's groups by role (none if they are mixed as well as they can be)."""
    if not any(p.role for p in state.participants.values()):
        raise Rejected("no-roles", "Nog niemand heeft een rol gekozen, dus mengen op rol kan niet.")
    return [
        MemberMoved(code=state.code, at=now, actor="host", participant_id=pid, group=group)
        for pid, group in sorted(propose(state).items(), key=lambda item: state.participants[item[0]].number)
        if state.participants[pid].group != group
    ]


def place(state: RoomState, role: str | None, open_groups: list[int]) -> int:
    """A newcomer: of the groups with room, the one where their role is rarest, then the fullest."""
    def rank(group: int) -> tuple[int, int, int]:
        members = state.members(group)
        return sum(role is not None and m.role == role for m in members), -len(members), group
    return min(open_groups, key=rank)
