"""The room's state: what the fold of its events yields, and what Redis holds live."""

from __future__ import annotations

from pydantic import BaseModel, Field, PrivateAttr

from rooms.templates import Template

# Bounds that the commands enforce at the edge.
NAME_MAX = 40
REASON_MAX = 1000
MAX_PARTICIPANTS = 2000
TEXT_MAX = 4000  # no text field may be longer, whatever a template says
OWN_OPTIONS_MAX = 8
NOTES_FIELD_PREFIX = "note-"
OWN_FIELD_PREFIX = "own-"


def group_owner(group: int) -> str:
    """The owner of a group's shared texts."""
    return f"g{group}"


class Participant(BaseModel):
    id: str
    name: str
    number: int
    group: int
    joined_at: float


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
    # activity -> card -> participant -> targets (members or categories)
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

    def roster_changed(self) -> None:
        """Forget the group index; call after adding or moving a participant."""
        self._by_group = None

    def _groups_index(self) -> dict[int, list[Participant]]:
        if self._by_group is None:
            index: dict[int, list[Participant]] = {}
            for p in sorted(self.participants.values(), key=lambda p: p.number):
                index.setdefault(p.group, []).append(p)
            self._by_group = dict(sorted(index.items()))
        return self._by_group

    def members(self, group: int) -> list[Participant]:
        """The members of a group, in join order."""
        return list(self._groups_index().get(group, []))

    def groups(self) -> list[int]:
        return list(self._groups_index())

    def is_open(self, activity: str) -> bool:
        return self.status.get(activity) == "open"

    @property
    def anonymous(self) -> bool:
        """Exports show "Deelnemer N" instead of names."""
        return self.settings.get("anonymous") == "1"

    def round_of(self, activity: str, group: int) -> int:
        """The group's current round of an activity (1 until the group starts another)."""
        return len(self.rounds.get(activity, {}).get(group, [])) + 1

    def group_texts(self, activity: str, group: int) -> dict[str, str]:
        return self.texts.get(activity, {}).get(group_owner(group), {})
