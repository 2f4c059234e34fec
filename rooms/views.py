"""Visibility: what each viewer may see of a room, decided here and nowhere else.

A participant never receives another member's position before the group has
completed the item (or the host revealed it); the screen gets aggregates and
only revealed groups; the host sees everything.
"""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import BaseModel

from rooms import aggregates, results
from rooms.models import RoomState, group_owner
from rooms.templates import (
    AgendaActivity,
    AnyActivity,
    CardsActivity,
    ChoiceActivity,
    PracticeActivity,
    SlidersActivity,
    SortActivity,
    TextActivity,
)


@dataclass(frozen=True)
class ParticipantViewer:
    participant_id: str


@dataclass(frozen=True)
class HostViewer:
    pass


@dataclass(frozen=True)
class ScreenViewer:
    pass


Viewer = ParticipantViewer | HostViewer | ScreenViewer


class Marker(BaseModel):
    participant_id: str
    name: str
    values: dict[str, int]
    reason: str = ""
    is_me: bool = False


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


class CardView(BaseModel):
    id: str
    label: str  # the note's text for cards the group wrote; else empty (the template has the label)
    mine: list[str]
    assigned: int
    members: int
    revealed: bool
    choices: list[tuple[str, list[str]]] = []  # (name, targets), only once revealed
    agreed: list[str] = []
    divergent: bool = False


class TargetView(BaseModel):
    id: str
    name: str
    is_me: bool = False


class ChoiceView(BaseModel):
    mine: list[str]
    own: dict[str, str]
    done: int
    members: int
    revealed: bool
    chosen_by: dict[str, list[str]] = {}  # option -> names, only once revealed
    divergent: bool = False


class PracticeView(BaseModel):
    round: int
    observer: str
    am_observer: bool
    talkers: list[str]
    ends_at: float | None
    ticked: list[str]
    tips: str
    rounds_done: int


class AgendaView(BaseModel):
    fields: dict[str, tuple[str, bool]]  # field -> (text, still the pre-fill)
    actions: list[results.Action]
    suggestions: list[tuple[str, str]]


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
    cards: list[CardView] = []
    targets: list[TargetView] = []
    choice: ChoiceView | None = None
    practice: PracticeView | None = None
    agenda: AgendaView | None = None
    profile: list[results.ProfileEntry] = []
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
    group_lines: dict[int, list[str]] = {}  # per group, what it revealed
    # sliders, one group on the screen: its spread per item in the round before and now
    group_changes: dict[str, aggregates.RoundChange] = {}
    # only when the screen shows one group and that group's item is revealed
    group: int | None = None
    group_markers: dict[str, list[Marker]] = {}


def current_activity(state: RoomState) -> AnyActivity | None:
    return state.template.activity(state.current) if state.current else None


def current_sliders(state: RoomState) -> SlidersActivity | None:
    """The sliders of the current activity: a sliders activity, or the rating of a cards activity."""
    activity = current_activity(state)
    if isinstance(activity, SlidersActivity):
        return activity
    if isinstance(activity, CardsActivity):
        return activity.rating_sliders()
    return None

SCREEN_GROUPS_MAX = 12


def _markers(state: RoomState, activity: SlidersActivity, item: str, group: int, me: str | None) -> list[Marker]:
    reasons = state.reasons.get(activity.id, {}).get(item, {})
    return [
        Marker.model_construct(  # from the folded state, on every flush of a revealed group
            participant_id=m.id,
            name=m.name,
            # a copy: the fold changes the state's dicts in place, and a view is kept to compare
            values=dict(aggregates.positions_of(state, activity.id, item, m.id)),
            reason=reasons.get(m.id, ""),
            is_me=m.id == me,
        )
        for m in state.members(group)
        if aggregates.has_placed(state, activity, item, m.id)
    ]


def participant_view(
    state: RoomState, participant_id: str, lang: str = "nl", only_items: set[str] | None = None
) -> ParticipantView | None:
    """What one participant may see. With ``only_items`` the view's ``items`` hold just those
    sliders (a phone that knows which items an event changed redraws only those)."""
    me = state.participants.get(participant_id)
    if me is None:
        return None
    activity = current_sliders(state)
    members = state.members(me.group)
    items: list[ItemView] = []
    if activity is not None:
        for item in activity.items:
            if only_items is not None and item.id not in only_items:
                continue
            result = aggregates.group_item(state, activity, item.id, me.group)
            revealed = result.revealed
            items.append(
                ItemView.model_construct(  # built from the folded state: nothing to validate, per flush
                    id=item.id,
                    placed=result.placed,
                    members=result.members,
                    mine=dict(aggregates.positions_of(state, activity.id, item.id, me.id)),
                    my_reason=state.reasons.get(activity.id, {}).get(item.id, {}).get(me.id, ""),
                    revealed=revealed,
                    # Only once revealed: before that no other member's position leaves the engine.
                    markers=_markers(state, activity, item.id, me.group, me.id) if revealed else [],
                    spreads=result.spreads if revealed else {},
                    divergent=result.divergent if revealed else False,
                )
            )
    current = current_activity(state)
    view = ParticipantView.model_construct(  # as above: every phone's every flush builds one
        participant_id=me.id,
        name=me.name,
        group=me.group,
        group_names=[m.name for m in members],
        activity=current.id if current else None,
        status=state.status.get(current.id) if current else None,
        threshold=aggregates.threshold(state, activity) if activity else state.threshold,
        items=items,
        kind=current.kind if current else None,
        reveal=aggregates.reveal_mode(state, current) if current else "when-complete",
        timer_ends=state.timer_ends,
    )
    if current is not None:
        _fill_participant(state, current, me.id, me.group, view, lang)
    return view


def _fill_participant(
    state: RoomState, activity: AnyActivity, pid: str, group: int, view: ParticipantView, lang: str
) -> None:
    """The parts of a participant's view that belong to the current activity's kind."""
    members = state.members(group)
    names = {m.id: m.name for m in members}
    scope_member = isinstance(activity, TextActivity) and activity.scope == "member"
    owner = pid if scope_member else group_owner(group)
    view.texts = dict(state.texts.get(activity.id, {}).get(owner, {}))
    if isinstance(activity, SlidersActivity):
        view.round = state.round_of(activity.id, group)
        records = state.rounds.get(activity.id, {}).get(group, [])
        if records:
            view.start = {item: values[pid] for item, values in records[-1].before.items() if pid in values}
            for item in activity.items:
                change = aggregates.round_change(state, activity, item.id, group)
                if change is not None:
                    view.round_changes[item.id] = change
    if isinstance(activity, CardsActivity | SortActivity):
        view.targets = [TargetView(id=m.id, name=m.name, is_me=m.id == pid) for m in members]
        for card in results.deck_for(state, activity, group):
            result = results.card_result(state, activity, card.id, group)
            shown = result.revealed
            view.cards.append(CardView(
                id=card.id,
                label=card.label,
                mine=list(result.choices.get(pid, [])),
                assigned=result.assigned,
                members=result.members,
                revealed=shown,
                # Only once revealed: before that no other member's choice leaves the engine.
                choices=[(names[m], t) for m, t in result.choices.items()] if shown else [],
                agreed=result.agreed if shown else [],
                divergent=result.divergent if shown else False,
            ))
        if isinstance(activity, CardsActivity) and activity.targets == "members":
            view.profile = results.team_profile(state, activity, group, public=True)
            view.strengths = results.team_strengths(state, activity, group, public=True)
    if isinstance(activity, ChoiceActivity):
        chosen = results.choice_result(state, activity, group)
        view.choice = ChoiceView(
            mine=list(state.choices.get(activity.id, {}).get(pid, [])),
            own=chosen.own,
            done=chosen.done,
            members=chosen.members,
            revealed=chosen.revealed,
            chosen_by={o: [names[m] for m in who] for o, who in chosen.chosen_by.items()} if chosen.revealed else {},
            divergent=chosen.divergent if chosen.revealed else False,
        )
    if isinstance(activity, PracticeActivity):
        practice = results.practice_result(state, activity, group)
        view.practice = PracticeView(
            round=practice.round,
            observer=names.get(practice.observer or "", ""),
            am_observer=practice.observer == pid,
            talkers=[names[t] for t in practice.talkers],
            ends_at=practice.ends_at,
            ticked=practice.ticked,
            tips=practice.tips,
            rounds_done=practice.rounds_done,
        )
    if isinstance(activity, AgendaActivity):
        view.agenda = AgendaView(
            fields=results.agenda_fields(state, activity, group, lang),
            actions=results.actions(state, activity, group),
            suggestions=results.owner_suggestions(state, activity, group, lang),
        )


def host_view(state: RoomState, only: set[int] | None = None, lang: str = "nl") -> HostView:
    """Everything, for the facilitator; with ``only``, just those groups (the ones that changed)."""
    activity = current_sliders(state)
    current = current_activity(state)
    groups: list[GroupView] = []
    for group in state.groups():
        if only is not None and group not in only:
            continue
        members = [
            Marker(participant_id=m.id, name=m.name, values={}) for m in state.members(group)
        ]
        items: dict[str, aggregates.GroupItem] = {}
        item_markers: dict[str, list[Marker]] = {}
        if activity is not None:
            for item in activity.items:
                items[item.id] = aggregates.group_item(state, activity, item.id, group)
                item_markers[item.id] = _markers(state, activity, item.id, group, None)
        view = GroupView(group=group, members=members, items=items, item_markers=item_markers)
        if current is not None:
            view.progress = results.progress(state, current, group)
            view.divergent = results.is_divergent(state, current, group)
            view.round = state.round_of(current.id, group)
            if not isinstance(current, SlidersActivity):
                view.lines = results.summary(state, current, group, lang)
            elif activity is not None:
                for item in activity.items:
                    change = aggregates.round_change(state, activity, item.id, group)
                    if change is not None:
                        view.round_changes[item.id] = change
        groups.append(view)
    return HostView(
        activity=current.id if current else None,
        status=state.status.get(current.id) if current else None,
        threshold=aggregates.threshold(state, activity) if activity else state.threshold,
        groups=groups,
        kind=current.kind if current else None,
        reveal=aggregates.reveal_mode(state, current) if current else "when-complete",
        hotspots=aggregates.hotspots(state, activity) if isinstance(current, SlidersActivity) and activity else [],
    )


def _whole(value: float | None) -> int | None:
    return None if value is None else round(value)


def screen_view(state: RoomState, lang: str = "nl") -> ScreenView:
    activity = current_sliders(state)
    current = current_activity(state)
    items: list[ScreenItem] = []
    group_markers: dict[str, list[Marker]] = {}
    group_changes: dict[str, aggregates.RoundChange] = {}
    shown_group: int | None = None
    if state.screen.startswith("group:"):
        shown_group = int(state.screen.split(":", 1)[1])
    if activity is not None:
        for item in activity.items:
            room = aggregates.room_item(state, activity, item.id)
            items.append(
                ScreenItem(
                    id=item.id,
                    means={pos: _whole(v) for pos, v in room.means.items()},
                    lows=room.lows,
                    highs=room.highs,
                    groups_included=room.groups_included,
                    diverging=room.diverging,
                )
            )
            if shown_group is not None and aggregates.is_revealed(state, activity, item.id, shown_group):
                markers = _markers(state, activity, item.id, shown_group, None)
                group_markers[item.id] = [m.model_copy(update={"reason": ""}) for m in markers]
                change = aggregates.round_change(state, activity, item.id, shown_group)
                if change is not None:
                    group_changes[item.id] = change
    view = ScreenView(
        mode=state.screen,
        activity=current.id if current else None,
        participants=len(state.participants),
        groups=len(state.groups()),
        items=items,
        group=shown_group,
        group_markers=group_markers,
        group_changes=group_changes,
        kind=current.kind if current else None,
        timer_ends=state.timer_ends,
    )
    if current is not None and not isinstance(current, SlidersActivity):
        view.lines = results.room_lines(state, current, lang)
        shown = [shown_group] if shown_group is not None else state.groups()[:SCREEN_GROUPS_MAX]
        for group in shown:
            lines = results.summary(state, current, group, lang, public=True)
            if isinstance(current, TextActivity | AgendaActivity | PracticeActivity) or lines:
                view.group_lines[group] = lines
    return view


def view_for(
    state: RoomState, viewer: Viewer
) -> ParticipantView | HostView | ScreenView | None:
    """What ``viewer`` may see of ``state``."""
    if isinstance(viewer, ParticipantViewer):
        return participant_view(state, viewer.participant_id)
    if isinstance(viewer, HostViewer):
        return host_view(state)
    return screen_view(state)
