"""The room's state layout, declared once: what each event changes, and how each part of
``RoomState`` is kept in Redis.

``changes`` says what an event does, as (part, path, value) triples; a part knows how to put a
value into the state, which write ops keep Redis in step, and how to read it back. The fold
(``projection.apply``), the live writes (``ops_for``) and the snapshot (``load``) are all built
from these, so they cannot drift apart.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from rooms import cotext
from rooms import events as ev
from rooms.atomic import (
    CARDS_SLOT,
    CHOICES_SLOT,
    DOCS_SLOT,
    GROUPS_SLOT,
    META_SLOT,
    PARTICIPANTS_SLOT,
    PLACEMENTS_SLOT,
    REASONS_SLOT,
    TEMPLATE_SLOT,
    TEXTS_SLOT,
    Op,
)
from rooms.models import Participant, RoomState, RoundRecord, group_owner
from rooms.templates import Template

Path = tuple[Any, ...]


class Part:
    """One part of the state. ``value`` None removes what ``path`` names."""

    slot: int  # the Redis key it lives in (``atomic``)
    name: str  # in the meta hash: the field, or the prefix before ":"

    def put(self, state: RoomState, path: Path, value: Any) -> None:
        raise NotImplementedError

    def ops(self, path: Path, value: Any) -> list[Op]:
        raise NotImplementedError

    def load(self, state: RoomState, field: str, raw: str) -> None:
        raise NotImplementedError


def _drop(tree: dict[Any, Any], path: Path) -> None:
    """Remove a leaf and every dict it leaves empty, so a cleared value leaves no trace."""
    nodes = [tree]
    for key in path[:-1]:
        child = nodes[-1].get(key)
        if child is None:
            return
        nodes.append(child)
    nodes[-1].pop(path[-1], None)
    for depth in range(len(nodes) - 1, 0, -1):
        if nodes[depth]:
            break
        del nodes[depth - 1][path[depth - 1]]


class Table(Part):
    """A nested dict of the state kept in its own hash, one field per leaf: the path joined by "|".

    ``order`` is the path's order in the field name (an index into the path per position).
    """

    def __init__(self, attr: str, slot: int, order: tuple[int, ...], encode: Callable[[Any], str] = str,
                 decode: Callable[[str], Any] = str) -> None:
        self.attr, self.slot, self.order, self.encode, self.decode = attr, slot, order, encode, decode
        self.name = attr
        self._inverse = tuple(order.index(i) for i in range(len(order)))

    def put(self, state: RoomState, path: Path, value: Any) -> None:
        tree = getattr(state, self.attr)
        if value is None:
            _drop(tree, path)
            return
        for key in path[:-1]:
            tree = tree.setdefault(key, {})
        tree[path[-1]] = value

    def ops(self, path: Path, value: Any) -> list[Op]:
        field = "|".join([path[i] for i in self.order])
        if value is None:
            return [Op("hdel", self.slot, field)]
        return [Op("hset", self.slot, field, self.encode(value))]

    def load(self, state: RoomState, field: str, raw: str) -> None:
        parts = field.split("|")
        self.put(state, tuple(parts[i] for i in self._inverse), self.decode(raw))


class MetaMap(Part):
    """A dict of the state (activity or setting -> value) kept as ``<name>:<key>`` fields in the meta
    hash. ``first`` keeps the first value written (when an activity first started)."""

    slot = META_SLOT

    def __init__(self, attr: str, name: str, encode: Callable[[Any], str] = str,
                 decode: Callable[[str], Any] = str, first: bool = False) -> None:
        self.attr, self.name, self.encode, self.decode, self.first = attr, name, encode, decode, first

    def put(self, state: RoomState, path: Path, value: Any) -> None:
        target = getattr(state, self.attr)
        if self.first:
            target.setdefault(path[0], value)
        else:
            target[path[0]] = value

    def ops(self, path: Path, value: Any) -> list[Op]:
        return [Op("hsetnx" if self.first else "hset", META_SLOT, f"{self.name}:{path[0]}", self.encode(value))]

    def load(self, state: RoomState, field: str, raw: str) -> None:
        self.put(state, (field[len(self.name) + 1:],), self.decode(raw))


class Scalar(Part):
    """One field of the state kept as one field of the meta hash."""

    slot = META_SLOT

    def __init__(self, attr: str, encode: Callable[[Any], str] = str, decode: Callable[[str], Any] = str) -> None:
        self.attr = self.name = attr
        self.encode, self.decode = encode, decode

    def put(self, state: RoomState, path: Path, value: Any) -> None:
        setattr(state, self.attr, value)

    def ops(self, path: Path, value: Any) -> list[Op]:
        return [Op("hset", META_SLOT, self.name, self.encode(value))]

    def load(self, state: RoomState, field: str, raw: str) -> None:
        setattr(state, self.attr, self.decode(raw))


class Counter(Scalar):
    """A number that writes add to (the roster's change count, which roster writes guard on)."""

    def put(self, state: RoomState, path: Path, value: Any) -> None:
        setattr(state, self.attr, getattr(state, self.attr) + value)

    def ops(self, path: Path, value: Any) -> list[Op]:
        return [Op("hincr", META_SLOT, self.name, str(value))]


class Timer(Part):
    """The room's timer: (seconds, ends_at or None) in one meta field ``seconds|ends``."""

    slot, name = META_SLOT, "timer"

    def put(self, state: RoomState, path: Path, value: Any) -> None:
        state.timer_seconds, state.timer_ends = value

    def ops(self, path: Path, value: Any) -> list[Op]:
        seconds, ends = value
        return [Op("hset", META_SLOT, self.name, f"{seconds}|{'' if ends is None else repr(ends)}")]

    def load(self, state: RoomState, field: str, raw: str) -> None:
        seconds, ends = raw.split("|")
        self.put(state, (), (int(seconds), float(ends) if ends else None))


class Revealed(Part):
    """Reveals: path (activity, group or None for every group), as ``revealed:<activity>:<group|all>``."""

    slot, name = META_SLOT, "revealed"

    def put(self, state: RoomState, path: Path, value: Any) -> None:
        activity, group = path
        if group is None:
            state.revealed_all.add(activity)
        else:
            state.revealed_groups.setdefault(activity, set()).add(group)

    def ops(self, path: Path, value: Any) -> list[Op]:
        activity, group = path
        return [Op("hset", META_SLOT, f"revealed:{activity}:{'all' if group is None else group}", "1")]

    def load(self, state: RoomState, field: str, raw: str) -> None:
        activity, who = field[9:].rsplit(":", 1)
        self.put(state, (activity, None if who == "all" else int(who)), True)


class Rounds(Part):
    """Ended rounds: path (activity, group), appended in order, as ``round:<activity>:<group>:<n>``."""

    slot, name = META_SLOT, "round"

    def put(self, state: RoomState, path: Path, value: Any) -> None:
        activity, group = path
        state.rounds.setdefault(activity, {}).setdefault(group, []).append(value)

    def ops(self, path: Path, value: Any) -> list[Op]:
        activity, group = path
        return [Op("hset", META_SLOT, f"round:{activity}:{group}:{value.round}", value.model_dump_json())]

    def load(self, state: RoomState, field: str, raw: str) -> None:
        activity, group, _number = field[6:].rsplit(":", 2)
        self.put(state, (activity, int(group)), RoundRecord.model_validate_json(raw))
        state.rounds[activity][int(group)].sort(key=lambda record: record.round)


class Participants(Part):
    """Participants by id, as JSON; the group of each also in the groups hash, which writes guard on."""

    slot, name = PARTICIPANTS_SLOT, "participants"

    def put(self, state: RoomState, path: Path, value: Any) -> None:
        state.participants[path[0]] = value
        state.roster_changed()

    def ops(self, path: Path, value: Any) -> list[Op]:
        return [Op("hset", PARTICIPANTS_SLOT, path[0], value.model_dump_json()),
                Op("hset", GROUPS_SLOT, path[0], str(value.group))]

    def load(self, state: RoomState, field: str, raw: str) -> None:
        self.put(state, (field,), Participant.model_validate_json(raw))


class TemplatePart(Part):
    """The programme, fixed at creation: the state is made with it (``blank``), Redis keeps it apart."""

    slot, name = TEMPLATE_SLOT, "template"

    def put(self, state: RoomState, path: Path, value: Any) -> None:
        pass

    def ops(self, path: Path, value: Any) -> list[Op]:
        return [Op("set", TEMPLATE_SLOT, value=value.model_dump_json())]


def _join(values: list[str]) -> str:
    return ",".join(values)


def _split(raw: str) -> list[str]:
    return raw.split(",")


CODE, TITLE, CURRENT, SCREEN = Scalar("code"), Scalar("title"), Scalar("current"), Scalar("screen")
CREATED_AT = Scalar("created_at", repr, float)
GROUP_SIZE, THRESHOLD = Scalar("group_size", decode=int), Scalar("threshold", decode=int)
ROSTER = Counter("roster", decode=int)
STATUS, REVEAL_MODES = MetaMap("status", "status"), MetaMap("reveal_modes", "reveal")
SETTINGS = MetaMap("settings", "setting")
STARTED = MetaMap("started_at", "started", repr, float, first=True)
TIMER, REVEALED, ROUNDS, PARTICIPANTS, TEMPLATE = Timer(), Revealed(), Rounds(), Participants(), TemplatePart()
# activity -> item -> participant -> position -> value; in Redis activity|item|position|participant
PLACEMENTS = Table("placements", PLACEMENTS_SLOT, (0, 1, 3, 2), decode=int)
REASONS = Table("reasons", REASONS_SLOT, (0, 1, 2))  # activity|item|participant
TEXTS = Table("texts", TEXTS_SLOT, (0, 1, 2))  # activity|owner|field
DOCS = Table("docs", DOCS_SLOT, (0, 1, 2))  # activity|owner|field, the text's document (base64)
CARDS = Table("cards", CARDS_SLOT, (0, 1, 2), _join, _split)  # activity|card|participant
CHOICES = Table("choices", CHOICES_SLOT, (0, 1), _join, _split)  # activity|participant

META_PARTS: dict[str, Part] = {p.name: p for p in (
    CODE, TITLE, CREATED_AT, GROUP_SIZE, THRESHOLD, CURRENT, SCREEN, ROSTER, STATUS, STARTED, REVEAL_MODES,
    SETTINGS, TIMER, REVEALED, ROUNDS,
)}
HASH_PARTS: tuple[Part, ...] = (PARTICIPANTS, PLACEMENTS, REASONS, TEXTS, DOCS, CARDS, CHOICES)
READ_SLOTS: tuple[int, ...] = (META_SLOT, *(p.slot for p in HASH_PARTS))
"""The hashes a snapshot reads, in this order (``load``)."""

Change = tuple[Part, Path, Any]


def changes(event: ev.Event, state: RoomState | None) -> list[Change]:
    """What an event changes. ``state`` (the room before it) is needed for moves and rounds only."""
    match event:
        case ev.SliderPlaced():
            return [(PLACEMENTS, (event.activity, event.item, event.participant_id, event.position), event.value)]
        case ev.ReasonWritten():
            return [(REASONS, (event.activity, event.item, event.participant_id), event.text or None)]
        case (ev.TextWritten() | ev.NoteWritten() | ev.OwnOptionNamed() | ev.ActionWritten() | ev.StepTicked()
              | ev.TipsWritten()):
            # a text written whole (rooms before the documents): the next edit starts from it
            owner, field, text = ev.text_place(event)
            return [(TEXTS, (event.activity, owner, field), text or None), (DOCS, (event.activity, owner, field), None)]
        case ev.TextEdited():
            path = (event.activity, event.owner, event.field)
            if state is None:
                raise ValueError("an edit needs the document it changes")
            try:
                doc, text = edited(state.docs.get(path[0], {}).get(path[1], {}).get(path[2]),
                                   state.texts.get(path[0], {}).get(path[1], {}).get(path[2]), event.update)
            except cotext.BadUpdate:
                return []  # refused when it was written; a crafted stream changes nothing either
            return [(DOCS, path, doc), (TEXTS, path, text or None)]
        case ev.CardAssigned():
            return [(CARDS, (event.activity, event.card, event.participant_id), list(event.targets) or None)]
        case ev.CardSettled():  # the group's decision, kept beside its members' under the group's owner
            return [(CARDS, (event.activity, event.card, group_owner(event.group)), list(event.targets) or None)]
        case ev.OptionsChosen():
            return [(CHOICES, (event.activity, event.participant_id), list(event.options) or None)]
        case ev.ParticipantJoined():
            joined = Participant(id=event.participant_id, name=event.name, number=event.number, group=event.group,
                                 joined_at=event.at, role=event.role)
            return [(PARTICIPANTS, (event.participant_id,), joined), (ROSTER, (), 1)]
        case ev.MemberMoved():
            member = state.participants.get(event.participant_id) if state else None
            moved = [] if member is None else [
                (PARTICIPANTS, (event.participant_id,), member.model_copy(update={"group": event.group}))]
            return [*moved, (ROSTER, (), 1)]
        case ev.ActivityStarted():
            return [(CURRENT, (), event.activity), (STATUS, (event.activity,), "open"),
                    (STARTED, (event.activity,), event.at)]
        case ev.ActivityLocked():
            return [(STATUS, (event.activity,), "locked")]
        case ev.ActivityUnlocked():
            return [(STATUS, (event.activity,), "open")]
        case ev.GroupRevealed():
            return [(REVEALED, (event.activity, event.group), True)]
        case ev.ScreenChanged():
            return [(SCREEN, (), event.mode)]
        case ev.RoundStarted():
            return [(ROUNDS, (event.activity, event.group),
                     RoundRecord(round=event.round - 1, ended_at=event.at, before=event.before)),
                    *_placements_cleared(state, event)]
        case ev.RevealModeChanged():
            return [(REVEAL_MODES, (event.activity,), event.mode)]
        case ev.SettingChanged():
            return [(SETTINGS, (event.name,), event.value)]
        case ev.TimerSet():
            return [(TIMER, (), (event.seconds, event.ends_at))]
        case ev.RoomCreated():
            return [(TEMPLATE, (), event.template), (CODE, (), event.code), (TITLE, (), event.title),
                    (CREATED_AT, (), event.at), (GROUP_SIZE, (), event.group_size),
                    (THRESHOLD, (), event.threshold), (SCREEN, (), "room"), (ROSTER, (), 0)]
    raise TypeError(f"no changes for {type(event).__name__}")


def document(doc: str | None, text: str | None) -> bytes:
    """A shared text's document: the one kept, or one that holds its plain text (``cotext.seed``)."""
    return cotext.unb64(doc, cotext.DOC_MAX) if doc else cotext.seed(text or "")


def edited(doc: str | None, text: str | None, update: str) -> tuple[str, str]:
    """A shared text after one edit: (its document, base64; its text as the room shows it)."""
    state, raw = cotext.merge_b64(doc or cotext.b64(cotext.seed(text or "")), cotext.unb64(update))
    return state, cotext.plain(raw)


def _placements_cleared(state: RoomState | None, event: ev.RoundStarted) -> list[Change]:
    """A new round: the members place again, so their placements of the round that ended go."""
    if state is None or not event.members:
        return []
    return [(PLACEMENTS, (event.activity, item, pid, position), None)
            for item, by_member in state.placements.get(event.activity, {}).items()
            for pid in event.members
            for position in by_member.get(pid, {})]


def blank(template: Template) -> RoomState:
    """A state to fill in: a room's creation (``ev.RoomCreated``) or its meta hash sets the rest."""
    return RoomState(code="", title="", created_at=0.0, template=template, group_size=0, threshold=0)


def apply(state: RoomState | None, event: ev.Event) -> RoomState:
    """The state after one event (mutated in place; a new one for ``ev.RoomCreated``)."""
    if isinstance(event, ev.RoomCreated):
        state = blank(event.template)
    elif state is None:
        raise ValueError(f"event {event.type} before the room was created")
    for part, path, value in changes(event, state):
        part.put(state, path, value)
    if event.seq:
        state.seq = event.seq
    return state


def ops_for(event: ev.Event, state: RoomState | None) -> list[Op]:
    """The live-state writes that mirror ``apply`` for one event."""
    return [op for part, path, value in changes(event, state) for op in part.ops(path, value)]


def load(template: Template, hashes: Mapping[int, Mapping[str, str]], seq: int) -> RoomState:
    """The state kept in Redis: the hashes by slot (``READ_SLOTS``) and the room's last seq."""
    state = blank(template)
    state.seq = seq
    for field, raw in hashes[META_SLOT].items():
        part = META_PARTS.get(field.split(":", 1)[0])
        if part is not None:
            part.load(state, field, raw)
    for part in HASH_PARTS:
        for field, raw in hashes[part.slot].items():
            part.load(state, field, raw)
    state.roster_changed()
    return state
