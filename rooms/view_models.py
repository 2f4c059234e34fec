"""What the pages are sent: the view models ``rooms.views`` builds (and re-exports) from the gated
state. Plain data, no rules."""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel

from rooms import aggregates
from rooms.kinds.agenda import AgendaView
from rooms.kinds.cards import CardView, ProfileEntry, TargetView
from rooms.kinds.choice import ChoiceView
from rooms.kinds.practice import PracticeView
from rooms.spotlight import Spot
from rooms.themes import Theme

M = TypeVar("M", bound=BaseModel)


def built(cls: type[M], **fields: Any) -> M:
    """A view model from values the engine built itself from the folded state: nothing to
    validate, and every field given. Past pydantic's ``model_construct``, which walks every field
    for defaults and aliases: a phone's every flush builds a view, its items and their markers
    (a fifth of a trio's views' time at 300 phones)."""
    if fields.keys() != cls.model_fields.keys() or cls.__private_attributes__:
        raise TypeError(f"built({cls.__name__}): give every field, and only to a model without private attributes "
                        f"({sorted(set(cls.model_fields) ^ set(fields))})")
    model = cls.__new__(cls)
    object.__setattr__(model, "__dict__", fields)
    object.__setattr__(model, "__pydantic_fields_set__", set(fields))
    object.__setattr__(model, "__pydantic_extra__", None)
    object.__setattr__(model, "__pydantic_private__", None)
    return model


class Marker(BaseModel):
    """One member's placement of one item, as the group sees it. Shared by the members' views
    (never changed after it is built): a page marks its own person by ``number``."""

    participant_id: str
    name: str
    values: dict[str, int]
    reason: str = ""
    number: int = 0


class ItemView(BaseModel):
    id: str
    placed: int
    members: int
    mine: dict[str, int]
    my_reason: str
    revealed: bool
    markers: list[Marker]
    spreads: dict[str, int | None]
    divergent: bool


class ParticipantView(BaseModel):
    participant_id: str
    name: str
    group: int
    group_names: list[str]
    activity: str | None
    status: str | None
    threshold: int
    items: list[ItemView]
    kind: str | None = None
    reveal: str = "when-complete"
    timer_ends: float | None = None
    texts: dict[str, str] = {}  # the group's shared texts (or my own, for a per-member text)
    # the documents of those texts the member edits (``rooms.cotext``, base64): an editor starts there
    docs: dict[str, str] = {}
    cards: list[CardView] = []
    targets: list[TargetView] = []
    choice: ChoiceView | None = None
    practice: PracticeView | None = None
    agenda: AgendaView | None = None
    profile: list[ProfileEntry] = []
    strengths: list[str] = []
    round: int = 1
    round_changes: dict[str, aggregates.RoundChange] = {}
    start: dict[str, dict[str, int]] = {}  # my positions of the round before, to start from


class GroupView(BaseModel):
    group: int
    members: list[Marker]
    items: dict[str, aggregates.GroupItem]
    item_markers: dict[str, list[Marker]]
    progress: tuple[int, int] = (0, 0)
    divergent: bool = False
    lines: list[str] = []
    round: int = 1
    round_changes: dict[str, aggregates.RoundChange] = {}


class HostView(BaseModel):
    activity: str | None
    status: str | None
    threshold: int
    groups: list[GroupView]
    kind: str | None = None
    reveal: str = "when-complete"
    hotspots: list[aggregates.Hotspot] = []
    # per hotspot ("<group>:<item>"), the group's markers with names and reasons
    hotspot_markers: dict[str, list[Marker]] = {}
    spotlight: Spot | None = None  # what the screen has in the spotlight, if anything


class ThemeView(BaseModel):
    """A theme of one slider's reasons on the screen: its label, key phrases and reasons."""

    activity: str
    item: str
    key: str
    theme: Theme | None  # None: the theme is no longer there (the reasons changed)


class SpotlightView(BaseModel):
    """One group's slider on the screen with the reasons behind it (``rooms.spotlight``)."""

    group: int
    activity: str
    item: str
    names: bool
    revealed: bool
    markers: list[Marker]
    spreads: dict[str, int | None] = {}


class ScreenItem(BaseModel):
    id: str
    means: dict[str, int | None]
    lows: dict[str, int | None]
    highs: dict[str, int | None]
    groups_included: int
    diverging: list[tuple[int, int]]


class ScreenView(BaseModel):
    mode: str
    activity: str | None
    participants: int
    groups: int
    items: list[ScreenItem]
    kind: str | None = None
    timer_ends: float | None = None
    lines: list[str] = []  # the room's result, for activities other than sliders
    bars: list[tuple[str, int, int]] = []  # the same as a chart where the kind has one: (label, value, of)
    group_lines: dict[int, list[str]] = {}  # per group of the page shown, what it revealed
    # one group on the screen, for kinds that have it: a picture of its result (columns, rows of counts)
    matrix: tuple[list[str], list[tuple[str, list[int]]]] | None = None
    page: int = 0  # which page of groups (large rooms are shown a page at a time)
    pages: int = 1
    # sliders, one group on the screen: its spread per item in the round before and now
    group_changes: dict[str, aggregates.RoundChange] = {}
    # only when the screen shows one group and that group's item is revealed
    group: int | None = None
    group_markers: dict[str, list[Marker]] = {}
    spotlight: SpotlightView | None = None  # one group's slider put on the screen by the host
    theme: ThemeView | None = None  # one theme of a slider's reasons put on the screen by the host
