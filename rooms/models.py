"""The room's state: what the fold of its events yields, and what Redis holds live."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar, cast

from pydantic import BaseModel, Field, PrivateAttr

from rooms.templates import Template

if TYPE_CHECKING:
    from rooms.reveal import Status

# Bounds that the commands enforce at the edge.
NAME_MAX = 40
REASON_MAX = 1000
MAX_PARTICIPANTS = 2000
TEXT_MAX = 4000  # no text field may be longer, whatever a template says
OWN_OPTIONS_MAX = 8
NOTES_FIELD_PREFIX = "note-"
OWN_FIELD_PREFIX = "own-"


T = TypeVar("T")
Unit = tuple[str, str]
"""One unit of a group's work that events name: (activity, item)."""


def group_owner(group: int) -> str:
    """The owner of a group's shared texts."""
    return f"g{group}"


def owner_group(owner: str) -> int | None:
    """The group whose shared texts ``owner`` names (``g<N>``), or None for a participant."""
    return int(owner[1:]) if owner[:1] == "g" and owner[1:].isdigit() else None


class Participant(BaseModel):
    id: str
    name: str
    number: int
    group: int
    joined_at: float
    role: str | None = None  # one of the template's roles (wijk, sociaal domein, …), or not said


class RoundRecord(BaseModel):
    """A round that ended when the group started the next: its number and the positions then."""

    round: int
    ended_at: float
    before: dict[str, dict[str, dict[str, int]]] = Field(default_factory=dict)


class RoomState(BaseModel):
    """Everything about a room that events decide. Mutable: the fold updates it in place."""

    code: str
    title: str
    created_at: float
    template: Template
    group_size: int
    threshold: int
    participants: dict[str, Participant] = Field(default_factory=dict)
    current: str | None = None
    status: dict[str, str] = Field(default_factory=dict)
    # activity -> item -> participant -> position -> value
    placements: dict[str, dict[str, dict[str, dict[str, int]]]] = Field(default_factory=dict)
    # activity -> item -> participant -> text
    reasons: dict[str, dict[str, dict[str, str]]] = Field(default_factory=dict)
    revealed_groups: dict[str, set[int]] = Field(default_factory=dict)
    revealed_all: set[str] = Field(default_factory=set)
    screen: str = "room"
    # activity -> owner (participant id, or g<N> for a group) -> field -> text
    texts: dict[str, dict[str, dict[str, str]]] = Field(default_factory=dict)
    # the same, the document each text is (``rooms.cotext``: its whole state, base64), once edited
    docs: dict[str, dict[str, dict[str, str]]] = Field(default_factory=dict)
    # activity -> card -> participant -> targets (members or categories); under g<N>: the group's
    # joint decision on the card (``events.CardSettled``)
    cards: dict[str, dict[str, dict[str, list[str]]]] = Field(default_factory=dict)
    # activity -> participant -> chosen options
    choices: dict[str, dict[str, list[str]]] = Field(default_factory=dict)
    # activity -> group -> rounds that ended (the current round is len + 1)
    rounds: dict[str, dict[int, list[RoundRecord]]] = Field(default_factory=dict)
    reveal_modes: dict[str, str] = Field(default_factory=dict)
    started_at: dict[str, float] = Field(default_factory=dict)
    settings: dict[str, str] = Field(default_factory=dict)
    timer_seconds: int = 0
    timer_ends: float | None = None
    seq: int = 0
    # how many roster changes (joins, moves) the room has had: the guard for roster writes
    roster: int = 0

    _by_group: dict[int, list[Participant]] | None = PrivateAttr(default=None)
    # Results derived from the state, kept until an event touches what they depend on (``memo``).
    _memo: dict[tuple[tuple[str, ...], int], tuple[int, object]] = PrivateAttr(default_factory=dict)
    _versions: dict[int, int] = PrivateAttr(default_factory=dict)
    # per group, the version at which each unit of work last changed (``Unit``: an activity's
    # item), and under None the version of its last change that names no unit
    _changed: dict[int, dict[Unit | None, int]] = PrivateAttr(default_factory=dict)
    # Set by the gate on a state it cut down: answers "how far is this group, is it revealed"
    # from the whole state (``rooms.reveal``), which the cut-down state cannot tell by itself.
    _asked: Callable[[Any, str, int], Status] | None = PrivateAttr(default=None)

    def roster_changed(self) -> None:
        """Forget the group index; call after adding or moving a participant."""
        self._by_group = None

    def __eq__(self, other: object) -> bool:
        """Equal when the fields are: the index and the kept results are not the room's state."""
        if not isinstance(other, RoomState):
            return NotImplemented
        return self.__dict__ == other.__dict__

    __hash__ = None  # type: ignore[assignment]

    def touched(self, groups: set[int] | None, unit: Unit | None = None) -> None:
        """The fold changed these groups' work (None: anything, so every kept result goes); with
        ``unit``, only that one item of theirs (a placement, a reason)."""
        private = self.__pydantic_private__
        assert private is not None
        if groups is None:
            private["_memo"].clear()
            return
        versions, changed = private["_versions"], private["_changed"]
        for group in groups:
            version = versions[group] = versions.get(group, 0) + 1
            changed.setdefault(group, {})[unit] = version

    def memo(self, key: tuple[str, ...], group: int, compute: Callable[[], T], unit: Unit | None = None) -> T:
        """A result about one group, computed once until an event touches that group (with
        ``unit``: a result about that one item, kept until an event touches that item or names none).

        The three phones of a trio and the screen ask the same question after every placement;
        with a hundred groups the screen would otherwise recompute all of them ten times a second,
        and each group's five sliders when one of them moved.
        The state is only ever changed by the fold (``projection.apply``), which calls ``touched``.
        """
        private = self.__pydantic_private__
        assert private is not None
        version = private["_versions"].get(group, 0)
        kept = private["_memo"].get((key, group))
        if kept is not None:
            if kept[0] == version:
                return cast(T, kept[1])
            if unit is not None:
                changed = private["_changed"].get(group, {})
                if kept[0] >= max(changed.get(None, 0), changed.get(unit, 0)):  # only other items moved
                    private["_memo"][key, group] = (version, kept[1])
                    return cast(T, kept[1])
        value = compute()
        private["_memo"][key, group] = (version, value)
        return value

    def asked(self) -> Callable[[Any, str, int], Status] | None:
        private = self.__pydantic_private__
        assert private is not None
        return cast("Callable[[Any, str, int], Status] | None", private["_asked"])

    def groups_index(self) -> dict[int, list[Participant]]:
        """Group -> its members in join order (kept until the roster changes; never change it)."""
        return self._groups_index()

    def _groups_index(self) -> dict[int, list[Participant]]:
        # through the private dict: pydantic's attribute lookup for private fields goes through
        # two ``__getattr__`` misses, and views ask for members thousands of times a second
        private = self.__pydantic_private__
        assert private is not None
        index: dict[int, list[Participant]] | None = private["_by_group"]
        if index is None:
            index = {}
            for p in sorted(self.participants.values(), key=lambda p: p.number):
                index.setdefault(p.group, []).append(p)
            index = private["_by_group"] = dict(sorted(index.items()))
        return index

    def members(self, group: int) -> list[Participant]:
        """The members of a group, in join order."""
        return list(self._groups_index().get(group, []))

    def groups(self) -> list[int]:
        return list(self._groups_index())

    @property
    def anonymous(self) -> bool:
        """Exports show "Deelnemer N" instead of names."""
        return self.settings.get("anonymous") == "1"

    def round_of(self, activity: str, group: int) -> int:
        """The group's current round of an activity (1 until the group starts another)."""
        return len(self.rounds.get(activity, {}).get(group, [])) + 1

    def group_texts(self, activity: str, group: int) -> dict[str, str]:
        return self.texts.get(activity, {}).get(group_owner(group), {})
