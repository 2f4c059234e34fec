"""Views: what each page is sent, built from what the gate (``rooms.gate``) lets its viewer know.

A phone's view is computed from its member's gated state (and its group's, for the group's
results); the screen's from the screen's; the host's from the whole room. The parts that belong
to one kind of activity are filled in by that kind's module (``rooms.kinds``).
"""

from __future__ import annotations

from rooms import aggregates, gate, reveal
from rooms.kinds import registry
from rooms.kinds.agenda import Action, AgendaView
from rooms.kinds.cards import CardView, ProfileEntry, TargetView
from rooms.kinds.choice import ChoiceView
from rooms.kinds.practice import PracticeView
from rooms.models import RoomState, group_owner
from rooms.spotlight import parse
from rooms.templates import AnyActivity, SlidersActivity
from rooms.themes import Theme, parse_mode, themes
from rooms.view_models import (
    GroupView,
    HostView,
    ItemView,
    Marker,
    ParticipantView,
    ScreenItem,
    ScreenView,
    SpotlightView,
    ThemeView,
    built,
)

__all__ = [
    "Action",
    "AgendaView",
    "CardView",
    "ChoiceView",
    "GroupView",
    "HostView",
    "ItemView",
    "Marker",
    "ParticipantView",
    "PracticeView",
    "ProfileEntry",
    "ScreenItem",
    "ScreenView",
    "SpotlightView",
    "TargetView",
    "Theme",
    "ThemeView",
    "current_activity",
    "current_sliders",
    "host_view",
    "hotspot_key",
    "participant_view",
    "screen_view",
    "spotlight_view",
    "theme_view",
    "themes_of",
]


def current_activity(state: RoomState) -> AnyActivity | None:
    return state.template.activity(state.current) if state.current else None


def current_sliders(state: RoomState) -> SlidersActivity | None:
    """The sliders of the current activity: a sliders activity, or the rating of a cards activity."""
    activity = current_activity(state)
    return registry.kind_of(activity).sliders(activity) if activity is not None else None

SCREEN_GROUPS_MAX = 8  # groups on one page of the screen: it pages through larger rooms


def _markers(state: RoomState, activity: SlidersActivity, item: str, group: int) -> list[Marker]:
    """The group's markers on one item, kept with the group's part until its work changes: the
    members' views share them (a trio's three flushes after a placement build them once)."""
    return state.memo(("markers", activity.id, item), group, lambda: _build_markers(state, activity, item, group),
                      unit=(activity.id, item))


def _build_markers(state: RoomState, activity: SlidersActivity, item: str, group: int) -> list[Marker]:
    reasons = state.reasons.get(activity.id, {}).get(item, {})
    return [
        built(  # from the folded state, once per change of a revealed group
            Marker,
            participant_id=m.id,
            name=m.name,
            # a copy: the fold changes the state's dicts in place, and a view is kept to compare
            values=dict(aggregates.positions_of(state, activity.id, item, m.id)),
            reason=reasons.get(m.id, ""),
            number=m.number,
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
    current = current_activity(state)
    kind = registry.kind_of(current) if current is not None else None
    needed = _needed(current)
    mine = gate.visible(state, gate.Member(me.id), needed)
    # the group's part is shared by its members' views (its results are kept with it)
    ours = gate.visible(state, gate.Group(me.group), needed)
    activity = current_sliders(mine)
    items: list[ItemView] = []
    if activity is not None:
        for item in activity.items:
            if only_items is not None and item.id not in only_items:
                continue
            result = aggregates.group_item(ours, activity, item.id, me.group)
            revealed = result.revealed
            items.append(
                built(  # from the folded state: nothing to validate, per flush
                    ItemView,
                    id=item.id,
                    placed=result.placed,
                    members=result.members,
                    mine=dict(aggregates.positions_of(mine, activity.id, item.id, me.id)),
                    my_reason=mine.reasons.get(activity.id, {}).get(item.id, {}).get(me.id, ""),
                    revealed=revealed,
                    markers=_markers(ours, activity, item.id, me.group) if revealed else [],
                    spreads=result.spreads if revealed else {},
                    divergent=result.divergent if revealed else False,
                )
            )
    view = built(  # as above: every phone's every flush builds one
        ParticipantView,
        participant_id=me.id,
        name=me.name,
        group=me.group,
        group_names=[m.name for m in state.members(me.group)],
        activity=current.id if current else None,
        status=state.status.get(current.id) if current else None,
        threshold=aggregates.threshold(state, activity) if activity else state.threshold,
        items=items,
        kind=current.kind if current else None,
        reveal=reveal.reveal_mode(state, current) if current else "when-complete",
        timer_ends=state.timer_ends,
        # every field given (``built`` checks): the defaults are never shared between views
        texts={}, docs={}, cards=[], targets=[], choice=None, practice=None, agenda=None, profile=[], strengths=[],
        round=1, round_changes={}, start={},
    )
    if current is not None and kind is not None:
        view.texts = dict(mine.texts.get(current.id, {}).get(group_owner(me.group), {}))
        docs = mine.docs.get(current.id, {})
        view.docs = {**docs.get(group_owner(me.group), {}), **docs.get(me.id, {})}
        kind.fill(mine, ours, current, me.id, view, lang)
    return view


def host_view(state: RoomState, only: set[int] | None = None, lang: str = "nl") -> HostView:
    """Everything, for the facilitator; with ``only``, just those groups (the ones that changed)."""
    state = gate.visible(state, gate.Host())
    activity = current_sliders(state)
    current = current_activity(state)
    kind = registry.kind_of(current) if current is not None else None
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
                item_markers[item.id] = _markers(state, activity, item.id, group)
        view = GroupView(group=group, members=members, items=items, item_markers=item_markers)
        if current is not None and kind is not None:
            view.progress = kind.progress(state, current, group)
            view.divergent = kind.divergent(state, current, group)
            view.round = state.round_of(current.id, group)
            if not kind.console:
                view.lines = kind.summary(state, current, group, lang)
            elif activity is not None:
                for item in activity.items:
                    change = aggregates.round_change(state, activity, item.id, group)
                    if change is not None:
                        view.round_changes[item.id] = change
        groups.append(view)
    spots = aggregates.hotspots(state, activity) if kind is not None and kind.console and activity else []
    return HostView(
        activity=current.id if current else None,
        status=state.status.get(current.id) if current else None,
        threshold=aggregates.threshold(state, activity) if activity else state.threshold,
        groups=groups,
        kind=current.kind if current else None,
        reveal=reveal.reveal_mode(state, current) if current else "when-complete",
        hotspots=spots,
        hotspot_markers={hotspot_key(h.group, h.item): _markers(state, activity, h.item, h.group)
                         for h in spots if activity is not None},
        spotlight=parse(state.screen),
    )


def hotspot_key(group: int, item: str) -> str:
    return f"{group}:{item}"


def _whole(value: float | None) -> int | None:
    return None if value is None else round(value)


def _needed(current: AnyActivity | None) -> list[str]:
    """The activities a view of ``current`` is made from: itself and what it draws on (the agenda's
    pre-fill), cut by the viewer's gate like the rest."""
    return [] if current is None else [current.id, *registry.kind_of(current).sources(current)]


def screen_view(state: RoomState, lang: str = "nl", page: int = 0) -> ScreenView:
    """What the projector shows. A large room's groups come in pages of ``SCREEN_GROUPS_MAX``
    (the screen rotates through them); every group of the page is listed, with a result or not."""
    current = current_activity(state)
    kind = registry.kind_of(current) if current is not None else None
    shown = gate.visible(state, gate.Screen(), _needed(current))
    activity = current_sliders(shown)
    items: list[ScreenItem] = []
    group_markers: dict[str, list[Marker]] = {}
    group_changes: dict[str, aggregates.RoundChange] = {}
    shown_group: int | None = None
    if state.screen.startswith("group:"):
        shown_group = int(state.screen.split(":", 1)[1])
    if activity is not None:
        for item in activity.items:
            room = aggregates.room_item(shown, activity, item.id)
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
            if shown_group is not None and aggregates.is_revealed(shown, activity, item.id, shown_group):
                group_markers[item.id] = _markers(shown, activity, item.id, shown_group)
                change = aggregates.round_change(shown, activity, item.id, shown_group)
                if change is not None:
                    group_changes[item.id] = change
    view = ScreenView(
        spotlight=spotlight_view(state, lang),
        theme=theme_view(state, lang),
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
    if current is not None and kind is not None and not kind.console:
        view.lines = kind.room_lines(shown, current, lang)
        view.bars = [(b.label, b.value, b.of) for b in kind.room_bars(shown, current, lang)]
        everyone = state.groups()
        view.pages = max(1, -(-len(everyone) // SCREEN_GROUPS_MAX))
        view.page = page % view.pages
        start = view.page * SCREEN_GROUPS_MAX
        groups = [shown_group] if shown_group is not None else everyone[start:start + SCREEN_GROUPS_MAX]
        if shown_group is not None:
            view.matrix = kind.group_matrix(shown, current, shown_group, lang)
        for group in groups:
            view.group_lines[group] = kind.summary(shown, current, group, lang)
    return view


def spotlight_view(state: RoomState, lang: str = "nl") -> SpotlightView | None:
    """What the screen shows of the group's slider the host put in the spotlight, from what the
    gate lets the spotlight know: that one item of that one group, once revealed, and only that."""
    spot = parse(state.screen)
    if spot is None:
        return None
    shown = gate.visible(state, gate.Spotlight(spot, lang))
    spec = shown.template.activity(spot.activity)
    activity = registry.kind_of(spec).sliders(spec) if spec is not None else None
    if activity is None or activity.item(spot.item) is None:
        return None
    result = aggregates.group_item(shown, activity, spot.item, spot.group)
    markers = _markers(shown, activity, spot.item, spot.group) if result.revealed else []
    return SpotlightView(group=spot.group, activity=activity.id, item=spot.item, names=spot.names,
                         revealed=result.revealed and bool(markers), markers=markers,
                         spreads=result.spreads if result.revealed else {})


def themes_of(state: RoomState, activity_id: str, item: str, lang: str = "nl", names: bool = True) -> list[Theme]:
    """The themes of one slider's reasons, from the reasons groups have revealed (the gate's
    ``Reasons``): the host's list (``names``) and the screen's are computed from the same texts,
    so a theme the host puts on the screen is the one the screen finds."""
    shown = gate.visible(state, gate.Reasons(activity_id, item, names))
    spec = shown.template.activity(activity_id)
    activity = registry.kind_of(spec).sliders(spec) if spec is not None else None
    if activity is None or activity.item(item) is None:
        return []
    return themes(shown, activity, item, lang)


def theme_view(state: RoomState, lang: str = "nl") -> ThemeView | None:
    found = parse_mode(state.screen)
    if found is None:
        return None
    activity, item, key = found
    theme = next((t for t in themes_of(state, activity, item, lang, names=False) if key in t.keys), None)
    return ThemeView(activity=activity, item=item, key=key, theme=theme)
