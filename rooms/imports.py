"""An imported event log is checked as strictly as live commands check what people send.

A room export (JSON) is a file anyone can edit. Before it is written to Redis, every event in
it is decided again: the command that would have written it is asked, with the event's own
input and the state folded so far, and must give back exactly that event. So a name is a name
(``clean_name``), a slider value lies between 0 and 100, a text is within its field's limit,
an activity, item, card or option exists, the participant had joined, and the room code is a
room code (it names keys, folders and files). Events come in a sane order: the room's creation
first and once, times finite and never running backwards by more than a few seconds.

A refused import raises ``ImportError_``: one line, Dutch first (the catalogue has the English),
naming the event and why.
"""

from __future__ import annotations

import math
import re
import time
from collections.abc import Sequence

from rooms import commands
from rooms.codes import normalize_code
from rooms.events import (
    TEXT_EVENTS,
    ActivityLocked,
    ActivityStarted,
    ActivityUnlocked,
    CardAssigned,
    CardSettled,
    Event,
    GroupRevealed,
    MemberMoved,
    OptionsChosen,
    ParticipantJoined,
    ReasonWritten,
    RevealModeChanged,
    RoomCreated,
    RoundStarted,
    ScreenChanged,
    SettingChanged,
    SliderPlaced,
    TextEdited,
    TextEvent,
    TimerSet,
    text_place,
)
from rooms.i18n import translate
from rooms.models import MAX_PARTICIPANTS, RoomState
from rooms.projection import apply
from rooms.validate import Rejected, clean_name, clean_text

# Clocks of two app instances differ a little, and an event's time is taken before its write:
# a later event may carry a slightly earlier time. More than this is no stream the app wrote.
CLOCK_SLACK = 60.0
FUTURE_SLACK = 86400.0
TITLE_MAX = 120  # as the landing page's title field (store.create_room)
PARTICIPANT_ID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
_GROUP = re.compile(r"^g([0-9]+)$")


class ImportError_(Rejected, ValueError):
    """A file that is not a room export we can read: ``text(lang)`` says why, in one line.

    ``str()`` gives the English (logs, the CLI's second half); ``cause`` is the command's own
    rejection when an event is one a live command would have refused."""

    def __init__(self, reason: str, message: str, /, **params: object) -> None:
        super().__init__(reason, message, **params)
        self.cause: Rejected | None = None

    def text(self, lang: str = "nl") -> str:
        own = translate(lang, self.message, **self.params)
        return own if self.cause is None else f"{own} {self.cause.text(lang)}"

    def __str__(self) -> str:
        return self.en


def check(events: Sequence[Event], now: float | None = None) -> None:
    """Refuse (``ImportError_``) an event log that live commands could not have written."""
    if not events or not isinstance(events[0], RoomCreated):
        raise ImportError_("import-first", "De eerste gebeurtenis moet het maken van de sessie zijn.")
    code = events[0].code
    if normalize_code(code) != code:
        raise ImportError_("import-code", "{code} is geen sessiecode.", code=repr(code[:20]))
    if any(event.code != code for event in events):
        raise ImportError_("import-rooms", "De gebeurtenissen horen bij meer dan één sessie.")
    latest = (time.time() if now is None else now) + FUTURE_SLACK
    state: RoomState | None = None
    previous = 0.0
    for index, event in enumerate(events):
        if not math.isfinite(event.at) or not 0 <= event.at <= latest or event.at < previous - CLOCK_SLACK:
            raise ImportError_("import-order", "Gebeurtenis {number} ({type}) staat niet op zijn plaats in de tijd.",
                               number=index, type=event.type)
        previous = max(previous, event.at)
        try:
            decided = _decide(state, event)
        except Rejected as exc:
            refusal = ImportError_("import-refused", "Gebeurtenis {number} ({type}) kan zo niet:",
                                   number=index, type=event.type)
            refusal.cause = exc
            raise refusal from None
        if decided is not None and decided != event.model_copy(update={"seq": 0}):
            raise ImportError_("import-altered", "Gebeurtenis {number} ({type}) is niet wat de app zelf schrijft.",
                               number=index, type=event.type)
        state = apply(state, event.model_copy(update={"seq": 0}))


def _decide(state: RoomState | None, event: Event) -> Event | None:
    """The event the live command gives for this event's input (None: checked here instead);
    raises the command's ``Rejected``."""
    if isinstance(event, RoomCreated):
        if state is not None:
            raise Rejected("import-twice", "Een sessie wordt maar één keer gemaakt.")
        _room_created(event)
        return None
    assert state is not None  # the first event is the creation (checked above)
    at = event.at
    if isinstance(event, ParticipantJoined):
        _joined(state, event)
        return None
    if isinstance(event, MemberMoved):
        _member(state, event.participant_id)
        if event.actor == "system":  # the join that splits an overfull last group
            if not 1 <= event.group <= max(state.groups(), default=0) + 1:
                raise Rejected("no-group", "Die groep bestaat niet.")
            return None
        return commands.move_member(state, event.participant_id, event.group, at)
    if isinstance(event, ActivityStarted):
        return commands.start(state, event.activity, at)
    if isinstance(event, ActivityLocked):
        return commands.lock(state, event.activity, at)
    if isinstance(event, ActivityUnlocked):
        return commands.unlock(state, event.activity, at)
    if isinstance(event, GroupRevealed):
        return commands.reveal(state, event.activity, event.group, at)
    if isinstance(event, ScreenChanged):
        return commands.show_on_screen(state, event.mode, at)
    if isinstance(event, RevealModeChanged):
        return commands.set_reveal_mode(state, event.activity, event.mode, at)
    if isinstance(event, TimerSet):
        return commands.set_timer(state, event.seconds, at)
    if isinstance(event, SettingChanged):
        return commands.set_setting(state, event.name, event.value, at)
    if isinstance(event, RoundStarted):
        if event.actor != "host" and state.participants[_member(state, event.actor)].group != event.group:
            raise Rejected("not-your-group", "Dat kan alleen iemand uit die groep.")
        return commands.start_round(state, event.activity, event.group, event.actor, at)
    if isinstance(event, TextEdited):
        return _edited(state, event)
    template, code = state.template, state.code
    member = _member(state, event.participant_id)
    if event.actor != event.participant_id:
        raise Rejected("import-actor", "Iemand anders dan de deelnemer zelf staat als schrijver.")
    if state.status.get(event.activity) != "open":  # the store's guard on every member's write
        raise Rejected("not-open", "Deze oefening staat niet open.")
    if isinstance(event, SliderPlaced):
        return commands.place(template, code, member, event.activity, event.item, event.position, event.value, at)
    if isinstance(event, ReasonWritten):
        return commands.write_reason(template, code, member, event.activity, event.item, event.text, at)
    if isinstance(event, CardAssigned):
        group = {m.id for m in state.members(state.participants[member].group)}  # the store's guard
        return commands.assign(template, code, member, event.activity, event.card, event.targets, at, group)
    if isinstance(event, CardSettled):
        return commands.settle(state, member, event.activity, event.card, event.targets, at)
    if isinstance(event, OptionsChosen):
        return commands.choose(template, code, member, event.activity, event.options, at)
    assert isinstance(event, TEXT_EVENTS)
    return _text(state, event, member)


def _room_created(event: RoomCreated) -> None:
    if event.actor != "host":
        raise Rejected("import-actor", "Iemand anders dan de begeleider staat als schrijver.")
    if event.title != event.template.title.nl and clean_text(event.title, TITLE_MAX) != event.title:
        raise Rejected("bad-title", "Die titel kan zo niet.")
    if not 2 <= event.group_size <= 6:
        raise Rejected("group-size", "Een groep telt 2 tot 6 mensen.")
    if not 1 <= event.threshold <= 100:
        raise Rejected("threshold", "De drempel ligt tussen 1 en 100.")


def _joined(state: RoomState, event: ParticipantJoined) -> None:
    """What ``commands.join`` decides and a replay must keep: a clean, unique name, the next
    number, an existing or the next group (how groups were filled has changed over versions)."""
    if not PARTICIPANT_ID.match(event.participant_id) or event.actor != event.participant_id:
        raise Rejected("import-participant", "Deze deelnemer kan zo niet bestaan.")
    if event.participant_id in state.participants:
        raise Rejected("already-joined", "Je doet al mee.")
    if len(state.participants) >= MAX_PARTICIPANTS:
        raise Rejected("room-full", "Deze sessie is vol.")
    if clean_name(event.name) != event.name or event.name.casefold() in {
        p.name.casefold() for p in state.participants.values()
    }:
        raise Rejected("import-name", "Deze naam kan zo niet.")
    if event.number != max((p.number for p in state.participants.values()), default=0) + 1:
        raise Rejected("import-number", "Het volgnummer van deze deelnemer klopt niet.")
    if not 1 <= event.group <= max(state.groups(), default=0) + 1:
        raise Rejected("no-group", "Die groep bestaat niet.")
    if event.role is not None:
        commands.clean_role(state, event.role)  # one of the room's roles


def _member(state: RoomState, participant_id: str) -> str:
    if participant_id not in state.participants:
        raise Rejected("no-participant", "Deze deelnemer bestaat niet.")
    return participant_id


def _edited(state: RoomState, event: TextEdited) -> Event | None:
    """A change to a shared text (``rooms.cotext``), by a member of the text's group (or its writer,
    for a member's own text) while the activity is open, or by the host in a group's text: the
    document is chosen as the live command chooses it (``commands.text_owner``/``host_text_owner``)."""
    if event.actor == "host":
        group = _GROUP.match(event.owner)
        if group is None or int(group[1]) not in state.groups():
            raise Rejected("import-owner", "Deze tekst hoort bij niemand in de sessie.")
        _spec, _field, owner, limit = commands.host_text_owner(state.template, int(group[1]), event.activity,
                                                               event.field)
    else:
        member = _member(state, event.actor)
        if event.participant_id != event.actor:
            raise Rejected("import-actor", "Iemand anders dan de deelnemer zelf staat als schrijver.")
        if state.status.get(event.activity) != "open":
            raise Rejected("not-open", "Deze oefening staat niet open.")
        _spec, _field, owner, limit = commands.text_owner(
            state.template, member, state.participants[member].group, event.activity, event.field)
    if event.owner != owner:
        raise Rejected("not-joined", "Je zit niet (meer) in deze groep; ververs de pagina.")
    doc = state.docs.get(event.activity, {}).get(event.owner, {}).get(event.field)
    text = state.texts.get(event.activity, {}).get(event.owner, {}).get(event.field)
    result = commands.edit_text(state.template, state.code, event.actor, event.owner, event.activity, event.field,
                                limit, event.update, doc, text, event.at)
    return None if result is None else result[0]


def _text(state: RoomState, event: TextEvent, member: str) -> Event:
    owner, field, text = text_place(event)
    group = _GROUP.match(owner)
    if group is not None:
        number = int(group[1])
    elif owner == member:
        number = state.participants[member].group
    else:
        raise Rejected("import-owner", "Deze tekst hoort bij niemand in de sessie.")
    if number != state.participants[member].group:  # the store's guard: a group's text, by its member
        raise Rejected("not-joined", "Je zit niet (meer) in deze groep; ververs de pagina.")
    return commands.write_text(state.template, state.code, member, number, event.activity, field, text, event.at)
