"""The visibility gate: what each viewer may know of a room, decided here and nowhere else.

``visible(state, viewer)`` returns the room's state with everything hidden from that viewer
removed: other members' unrevealed positions and reasons, card assignments and choices,
texts a member wrote for themselves, and, for the projector, the options a group named before
its choice is shown. Every view, summary, result, agenda pre-fill and round comparison for a
viewer is computed from that state only, so code further down cannot leak what it never gets.

The rules: a member's work is theirs until the group has it revealed (every member done, the
activity live, or the host revealed it); a group's shared texts are the group's; the screen
sees what groups have revealed, without their reasons, except the one group's slider the host
put in the spotlight (names replaced unless the host chose them); the host and the host's exports see everything.

How far a group is (two of three have placed) is public even where the positions are not, and
whether something is revealed follows from it, so the cut-down state carries a function that
answers those questions from the whole state (``rooms.reveal.status``) and nothing else.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from functools import partial
from typing import Any

from rooms import reveal
from rooms.i18n import translate
from rooms.kinds import registry
from rooms.kinds.base import Scope
from rooms.models import RoomState, RoundRecord
from rooms.spotlight import Spot, letter


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
class Spotlight:
    """The projector showing one group's slider with the reasons behind it (``rooms.spotlight``):
    that item's positions and reasons once the group has it revealed, and nothing else of anyone's
    work; of the roster only that group, its members called "Deelnemer A/B/C" unless the host
    chose names (``lang``: the language of that word)."""

    spot: Spot
    lang: str = "nl"


@dataclass(frozen=True)
class Reasons:
    """The room's reasons on one slider as the themes show them (``rooms.themes``): each group's
    once the group has that slider revealed, and no positions; members named, or (``names``
    false, the screen) called "Deelnemer N"."""

    activity: str
    item: str
    names: bool = True


@dataclass(frozen=True)
class Host:
    """The facilitator: everything."""


@dataclass(frozen=True)
class Export:
    """A file for the host: everything, with names or with "Deelnemer N" instead."""

    names: bool = True


Viewer = Member | Group | Screen | Spotlight | Reasons | Host | Export


def anonymous_name(number: int) -> str:
    return f"Deelnemer {number}"


def visible(state: RoomState, viewer: Viewer, activities: Collection[str] | None = None) -> RoomState:
    """The state as ``viewer`` may know it; with ``activities``, only those activities' work.

    The host's state is the room's own. Any other shares with the room what the fold never hides
    (the roster, the programme, statuses) and may be shared with other viewers of the same kind
    (a group's part is kept until the group's work changes): use it right away, change nothing in
    it, and do not keep it across events."""
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
            shell.roster_changed()  # its members are these renamed ones, not the room's
            return shell
        case Member(participant_id=pid):
            member = state.participants.get(pid)
            shell = _shell(state)
            if member is not None:
                part = _part(state, member.group, activities, screen=False)
                for name in _WORK:  # the group's part, copied where the member's own work goes in
                    shell.__dict__[name] = dict(part.__dict__[name])
                _add_own(state, shell, pid, activities)
            _answer(state, shell)
            return shell
        case Group(group=group):
            return _part(state, group, activities, screen=False)
        case Screen():
            return _screen(state, activities)
        case Spotlight():
            return _spotlight(state, viewer)
        case Reasons():
            return _reasons(state, viewer)


def _tag(kind: str, activities: Collection[str] | None) -> tuple[str, ...]:
    return ("gate", kind, *(sorted(activities) if activities is not None else ["*"]))


def _part(state: RoomState, group: int, activities: Collection[str] | None, screen: bool) -> RoomState:
    """What every member of ``group`` may know of its work (or the room, ``screen``), kept until
    the group's work changes: the three phones of a trio share it."""
    tag = _tag("screen" if screen else "group", activities)
    return state.memo(tag, group, partial(_group_part, state, group, activities, screen))


def _answer(state: RoomState, shell: RoomState) -> None:
    private = shell.__pydantic_private__
    assert private is not None
    private["_asked"] = partial(reveal.status, state)


class _Projector:
    """The screen's work, kept between its redraws and brought up to date group by group: the
    screen redraws ten times a second while a hundred groups work, and one placement changes one
    group's part."""

    def __init__(self) -> None:
        self.work: dict[str, dict[str, Any]] = {name: {} for name in _WORK}
        self.parts: dict[int, RoomState] = {}
        self.versions: dict[int, int] = {}  # the group's version its part in ``work`` was cut at

    def update(self, state: RoomState, activities: Collection[str] | None) -> None:
        private = state.__pydantic_private__
        assert private is not None
        versions: dict[int, int] = private["_versions"]
        groups = state.groups_index()
        # a group's part is cut again exactly when its version moves (``RoomState.memo``); a
        # room-wide change drops this projector with the room's kept results
        fresh = {group: _part(state, group, activities, True) for group in groups
                 if group not in self.parts or self.versions.get(group) != versions.get(group, 0)}
        # a moved version means a new part; a group no longer in the roster has none
        stale = [g for g in self.parts if g in fresh or g not in groups]
        for group in stale:  # all of them first: a member who moved is in two of them
            old = self.parts.pop(group)
            self.versions.pop(group, None)
            for name, depth in _WORK.items():
                _unmerge(self.work[name], getattr(old, name), depth)
        for group, part in fresh.items():
            for name, depth in _WORK.items():
                _merge(self.work[name], getattr(part, name), depth)
            self.parts[group] = part
            self.versions[group] = versions.get(group, 0)


def _screen(state: RoomState, activities: Collection[str] | None) -> RoomState:
    tag = _tag("screen", activities)
    source = state.__pydantic_private__
    assert source is not None
    # kept with the room's results, so a room-wide event (a reveal, the next activity) drops it
    projector: _Projector = source["_memo"].setdefault((tag, -2), (0, _Projector()))[1]
    projector.update(state, activities)
    shell = _shell(state)
    shell.__dict__.update(projector.work)
    _answer(state, shell)
    _keep_results(state, shell, tag)
    return shell


def _spotlight(state: RoomState, viewer: Spotlight) -> RoomState:
    spot = viewer.spot
    shell = _shell(state)
    if spot.group in state.groups_index():
        part = _part(state, spot.group, [spot.activity], screen=False)  # the item only if revealed
        for name in ("placements", "reasons"):
            kept = getattr(part, name).get(spot.activity, {}).get(spot.item)
            if kept:
                getattr(shell, name)[spot.activity] = {spot.item: dict(kept)}
    members = state.members(spot.group)
    shell.participants = {
        m.id: m if spot.names else m.model_copy(update={
            "name": translate(viewer.lang, "Deelnemer {letter}", letter=letter(index))})
        for index, m in enumerate(members)
    }
    shell.roster_changed()
    _answer(state, shell)
    return shell


def _reasons(state: RoomState, viewer: Reasons) -> RoomState:
    shell = _shell(state)
    said: dict[str, str] = {}
    for group in state.groups():
        said.update(_part(state, group, [viewer.activity], screen=False).reasons.get(viewer.activity, {})
                    .get(viewer.item, {}))
    if said:
        shell.reasons[viewer.activity] = {viewer.item: said}
    if not viewer.names:
        shell.participants = {pid: p.model_copy(update={"name": anonymous_name(p.number)})
                              for pid, p in state.participants.items()}
        shell.roster_changed()
    _answer(state, shell)
    return shell


def _group_part(state: RoomState, group: int, activities: Collection[str] | None, screen: bool) -> RoomState:
    part = _shell(state)
    scope = Scope(group=group, screen=screen)
    for activity in state.template.activities:
        if activities is None or activity.id in activities:
            registry.kind_of(activity).redact(state, part, activity, scope)
    _answer(state, part)
    return part


def _add_own(state: RoomState, shell: RoomState, pid: str, activities: Collection[str] | None) -> None:
    """A member's own work, revealed or not: every entry of the room's work that is theirs."""
    for name, depth in _WORK.items():
        if name == "rounds":
            continue
        for activity, work in getattr(state, name).items():
            if activities is None or activity in activities:
                _add_entry(getattr(shell, name), activity, work, pid, depth)
    for activity, by_group in state.rounds.items():
        if activities is not None and activity not in activities:
            continue
        for group, records in by_group.items():
            kept = shell.rounds.get(activity, {}).get(group)
            if kept is not None and any(pid in values for r in records for values in r.before.values()):
                shell.rounds[activity] = {**shell.rounds[activity],
                                          group: [_with_own(k, r, pid) for k, r in zip(kept, records, strict=True)]}


def _with_own(kept: RoundRecord, source: RoundRecord, pid: str) -> RoundRecord:
    """A past round as the group knows it, with the member's own positions in it."""
    before = {item: dict(values) for item, values in kept.before.items()}
    for item, values in source.before.items():
        if pid in values:
            before.setdefault(item, {})[pid] = dict(values[pid])
    return kept.model_copy(update={"before": before})


def _add_entry(into: dict[str, Any], key: str, work: dict[str, Any], pid: str, depth: int) -> None:
    """Copy ``pid``'s entry of ``work`` (``depth`` levels of keys down) into ``into[key]``, copying
    the dicts on the way instead of changing the kept parts they come from."""
    if depth == 2:
        if pid in work:
            into[key] = {**into.get(key, {}), pid: _copied(work[pid])}
        return
    branch: dict[str, Any] | None = None
    for sub, deeper in work.items():
        if pid in deeper:
            if branch is None:
                branch = into[key] = dict(into.get(key, {}))
            branch[sub] = {**branch.get(sub, {}), pid: _copied(deeper[pid])}


def _copied(value: Any) -> Any:
    return dict(value) if isinstance(value, dict) else list(value) if isinstance(value, list) else value


# The work a gate cuts, with how many levels of keys lead to one participant's (or owner's, or
# group's) entry: activity -> item -> participant for positions, activity -> owner for texts, …
_WORK = {"placements": 3, "reasons": 3, "texts": 2, "docs": 2, "cards": 3, "choices": 2, "rounds": 2}


def _unmerge(into: dict[Any, Any], part: dict[Any, Any], depth: int) -> None:
    """Take one group's part out of the room's again (the inverse of ``_merge``)."""
    for key, value in part.items():
        if depth == 1:
            into.pop(key, None)
        elif key in into:
            _unmerge(into[key], value, depth - 1)
            if not into[key]:
                del into[key]


def _merge(into: dict[Any, Any], part: dict[Any, Any], depth: int) -> None:
    """Add one group's part into the room's. Groups never share an entry, so the entries
    themselves are shared with the kept part, not copied (nobody changes a gated state)."""
    if depth == 1:
        into.update(part)
        return
    for key, value in part.items():
        _merge(into.setdefault(key, {}), value, depth - 1)


def _shell(state: RoomState) -> RoomState:
    """A state with the room's public parts and no work in it.

    Built past pydantic's ``model_construct`` (which fills every field's default first): every
    phone's every flush makes one, and the fields are the fold's own, already valid."""
    shell = RoomState.__new__(RoomState)
    fields = dict(state.__dict__)
    for name in _WORK:
        fields[name] = {}
    # the same roster: share its index; nothing else of the room's kept results
    private: dict[str, Any] = {"_by_group": state.groups_index(), "_memo": {}, "_versions": {}, "_changed": {},
                               "_asked": None}
    object.__setattr__(shell, "__dict__", fields)
    object.__setattr__(shell, "__pydantic_fields_set__", set(state.__pydantic_fields_set__))
    object.__setattr__(shell, "__pydantic_extra__", None)
    object.__setattr__(shell, "__pydantic_private__", private)
    return shell


assert set(RoomState.__private_attributes__) == {"_by_group", "_memo", "_versions", "_changed", "_asked"}, "see _shell"


def _copy_work(src: RoomState, dst: RoomState) -> None:
    dst.placements, dst.reasons, dst.texts, dst.docs = src.placements, src.reasons, src.texts, src.docs
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
    kept = source["_memo"].setdefault((tag, -1), (0, {}))[1]
    target["_memo"] = kept
    target["_versions"] = source["_versions"]
    target["_changed"] = source["_changed"]
