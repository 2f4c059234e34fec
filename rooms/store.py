"""The room store: commands written to Redis atomically, state and events read back.

Every write is one Lua script call that checks its guards, updates the live
state keys, appends the events to the room's stream and publishes them, all or
nothing. Guards re-check inside Redis what another writer could have changed
since the command decided (an activity locked meanwhile, a roster that grew),
so no write rests on a stale read.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

from redis.asyncio import Redis

from rooms import commands, keys
from rooms.codes import new_code, new_participant_id, new_token, token_hash, token_matches
from rooms.commands import Rejected
from rooms.events import (
    ActionWritten,
    ActivityLocked,
    ActivityStarted,
    ActivityUnlocked,
    CardAssigned,
    Event,
    GroupRevealed,
    MemberMoved,
    NoteWritten,
    OptionsChosen,
    OwnOptionNamed,
    ParticipantJoined,
    ReasonWritten,
    RevealModeChanged,
    RoomCreated,
    RoundStarted,
    ScreenChanged,
    SettingChanged,
    SliderPlaced,
    StepTicked,
    TextEvent,
    TextWritten,
    TimerSet,
    TipsWritten,
    decode,
    encode,
    text_place,
)
from rooms.models import Participant, RoomState, RoundRecord
from rooms.templates import CardsActivity, SlidersActivity, Template

_WRITE = """
local i = 2
local n_events = tonumber(ARGV[i]); i = i + 1
local events = {}
for e = 1, n_events do events[e] = ARGV[i]; i = i + 1 end
local n_guards = tonumber(ARGV[i]); i = i + 1
for g = 1, n_guards do
  local kind, key, field, value = ARGV[i], KEYS[tonumber(ARGV[i + 1])], ARGV[i + 2], ARGV[i + 3]
  i = i + 4
  local ok
  if kind == 'eq' then ok = redis.call('HGET', key, field) == value
  elseif kind == 'has' then ok = redis.call('HEXISTS', key, field) == 1
  elseif kind == 'lacks' then ok = redis.call('HEXISTS', key, field) == 0
  elseif kind == 'get' then ok = (redis.call('GET', key) or '0') == value
  else return redis.error_reply('unknown guard ' .. kind) end
  if not ok then return {0, g} end
end
local n_ops = tonumber(ARGV[i]); i = i + 1
for o = 1, n_ops do
  local kind, key, field, value = ARGV[i], KEYS[tonumber(ARGV[i + 1])], ARGV[i + 2], ARGV[i + 3]
  i = i + 4
  if kind == 'hset' then redis.call('HSET', key, field, value)
  elseif kind == 'hdel' then redis.call('HDEL', key, field)
  elseif kind == 'hincr' then redis.call('HINCRBY', key, field, value)
  elseif kind == 'hsetnx' then redis.call('HSETNX', key, field, value)
  elseif kind == 'set' then redis.call('SET', key, value)
  else return redis.error_reply('unknown op ' .. kind) end
end
local seq, id
for e = 1, n_events do
  seq = redis.call('INCR', KEYS[2])
  id = redis.call('XADD', KEYS[1], '*', 'seq', seq, 'e', events[e])
  redis.call('PUBLISH', ARGV[1], seq .. '|' .. id .. '|' .. events[e])
end
return {1, seq, id}
"""

# Key slots a write may touch, by index into KEYS (1-based, as Lua sees them).
(_EVENTS, _SEQ, _META, _TEMPLATE, _PARTICIPANTS, _PLACEMENTS, _REASONS, _SECRET, _BROWSERS, _TEXTS, _CARDS,
 _CHOICES, _GROUPS) = range(1, 14)


def _write_keys(code: str) -> list[str]:
    return [
        keys.events_key(code),
        keys.seq_key(code),
        keys.meta_key(code),
        keys.template_key(code),
        keys.participants_key(code),
        keys.placements_key(code),
        keys.reasons_key(code),
        keys.secret_key(code),
        keys.browsers_key(code),
        keys.texts_key(code),
        keys.cards_key(code),
        keys.choices_key(code),
        keys.groups_key(code),
    ]


@dataclass(frozen=True)
class Guard:
    kind: str  # eq | has | lacks (hash fields) | get (a string key, missing reads as "0")
    key: int
    field: str
    value: str = ""


@dataclass(frozen=True)
class Op:
    kind: str  # hset | hsetnx | hdel | hincr | set
    key: int
    field: str = ""
    value: str = ""


WRITE_SCRIPT = _WRITE
META_SLOT, SECRET_SLOT = _META, _SECRET  # for writers outside this module (import)


def write_keys(code: str) -> list[str]:
    return _write_keys(code)


def write_args(code: str, events: Sequence[Event], guards: Sequence[Guard], ops: Sequence[Op]) -> list[Any]:
    """The arguments of the write script: channel, events, guards, ops (see ``_WRITE``)."""
    args: list[Any] = [keys.channel(code), len(events), *(encode(e) for e in events), len(guards)]
    for g in guards:
        args += [g.kind, g.key, g.field, g.value]
    args.append(len(ops))
    for o in ops:
        args += [o.kind, o.key, o.field, o.value]
    return args


def placement_field(activity: str, item: str, position: str, participant_id: str) -> str:
    return f"{activity}|{item}|{position}|{participant_id}"


def reason_field(activity: str, item: str, participant_id: str) -> str:
    return f"{activity}|{item}|{participant_id}"


def text_field(activity: str, owner: str, field: str) -> str:
    return f"{activity}|{owner}|{field}"


def card_field(activity: str, card: str, participant_id: str) -> str:
    return f"{activity}|{card}|{participant_id}"


def choice_field(activity: str, participant_id: str) -> str:
    return f"{activity}|{participant_id}"


def _participant_json(p: Participant) -> str:
    return p.model_dump_json()


def ops_for(event: Event, state: RoomState | None) -> list[Op]:
    """The live-state writes that mirror ``projection.apply`` for one event."""
    match event:
        case RoomCreated():
            return [
                Op("set", _TEMPLATE, value=event.template.model_dump_json()),
                Op("hset", _META, "code", event.code),
                Op("hset", _META, "title", event.title),
                Op("hset", _META, "created_at", repr(event.at)),
                Op("hset", _META, "group_size", str(event.group_size)),
                Op("hset", _META, "threshold", str(event.threshold)),
                Op("hset", _META, "screen", "room"),
                Op("hset", _META, "roster", "0"),
            ]
        case ParticipantJoined():
            p = Participant(
                id=event.participant_id, name=event.name, number=event.number, group=event.group,
                joined_at=event.at,
            )
            return [Op("hset", _PARTICIPANTS, event.participant_id, _participant_json(p)),
                    Op("hset", _GROUPS, event.participant_id, str(event.group)),
                    Op("hincr", _META, "roster", "1")]
        case MemberMoved():
            assert state is not None
            member = state.participants[event.participant_id].model_copy(update={"group": event.group})
            return [Op("hset", _PARTICIPANTS, event.participant_id, _participant_json(member)),
                    Op("hset", _GROUPS, event.participant_id, str(event.group)),
                    Op("hincr", _META, "roster", "1")]
        case ActivityStarted():
            return [Op("hset", _META, "current", event.activity),
                    Op("hset", _META, f"status:{event.activity}", "open"),
                    Op("hsetnx", _META, f"started:{event.activity}", repr(event.at))]
        case ActivityLocked():
            return [Op("hset", _META, f"status:{event.activity}", "locked")]
        case ActivityUnlocked():
            return [Op("hset", _META, f"status:{event.activity}", "open")]
        case SliderPlaced():
            field = placement_field(event.activity, event.item, event.position, event.participant_id)
            return [Op("hset", _PLACEMENTS, field, str(event.value))]
        case ReasonWritten():
            field = reason_field(event.activity, event.item, event.participant_id)
            return [Op("hset", _REASONS, field, event.text) if event.text else Op("hdel", _REASONS, field)]
        case GroupRevealed():
            who = "all" if event.group is None else str(event.group)
            return [Op("hset", _META, f"revealed:{event.activity}:{who}", "1")]
        case ScreenChanged():
            return [Op("hset", _META, "screen", event.mode)]
        case TextWritten() | NoteWritten() | OwnOptionNamed() | ActionWritten() | StepTicked() | TipsWritten():
            owner, name, text = text_place(event)
            field = text_field(event.activity, owner, name)
            return [Op("hset", _TEXTS, field, text) if text else Op("hdel", _TEXTS, field)]
        case CardAssigned():
            field = card_field(event.activity, event.card, event.participant_id)
            return [Op("hset", _CARDS, field, ",".join(event.targets)) if event.targets
                    else Op("hdel", _CARDS, field)]
        case OptionsChosen():
            field = choice_field(event.activity, event.participant_id)
            return [Op("hset", _CHOICES, field, ",".join(event.options)) if event.options
                    else Op("hdel", _CHOICES, field)]
        case RoundStarted():
            assert state is not None
            record = RoundRecord(round=event.round - 1, ended_at=event.at, before=event.before)
            ops = [Op("hset", _META, f"round:{event.activity}:{event.group}:{event.round - 1}",
                      record.model_dump_json())]
            activity = state.template.activity(event.activity)
            if isinstance(activity, SlidersActivity):
                for item in activity.items:
                    for pos in activity.position_ids():
                        ops += [Op("hdel", _PLACEMENTS, placement_field(event.activity, item.id, pos, pid))
                                for pid in event.members]
            return ops
        case RevealModeChanged():
            return [Op("hset", _META, f"reveal:{event.activity}", event.mode)]
        case SettingChanged():
            return [Op("hset", _META, f"setting:{event.name}", event.value)]
        case TimerSet():
            ends = "" if event.ends_at is None else repr(event.ends_at)
            return [Op("hset", _META, "timer", f"{event.seconds}|{ends}")]
    raise TypeError(f"no ops for {type(event).__name__}")


class RoomNotFound(Rejected):
    def __init__(self) -> None:
        super().__init__(
            "no-room",
            "Deze code kennen we niet, of de sessie is verlopen. Kijk de code nog eens na op het scherm.",
            "We don't know this code, or the session has expired. Please check the code on the screen.",
        )


class Conflict(Exception):
    """A guard failed: the state changed between decision and write."""

    def __init__(self, guard: Guard) -> None:
        super().__init__(f"guard failed: {guard}")
        self.guard = guard


def _not_open() -> Rejected:
    return Rejected(
        "not-open",
        "Deze oefening is nu niet open; je keuze is niet opgeslagen.",
        "This exercise is not open now; your choice was not saved.",
    )


class PhoneEntry(NamedTuple):
    exists: bool
    lang: str | None
    title: str | None
    participant: str | None


class RoomStore:
    """Reads and writes rooms in Redis. ``redis`` must decode responses (str)."""

    def __init__(self, redis: Redis) -> None:
        self.redis = redis
        self._script = redis.register_script(_WRITE)
        self._templates: dict[str, Template] = {}
        self._parsed: dict[str, tuple[str, Template]] = {}  # code -> (stored JSON, its template)
        self._roster_locks: dict[str, asyncio.Lock] = {}

    # -- writing ---------------------------------------------------------------------------

    async def _write(
        self, code: str, events: Sequence[Event], guards: Sequence[Guard], ops: Sequence[Op]
    ) -> int:
        result = await self._script(keys=_write_keys(code), args=write_args(code, events, guards, ops))
        if int(result[0]) != 1:
            raise Conflict(guards[int(result[1]) - 1])
        return int(result[1])

    async def create_room(
        self, template: Template, *, title: str | None = None, group_size: int | None = None,
        threshold: int | None = None,
    ) -> tuple[str, str]:
        """Create a room; returns (code, host token). The token is shown once and stored hashed."""
        size = template.group_size if group_size is None else group_size
        if not 2 <= size <= 6:
            raise Rejected("group-size", "Een groep telt 2 tot 6 mensen.", "A group has 2 to 6 people.")
        limit = template.threshold if threshold is None else threshold
        if not 1 <= limit <= 100:
            raise Rejected("threshold", "De drempel ligt tussen 1 en 100.", "The threshold lies between 1 and 100.")
        room_title = commands.clean_text(title, 120) if title else template.title.nl
        for _ in range(20):
            code = new_code()
            token = new_token()
            event = RoomCreated(
                code=code, at=time.time(), actor="host", title=room_title or template.title.nl,
                template=template, group_size=size, threshold=limit,
            )
            ops = [*ops_for(event, None), Op("set", _SECRET, value=token_hash(token))]
            try:
                await self._write(code, [event], [Guard("lacks", _META, "code")], ops)
            except Conflict:
                continue
            await self.redis.zadd(keys.rooms_index_key(), {code: event.at})
            self._templates[code] = template
            return code, token
        raise RuntimeError("could not find a free room code")

    async def template(self, code: str) -> Template:
        cached = self._templates.get(code)
        if cached is not None:
            return cached
        raw = await self.redis.get(keys.template_key(code))
        if raw is None:
            raise RoomNotFound()
        template = Template.model_validate_json(raw)
        self._templates[code] = template
        return template

    def _template_from(self, code: str, raw: str) -> Template:
        """Parse a room's stored template once: every join loads the room, and parsing the
        programme (eleven activities, 44 cards) was most of a join's server time."""
        cached = self._parsed.get(code)
        if cached is not None and cached[0] == raw:
            return cached[1]
        template = Template.model_validate_json(raw)
        self._parsed[code] = (raw, template)
        self._templates.setdefault(code, template)
        return template

    async def place(
        self, code: str, participant_id: str, activity: str, item: str, position: str, value: object
    ) -> SliderPlaced:
        template = await self.template(code)
        event = commands.place(template, code, participant_id, activity, item, position, value, time.time())
        await self._member_write(code, event, event.activity, None)
        return event

    async def write_reason(
        self, code: str, participant_id: str, activity: str, item: str, text: object
    ) -> ReasonWritten:
        template = await self.template(code)
        event = commands.write_reason(template, code, participant_id, activity, item, text, time.time())
        await self._member_write(code, event, event.activity, None)
        return event

    async def join(
        self, code: str, name: object, participant_id: str | None = None, browser: str | None = None
    ) -> Participant:
        """Add a participant, placing them in a group. Roster changes are serialized per room.

        With ``browser`` (the phone's session id) the participant is bound to that browser
        in the same write, and a browser that already joined gets its participant back.
        """
        pid = participant_id or new_participant_id()
        commands.clean_name(name)  # refuse bad names before touching Redis
        lock = self._roster_locks.setdefault(code, asyncio.Lock())
        async with lock:
            for _ in range(50):
                state = await self.load(code)
                if state is None:
                    raise RoomNotFound()
                if browser is not None:
                    existing = await self.participant_for_browser(code, browser)
                    if existing is not None and existing in state.participants:
                        return state.participants[existing]
                events = commands.join(state, pid, name, time.time())
                extra_guards = [Guard("lacks", _BROWSERS, browser)] if browser else []
                extra_ops = [Op("hset", _BROWSERS, browser, pid)] if browser else []
                try:
                    await self._roster_write(code, state, events, extra_guards, extra_ops)
                except Conflict:
                    continue  # another writer changed the roster meanwhile: decide again
                joined = events[0]
                assert isinstance(joined, ParticipantJoined)
                await self.redis.zadd(keys.rooms_index_key(), {code: joined.at})
                return Participant(
                    id=pid, name=joined.name, number=joined.number, group=joined.group, joined_at=joined.at
                )
        raise RuntimeError("roster kept changing")

    async def _roster_write(
        self, code: str, state: RoomState, events: Sequence[ParticipantJoined | MemberMoved],
        guards: Sequence[Guard] = (), ops: Sequence[Op] = (),
    ) -> None:
        """Write roster events only if nobody changed the roster since ``state`` was read."""
        writes = list(ops)
        for event in events:
            writes += ops_for(event, state)
        roster_guard = Guard("eq", _META, "roster", str(state.roster))
        await self._write(code, events, [roster_guard, *guards], writes)

    async def phone_entry(self, code: str, browser: str) -> PhoneEntry:
        """What a phone's page needs first, in one round trip: whether the room exists, its
        participants' default language, its title, and the participant this browser joined as."""
        async with self.redis.pipeline(transaction=False) as pipe:
            pipe.hmget(keys.meta_key(code), ["code", "setting:lang", "title"])
            pipe.hget(keys.browsers_key(code), browser)
            (exists, lang, title), pid = await pipe.execute()
        return PhoneEntry(
            exists=exists is not None,
            lang=None if lang is None else str(lang),
            title=None if title is None else str(title),
            participant=None if pid is None else str(pid),
        )

    async def participant_for_browser(self, code: str, browser: str) -> str | None:
        pid = await self.redis.hget(keys.browsers_key(code), browser)
        return None if pid is None else str(pid)

    async def move_member(self, code: str, participant_id: str, group: object) -> MemberMoved:
        lock = self._roster_locks.setdefault(code, asyncio.Lock())
        async with lock:
            for _ in range(50):
                state = await self._require(code)
                event = commands.move_member(state, participant_id, group, time.time())
                try:
                    await self._roster_write(code, state, [event])
                except Conflict:
                    continue
                return event
        raise RuntimeError("roster kept changing")

    async def _host_write(self, code: str, event: Event) -> Event:
        await self._write(code, [event], [Guard("has", _META, "code")], ops_for(event, None))
        return event

    async def start(self, code: str, activity: str) -> Event:
        return await self._host_write(code, commands.start(await self._require(code), activity, time.time()))

    async def advance(self, code: str) -> Event:
        return await self._host_write(code, commands.advance(await self._require(code), time.time()))

    async def lock(self, code: str, activity: str) -> Event:
        return await self._host_write(code, commands.lock(await self._require(code), activity, time.time()))

    async def unlock(self, code: str, activity: str) -> Event:
        return await self._host_write(code, commands.unlock(await self._require(code), activity, time.time()))

    async def reveal(self, code: str, activity: str, group: int | None = None) -> Event:
        event = commands.reveal(await self._require(code), activity, group, time.time())
        return await self._host_write(code, event)

    async def show_on_screen(self, code: str, mode: str) -> Event:
        event = commands.show_on_screen(await self._require(code), mode, time.time())
        return await self._host_write(code, event)

    async def set_reveal_mode(self, code: str, activity: str, mode: object) -> Event:
        event = commands.set_reveal_mode(await self._require(code), activity, mode, time.time())
        return await self._host_write(code, event)

    async def set_setting(self, code: str, name: str, value: object) -> Event:
        return await self._host_write(code, commands.set_setting(await self._require(code), name, value, time.time()))

    async def set_timer(self, code: str, seconds: object) -> Event:
        return await self._host_write(code, commands.set_timer(await self._require(code), seconds, time.time()))

    async def start_round(self, code: str, activity: str, group: object, actor: str = "host") -> RoundStarted:
        """The host, or a member of the group (``actor``), starts the group's next round."""
        for _ in range(20):
            state = await self._require(code)
            if actor != "host":
                member = state.participants.get(actor)
                if member is None or member.group != group:
                    raise Rejected("not-your-group", "Dat kan alleen iemand uit die groep.",
                                   "Only someone from that group can do that.")
            event = commands.start_round(state, activity, group, actor, time.time())
            # nothing may have happened since the state was read: the "before" must be exact
            guards = [Guard("get", _SEQ, "", str(state.seq)), Guard("eq", _META, f"status:{activity}", "open")]
            try:
                await self._write(code, [event], guards, ops_for(event, state))
            except Conflict as exc:
                if exc.guard.kind == "eq":
                    raise _not_open() from None
                continue
            return event
        raise RuntimeError("room kept changing")

    async def _member_write(self, code: str, event: Event, activity: str, group: int | None, *,
                            also: Sequence[str] = ()) -> None:
        """A participant's write: they exist (in ``group``, with ``also`` in it too) and the activity is open."""
        actor = event.actor
        guards = [Guard("eq", _GROUPS, actor, str(group)) if group is not None else Guard("has", _PARTICIPANTS, actor)]
        guards += [Guard("eq", _GROUPS, other, str(group)) for other in also]
        guards.append(Guard("eq", _META, f"status:{activity}", "open"))
        try:
            await self._write(code, [event], guards, ops_for(event, None))
        except Conflict as exc:
            if exc.guard.kind == "eq" and exc.guard.key == _GROUPS:
                if exc.guard.field == actor:
                    raise Rejected("not-joined", "Je zit niet (meer) in deze groep; ververs de pagina.",
                                   "You are not in this group (anymore); reload the page.") from None
                raise Rejected("not-in-group", "Die persoon zit niet in je groep.",
                               "That person is not in your group.") from None
            if exc.guard.kind == "has":
                raise Rejected("not-joined", "Je doet (nog) niet mee in deze sessie.",
                               "You have not joined this session.") from None
            raise _not_open() from None

    async def write_text(
        self, code: str, participant_id: str, group: int, activity: str, field: object, text: object
    ) -> TextEvent:
        template = await self.template(code)
        event = commands.write_text(template, code, participant_id, group, activity, field, text, time.time())
        scoped = text_place(event)[0] != participant_id
        await self._member_write(code, event, event.activity, group if scoped else None)
        return event

    async def assign(
        self, code: str, participant_id: str, group: int, activity: str, card: object, targets: object
    ) -> CardAssigned:
        """A member's choice for a card; members named as targets must be in the member's group."""
        template = await self.template(code)
        named = {t for t in targets if isinstance(t, str)} if isinstance(targets, list | tuple | set) else set()
        event = commands.assign(template, code, participant_id, activity, card, targets, time.time(),
                                group_members=named - {commands.NONE_TARGET})
        spec = template.activity(event.activity)
        to_members = isinstance(spec, CardsActivity) and spec.targets == "members"
        also = [t for t in event.targets if t != commands.NONE_TARGET] if to_members else []
        await self._member_write(code, event, event.activity, group, also=also)
        return event

    async def choose(self, code: str, participant_id: str, activity: str, options: object) -> OptionsChosen:
        template = await self.template(code)
        event = commands.choose(template, code, participant_id, activity, options, time.time())
        await self._member_write(code, event, event.activity, None)
        return event

    # -- reading ---------------------------------------------------------------------------

    async def exists(self, code: str) -> bool:
        return bool(await self.redis.exists(keys.meta_key(code)))

    async def setting(self, code: str, name: str) -> str | None:
        """One room setting (e.g. ``lang``, the participants' default language), or None."""
        value = await self.redis.hget(keys.meta_key(code), f"setting:{name}")
        return None if value is None else str(value)

    async def check_host(self, code: str, token: str) -> bool:
        stored = await self.redis.get(keys.secret_key(code))
        return token_matches(token, None if stored is None else str(stored))

    async def _require(self, code: str) -> RoomState:
        state = await self.load(code)
        if state is None:
            raise RoomNotFound()
        return state

    async def load(self, code: str) -> RoomState | None:
        """The live state, read in one transaction so it is a consistent snapshot."""
        return (await self.snapshot(code))[0]

    async def snapshot(self, code: str) -> tuple[RoomState | None, str]:
        """The live state and the stream id of the last event folded into it ("-" if none)."""
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.hgetall(keys.meta_key(code))
            pipe.get(keys.template_key(code))
            pipe.hgetall(keys.participants_key(code))
            pipe.hgetall(keys.placements_key(code))
            pipe.hgetall(keys.reasons_key(code))
            pipe.hgetall(keys.texts_key(code))
            pipe.hgetall(keys.cards_key(code))
            pipe.hgetall(keys.choices_key(code))
            pipe.get(keys.seq_key(code))
            pipe.xrevrange(keys.events_key(code), count=1)
            (meta, template_raw, participants, placements, reasons, texts, cards, choices, seq,
             last) = await pipe.execute()
        if not meta or template_raw is None:
            return None, "-"
        template = self._template_from(code, template_raw)
        state = RoomState(
            code=meta["code"],
            title=meta["title"],
            created_at=float(meta["created_at"]),
            template=template,
            group_size=int(meta["group_size"]),
            threshold=int(meta["threshold"]),
            current=meta.get("current"),
            screen=meta.get("screen", "room"),
            seq=int(seq or 0),
            roster=int(meta.get("roster", 0)),
        )
        rounds: list[tuple[str, int, RoundRecord]] = []
        for field, value in meta.items():
            if field.startswith("status:"):
                state.status[field[7:]] = value
            elif field.startswith("started:"):
                state.started_at[field[8:]] = float(value)
            elif field.startswith("reveal:"):
                state.reveal_modes[field[7:]] = value
            elif field.startswith("setting:"):
                state.settings[field[8:]] = value
            elif field.startswith("round:"):
                activity, group, _number = field[6:].rsplit(":", 2)
                rounds.append((activity, int(group), RoundRecord.model_validate_json(value)))
            elif field == "timer":
                seconds, ends = value.split("|")
                state.timer_seconds = int(seconds)
                state.timer_ends = float(ends) if ends else None
            elif field.startswith("revealed:"):
                activity, who = field[9:].rsplit(":", 1)
                if who == "all":
                    state.revealed_all.add(activity)
                else:
                    state.revealed_groups.setdefault(activity, set()).add(int(who))
        for pid, raw in participants.items():
            state.participants[pid] = Participant.model_validate_json(raw)
        for field, value in placements.items():
            activity, item, position, pid = field.split("|")
            by_item = state.placements.setdefault(activity, {}).setdefault(item, {})
            by_item.setdefault(pid, {})[position] = int(value)
        for field, value in reasons.items():
            activity, item, pid = field.split("|")
            state.reasons.setdefault(activity, {}).setdefault(item, {})[pid] = value
        for field, value in texts.items():
            activity, owner, name = field.split("|")
            state.texts.setdefault(activity, {}).setdefault(owner, {})[name] = value
        for field, value in cards.items():
            activity, card, pid = field.split("|")
            state.cards.setdefault(activity, {}).setdefault(card, {})[pid] = value.split(",")
        for field, value in choices.items():
            activity, pid = field.split("|")
            state.choices.setdefault(activity, {})[pid] = value.split(",")
        for activity, group, record in sorted(rounds, key=lambda r: (r[0], r[1], r[2].round)):
            state.rounds.setdefault(activity, {}).setdefault(group, []).append(record)
        state.roster_changed()
        return state, str(last[0][0]) if last else "-"

    async def events(self, code: str, after: str = "-", count: int | None = None) -> list[tuple[str, Event]]:
        """Events after stream id ``after`` (exclusive), in order, with their seq filled in."""
        start = "-" if after == "-" else f"({after}"
        entries: list[tuple[str, dict[str, str]]] = await self.redis.xrange(
            keys.events_key(code), min=start, max="+", count=count
        )  # type: ignore[assignment]
        return [(entry_id, decode(fields["e"], int(fields["seq"]))) for entry_id, fields in entries]

    # -- presence (not events: who has a page open right now) ------------------------------

    async def touch(self, code: str, participant_ids: Sequence[str], now: float | None = None) -> None:
        if participant_ids:
            at = time.time() if now is None else now
            await self.redis.zadd(keys.presence_key(code), {pid: at for pid in participant_ids})

    async def gone(self, code: str, participant_id: str) -> None:
        await self.redis.zadd(keys.presence_key(code), {participant_id: 0})

    async def online(self, code: str, within: float = 30.0) -> set[str]:
        members = await self.redis.zrangebyscore(keys.presence_key(code), time.time() - within, "+inf")
        return {str(m) for m in members}

    async def delete_room(self, code: str) -> None:
        """Remove every key of the room and tell every process (views show that the room is gone)."""
        await self.redis.delete(*keys.room_keys(code))
        await self.redis.zrem(keys.rooms_index_key(), code)
        self._templates.pop(code, None)
        self._parsed.pop(code, None)
        await self.redis.publish(keys.channel(code), DELETED)


DELETED = "deleted"  # published on a room's channel when the room is deleted


def parse_message(data: str) -> tuple[int, str, Event]:
    """A pub/sub message from ``_WRITE``: ``seq|stream id|event json``."""
    seq, entry_id, raw = data.split("|", 2)
    return int(seq), entry_id, decode(raw, int(seq))


__all__ = ["DELETED", "Conflict", "RoomNotFound", "RoomStore", "ops_for", "parse_message", "write_args"]
