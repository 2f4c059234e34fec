"""Commands: validate what a person asked for and decide which events follow.

Pure functions of (state, input). The store writes the events atomically and
re-checks, inside Redis, the conditions that another writer could change
between the decision and the write (see ``rooms.store``).
"""

from __future__ import annotations

from rooms import mixing, spotlight, themes
from rooms import reveal as reveals
from rooms.commands_text import edit_text, host_text_owner, text_owner, text_target, write_text
from rooms.events import (
    ActivityLocked,
    ActivityStarted,
    ActivityUnlocked,
    CardAssigned,
    CardSettled,
    GroupRevealed,
    MemberMoved,
    OptionsChosen,
    ParticipantJoined,
    ReasonWritten,
    RevealModeChanged,
    RoundStarted,
    ScreenChanged,
    SettingChanged,
    SliderPlaced,
    TimerSet,
)
from rooms.kinds import registry
from rooms.kinds.agenda import ACTION_PART_MAX, AGENDA_ACTIONS_MAX
from rooms.kinds.cards import NONE_TARGET, NOTE_MAX, CardGame
from rooms.kinds.choice import KIND as CHOICE
from rooms.kinds.choice import OWN_OPTION_MAX
from rooms.kinds.practice import PRACTICE_ROUNDS_MAX
from rooms.models import (
    MAX_PARTICIPANTS,
    REASON_MAX,
    RoomState,
)
from rooms.templates import REVEAL_MODES, SlidersActivity, Template
from rooms.validate import Rejected, any_activity, clean_name, clean_text, clean_value, unique_name

__all__ = [  # the limits the app shows come from here, and what checks input at the edge
    "ACTION_PART_MAX", "AGENDA_ACTIONS_MAX", "NONE_TARGET", "NOTE_MAX", "OWN_OPTION_MAX", "PRACTICE_ROUNDS_MAX",
    "Rejected", "any_activity", "clean_name", "clean_text", "clean_value", "edit_text", "host_text_owner",
    "text_owner", "text_target", "unique_name", "write_text",
]

TIMER_MAX = 4 * 3600


def sliders_activity(template: Template, activity_id: str) -> SlidersActivity:
    """The sliders of an activity: a sliders activity, or the rating of a cards activity."""
    activity = any_activity(template, activity_id)
    sliders = registry.kind_of(activity).sliders(activity)
    if sliders is not None:
        return sliders
    raise Rejected("no-sliders", "Bij deze oefening horen geen schuiven.")


def _check_item(activity: SlidersActivity, item: str, position: str | None = None) -> None:
    if activity.item(item) is None:
        raise Rejected("no-item", "Deze schuif bestaat niet.")
    if position is not None and position not in activity.all_position_ids():
        raise Rejected("no-position", "Deze positie bestaat niet.")


def place(
    template: Template, code: str, participant_id: str, activity_id: str, item: str, position: str,
    value: object, now: float,
) -> SliderPlaced:
    activity = sliders_activity(template, activity_id)
    _check_item(activity, item, position)
    return SliderPlaced(
        code=code, at=now, actor=participant_id, participant_id=participant_id,
        activity=activity.id, item=item, position=position, value=clean_value(value),
    )


def write_reason(
    template: Template, code: str, participant_id: str, activity_id: str, item: str, text: object, now: float,
) -> ReasonWritten:
    activity = sliders_activity(template, activity_id)
    _check_item(activity, item)
    if not activity.reason:
        raise Rejected("no-reason", "Bij deze oefening hoort geen toelichting.")
    return ReasonWritten(
        code=code, at=now, actor=participant_id, participant_id=participant_id,
        activity=activity.id, item=item, text=clean_text(text, REASON_MAX),
    )


def join(
    state: RoomState, participant_id: str, raw_name: object, now: float, raw_role: object = None
) -> list[ParticipantJoined | MemberMoved]:
    """A new participant joins; groups fill in join order and nobody ends up alone.

    The last group fills up to the group size. The next newcomer joins it as an
    extra member rather than sit alone; the one after that forms a new group
    together with that extra member. Where groups have room (the last while it fills, or any after
    the host moved people), a newcomer takes one of those: the one where their role is rarest.
    """
    name = clean_name(raw_name)
    role = clean_role(state, raw_role)
    if participant_id in state.participants:
        raise Rejected("already-joined", "Je doet al mee.")
    if len(state.participants) >= MAX_PARTICIPANTS:
        raise Rejected("room-full", "Deze sessie is vol.")
    name = unique_name(name, {p.name for p in state.participants.values()})
    number = max((p.number for p in state.participants.values()), default=0) + 1
    size = state.group_size
    groups = state.groups()
    moves: list[MemberMoved] = []
    if not groups:
        group = 1
    else:
        last = groups[-1]
        members = state.members(last)
        newest_overall = max(state.participants.values(), key=lambda p: p.number)
        if len(members) <= size:
            group = last
        elif len(members) == size + 1 and members[-1].id == newest_overall.id:
            group = last + 1
            moves.append(
                MemberMoved(code=state.code, at=now, actor="system", participant_id=members[-1].id, group=group)
            )
        else:
            group = min(groups, key=lambda g: (len(state.members(g)), -g))
        open_groups = [g for g in groups if len(state.members(g)) < size]
        if open_groups and not moves:
            group = mixing.place(state, role, open_groups)
    joined = ParticipantJoined(
        code=state.code, at=now, actor=participant_id, participant_id=participant_id,
        name=name, number=number, group=group, role=role,
    )
    return [joined, *moves]


def clean_role(state: RoomState, raw: object) -> str | None:
    """A role from the room's list, or None when not said (the field is optional)."""
    if raw is None or raw == "":
        return None
    if not isinstance(raw, str) or raw not in {r.id for r in state.template.roles}:
        raise Rejected("no-role", "Kies een van de rollen, of laat het open.")
    return raw


def move_member(state: RoomState, participant_id: str, group: object, now: float) -> MemberMoved:
    member = state.participants.get(participant_id)
    if member is None:
        raise Rejected("no-participant", "Deze deelnemer bestaat niet.")
    if not isinstance(group, int) or isinstance(group, bool):
        raise Rejected("no-group", "Kies een groep.")
    highest = max(state.groups(), default=0)
    if not 1 <= group <= highest + 1:
        raise Rejected("no-group", "Die groep bestaat niet.")
    return MemberMoved(code=state.code, at=now, actor="host", participant_id=participant_id, group=group)


def start(state: RoomState, activity_id: str, now: float) -> ActivityStarted:
    any_activity(state.template, activity_id)
    return ActivityStarted(code=state.code, at=now, actor="host", activity=activity_id)


def advance(state: RoomState, now: float) -> ActivityStarted:
    following = state.template.next_after(state.current)
    if following is None:
        raise Rejected("no-next", "Dit was de laatste oefening.")
    return ActivityStarted(code=state.code, at=now, actor="host", activity=following.id)


def lock(state: RoomState, activity_id: str, now: float) -> ActivityLocked:
    if state.status.get(activity_id) != "open":
        raise Rejected("not-open", "Deze oefening staat niet open.")
    return ActivityLocked(code=state.code, at=now, actor="host", activity=activity_id)


def unlock(state: RoomState, activity_id: str, now: float) -> ActivityUnlocked:
    if state.status.get(activity_id) != "locked":
        raise Rejected("not-locked", "Deze oefening is niet vergrendeld.")
    return ActivityUnlocked(code=state.code, at=now, actor="host", activity=activity_id)


def reveal(state: RoomState, activity_id: str, group: int | None, now: float) -> GroupRevealed:
    any_activity(state.template, activity_id)
    if group is not None and group not in state.groups():
        raise Rejected("no-group", "Die groep bestaat niet.")
    return GroupRevealed(code=state.code, at=now, actor="host", activity=activity_id, group=group)


def show_on_screen(state: RoomState, mode: str, now: float) -> ScreenChanged:
    valid = mode in {"room", "blank", "join"} or (
        mode.startswith("group:") and mode[6:].isdigit() and int(mode[6:]) in state.groups()
    ) or _spotlit(state, mode) or _theme_shown(state, mode)
    if not valid:
        raise Rejected("bad-screen", "Dat kan het scherm niet tonen.")
    return ScreenChanged(code=state.code, at=now, actor="host", mode=mode)


def _spotlit(state: RoomState, mode: str) -> bool:
    """Whether ``mode`` puts an existing group's slider of a sliders activity in the spotlight."""
    spot = spotlight.parse(mode)
    if spot is None or spot.group not in state.groups():
        return False
    spec = state.template.activity(spot.activity)
    sliders = registry.kind_of(spec).sliders(spec) if spec is not None else None
    return sliders is not None and sliders.item(spot.item) is not None


def _theme_shown(state: RoomState, mode: str) -> bool:
    """Whether ``mode`` shows a theme of an existing slider (``rooms.themes``)."""
    found = themes.parse_mode(mode)
    spec = state.template.activity(found[0]) if found else None
    sliders = registry.kind_of(spec).sliders(spec) if spec is not None else None
    return found is not None and sliders is not None and sliders.item(found[1]) is not None


def assign(
    template: Template, code: str, participant_id: str, activity_id: str, card: object, targets: object,
    now: float, group_members: set[str] | None = None,
) -> CardAssigned:
    """A member's choice for a card. ``group_members``: who the member may give a card to."""
    activity = any_activity(template, activity_id)
    game = registry.kind_of(activity)
    if not isinstance(game, CardGame):
        raise Rejected("no-cards", "Bij deze oefening horen geen kaarten.")
    if not isinstance(card, str) or not game.may_assign(activity, card):
        raise Rejected("no-card", "Deze kaart bestaat niet.")
    if not isinstance(targets, list | tuple | set) or not all(isinstance(t, str) for t in targets):
        raise Rejected("bad-targets", "Kies bij wie of waar deze kaart hoort.")
    chosen = sorted(set(targets))
    pool = game.target_pool(activity)
    multiple = game.multiple(activity)
    if pool is not None:
        options = {c.id for c in pool}
    else:
        options = (group_members or set()) | {NONE_TARGET}
        if NONE_TARGET in chosen and len(chosen) > 1:
            chosen = [t for t in chosen if t != NONE_TARGET]
    if any(t not in options for t in chosen):
        raise Rejected("bad-targets", "Die keuze kan hier niet.")
    if not multiple and len(chosen) > 1:
        raise Rejected("one-target", "Kies er één.")
    return CardAssigned(
        code=code, at=now, actor=participant_id, participant_id=participant_id, activity=activity.id,
        card=card, targets=chosen,
    )


def settle(state: RoomState, participant_id: str, activity_id: str, card: object, targets: object,
           now: float) -> CardSettled:
    """A member settles a card for the whole group, once the group's own choices for it are shown:
    the same targets a member may give it to (``assign``); empty withdraws the decision."""
    activity = any_activity(state.template, activity_id)
    if not getattr(activity, "joint", False):
        raise Rejected("no-joint", "Bij deze oefening stellen jullie geen kaarten samen vast.")
    member = state.participants.get(participant_id)
    if member is None:
        raise Rejected("not-joined", "Je doet (nog) niet mee in deze sessie.")
    colleagues = {m.id for m in state.members(member.group)}
    chosen = assign(state.template, state.code, participant_id, activity.id, card, targets, now, colleagues)
    if not reveals.status(state, activity, chosen.card, member.group).revealed:
        raise Rejected("not-revealed", "Jullie keuzes voor deze kaart zijn nog niet zichtbaar; "
                                       "stel hem daarna samen vast.")
    return CardSettled(code=state.code, at=now, actor=participant_id, participant_id=participant_id,
                       activity=activity.id, group=member.group, card=chosen.card, targets=chosen.targets)


def named_members(template: Template, event: CardAssigned | CardSettled) -> list[str]:
    """The members a card was given to (the store checks they are in the giver's group)."""
    activity = any_activity(template, event.activity)
    game = registry.kind_of(activity)
    if not isinstance(game, CardGame) or game.target_pool(activity) is not None:
        return []
    return [t for t in event.targets if t != NONE_TARGET]


def choose(
    template: Template, code: str, participant_id: str, activity_id: str, options: object, now: float
) -> OptionsChosen:
    activity = any_activity(template, activity_id)
    if activity.kind != "choice":
        raise Rejected("no-choice", "Bij deze oefening hoort geen keuze.")
    if not isinstance(options, list | tuple | set) or not all(isinstance(o, str) for o in options):
        raise Rejected("bad-options", "Kies uit de opties.")
    chosen = sorted(set(options))
    for option in chosen:
        if not CHOICE.may_choose(activity, option):
            raise Rejected("bad-options", "Die optie bestaat niet.")
    return OptionsChosen(
        code=code, at=now, actor=participant_id, participant_id=participant_id, activity=activity.id,
        options=chosen,
    )


def start_round(state: RoomState, activity_id: str, group: object, actor: str, now: float) -> RoundStarted:
    """The group (or the host) starts a next round; for sliders the positions so far become "before"."""
    activity = any_activity(state.template, activity_id)
    if not registry.kind_of(activity).rounds(activity):
        raise Rejected("no-rounds", "Deze oefening heeft geen rondes.")
    sliders = registry.kind_of(activity).sliders(activity)
    if not isinstance(group, int) or isinstance(group, bool) or group not in state.groups():
        raise Rejected("no-group", "Die groep bestaat niet.")
    if state.status.get(activity.id) != "open":
        raise Rejected("not-open", "Deze oefening staat niet open.")
    number = state.round_of(activity.id, group)
    if number >= PRACTICE_ROUNDS_MAX:
        raise Rejected("too-many-rounds", "Meer rondes kunnen niet.")
    members = [m.id for m in state.members(group)]
    before: dict[str, dict[str, dict[str, int]]] = {}
    if sliders is not None:
        placed = state.placements.get(activity.id, {})
        for item in sliders.items:
            values = {pid: dict(placed.get(item.id, {}).get(pid, {})) for pid in members}
            values = {pid: v for pid, v in values.items() if v}
            if values:
                before[item.id] = values
        if not before:
            raise Rejected("nothing-placed", "Er is nog niets geplaatst in deze ronde.")
    return RoundStarted(
        code=state.code, at=now, actor=actor, activity=activity.id, group=group, round=number + 1,
        members=members if sliders is not None else [], before=before,
    )


def set_reveal_mode(state: RoomState, activity_id: str, mode: object, now: float) -> RevealModeChanged:
    activity = any_activity(state.template, activity_id)
    if not registry.kind_of(activity).reveals:
        raise Rejected("no-reveal", "Bij deze oefening valt niets te tonen.")
    if mode not in REVEAL_MODES:
        raise Rejected("bad-mode", "Die manier van tonen bestaat niet.")
    assert isinstance(mode, str)
    return RevealModeChanged(code=state.code, at=now, actor="host", activity=activity.id, mode=mode)


def set_timer(state: RoomState, seconds: object, now: float) -> TimerSet:
    """Start the room's timer for ``seconds``; 0 stops it."""
    if not isinstance(seconds, int) or isinstance(seconds, bool) or not 0 <= seconds <= TIMER_MAX:
        raise Rejected("bad-timer", "Kies een tijd tot 4 uur.")
    return TimerSet(code=state.code, at=now, actor="host", seconds=seconds,
                    ends_at=now + seconds if seconds else None)


SETTINGS = {"anonymous": {"0", "1"}, "lang": {"nl", "en"}}


def set_setting(state: RoomState, name: object, value: object, now: float) -> SettingChanged:
    if not isinstance(name, str) or name not in SETTINGS:
        raise Rejected("bad-setting", "Die instelling bestaat niet.")
    text = "1" if value is True else "0" if value is False else value
    if text not in SETTINGS[name]:
        raise Rejected("bad-setting", "Die waarde kan hier niet.")
    assert isinstance(text, str)
    return SettingChanged(code=state.code, at=now, actor="host", name=name, value=text)
