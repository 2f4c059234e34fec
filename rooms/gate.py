"""The visibility gate: what each viewer may know of a room, decided here and nowhere else.

``visible(state, viewer)`` returns the room's state with everything hidden from that viewer
removed: other members' unrevealed positions and reasons, card assignments and choices,
texts a member wrote for themselves, and, for the projector, the options a group named before
its choice is shown. Every view, summary, result, agenda pre-fill and round comparison for a
viewer is computed from that state only, so code further down cannot leak what it never gets.

The rules: a member's work is theirs until the group has it revealed (every member done, the
activity live, or the host revealed it); a group's shared texts are the group's; the screen
sees what groups have revealed; the host and the host's exports see everything.

How far a group is (two of three have placed) is public even where the positions are not, and
whether something is revealed follows from it, so the cut-down state carries a function that
answers those questions from the whole state (``rooms.reveal.status``) and nothing else.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from rooms import reveal
from rooms.kinds import registry
from rooms.kinds.base import Scope
from rooms.models import RoomState


@dataclass(frozen=True)
class Member:
    """One participant: their own work, and their group's once revealed."""

    participant_id: str


@dataclass(frozen=True)
class Group:
    """What every member of a group may know: the group's results (the agenda's pre-fill)."""

    group: int


@dataclass(frozen=True)
class Screen:
    """The projector: every group's revealed work, and no member's own texts."""


@dataclass(frozen=True)
class Host:
    """The facilitator: everything."""


@dataclass(frozen=True)
class Export:
    """A file for the host: everything, with names or with "Deelnemer N" instead."""

    names: bool = True


Viewer = Member | Group | Screen | Host | Export


def anonymous_name(number: int) -> str:
    return f"Deelnemer {number}"


def visible(state: RoomState, viewer: Viewer, activities: Collection[str] | None = None) -> RoomState:
    """The state as ``viewer`` may know it; with ``activities``, only those activities' work.

    The host's state is the room's own; any other is a new state that shares only what the fold
    never hides (the roster, the programme, statuses), so it must be used right away and not kept
    across events."""
    match viewer:
        case Host():
            return state
        case Export(names=True):
            return state
        case Export():
            shell = _shell(state)
            _copy_work(state, shell)
            shell.participants = {
                pid: p.model_copy(update={"name": anonymous_name(p.number)}) for pid, p in state.participants.items()
            }
            return shell
        case Member(participant_id=pid):
            member = state.participants.get(pid)
            scope = Scope(groups=frozenset() if member is None else frozenset({member.group}), own=pid)
        case Group(group=group):
            scope = Scope(groups=frozenset({group}))
        case Screen():
            scope = Scope(groups=frozenset(state.groups()), screen=True)
    shell = _shell(state)
    for activity in state.template.activities:
        if activities is None or activity.id in activities:
            registry.kind_of(activity).redact(state, shell, activity, scope)
    private = shell.__pydantic_private__
    assert private is not None
    private["_asked"] = lambda activity, unit, group: reveal.status(state, activity, unit, group)
    if isinstance(viewer, Screen):
        _keep_results(state, shell, ("screen", *sorted(activities or ())))
    return shell


def _shell(state: RoomState) -> RoomState:
    """A state with the room's public parts and no work in it."""
    return RoomState.model_construct(
        code=state.code, title=state.title, created_at=state.created_at, template=state.template,
        group_size=state.group_size, threshold=state.threshold, participants=state.participants,
        current=state.current, status=state.status, placements={}, reasons={},
        revealed_groups=state.revealed_groups, revealed_all=state.revealed_all, screen=state.screen,
        texts={}, cards={}, choices={}, rounds={}, reveal_modes=state.reveal_modes,
        started_at=state.started_at, settings=state.settings, timer_seconds=state.timer_seconds,
        timer_ends=state.timer_ends, seq=state.seq, roster=state.roster,
    )


def _copy_work(src: RoomState, dst: RoomState) -> None:
    dst.placements, dst.reasons, dst.texts = src.placements, src.reasons, src.texts
    dst.cards, dst.choices, dst.rounds = src.cards, src.choices, src.rounds


def _keep_results(state: RoomState, shell: RoomState, tag: tuple[str, ...]) -> None:
    """Let the projector's cut-down states keep their per-group results between flushes.

    A group's part of the screen's state changes only when that group's work does or on a
    room-wide event, exactly when the room's own kept results of that group go stale; so the
    cut-down states share the room's group versions and keep their results in one dict that the
    room drops with its own (``RoomState.touched``)."""
    source = state.__pydantic_private__
    target = shell.__pydantic_private__
    assert source is not None and target is not None
    kept = source["_memo"].setdefault((("gate", *tag), -1), (0, {}))[1]
    target["_memo"] = kept
    target["_versions"] = source["_versions"]
