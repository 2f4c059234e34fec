"""What every activity kind provides, and the defaults most kinds share.

A kind module (``rooms.kinds.sliders``, ``…cards``, …) holds everything one kind of exercise
means to the engine: which template model it reads, what a member may write in it, how its
work counts as done and revealed, what the visibility gate copies of it for each viewer, its
results and summaries, its export rows and its replay sentences. ``rooms.kinds.registry`` maps
the template's ``kind`` to the module; nothing else asks which kind an activity is.

Every result function takes a state the gate (``rooms.gate``) has already cut down to what its
viewer may know, or the whole state for the host; none of them decides visibility itself.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from rooms.i18n import translate

if TYPE_CHECKING:
    from rooms.events import Event
    from rooms.models import RoomState
    from rooms.templates import AnyActivity, SlidersActivity

A = TypeVar("A", bound="AnyActivity")

#: A row of the CSV/XLSX export: (group, member, item, item label, position, value, text).
Row = Callable[..., None]

#: The unit a choice activity reveals as a whole (one choice per member, not per item).
WHOLE = "*"


@dataclass(frozen=True)
class Bar:
    """One bar of the screen's chart of a room result: ``value`` out of ``of`` (e.g. groups)."""

    label: str
    value: int
    of: int


@dataclass(frozen=True)
class Scope:
    """What the gate asks a kind to copy: what every member of ``group`` may know of the group's
    work, or (``screen``) what the room may know of it. A member's own work, revealed or not, the
    gate adds itself."""

    group: int
    screen: bool = False


_SLOT = re.compile(r"^(?P<kind>note|own|action)-(?P<n>[0-9]{1,2})(?:-(?P<part>[a-z]+))?$")


def slot(field: str, kind: str, limit: int) -> re.Match[str] | None:
    """A numbered slot a group fills (``note-3``, ``own-2``, ``action-4-who``), or None."""
    match = _SLOT.match(field)
    if match is None or match["kind"] != kind or not 1 <= int(match["n"]) <= limit:
        return None
    return match


def labelled(label: str, text: str) -> str:
    return f"{label} {text}" if label.endswith(("?", ":")) else f"{label}: {text}"


def slot_order(field: str) -> int:
    tail = field.rsplit("-", 1)[-1]
    return int(tail) if tail.isdigit() else 0


def who(state: RoomState | None, pid: str, lang: str) -> str:
    """A participant's name in a replay sentence."""
    if state is None:
        return "?"
    member = state.participants.get(pid)
    return member.name if member else translate(lang, "iemand")


class Kind(Generic[A]):
    """The defaults: a kind with no individual work to hide, no rounds and no sliders."""

    name: str = ""
    #: whether the kind has a reveal (individual work first, shown to the group later)
    reveals: bool = False
    #: whether the host and the screen show it as the mixing console (sliders) rather than lines
    console: bool = False

    def sliders(self, activity: A) -> SlidersActivity | None:
        """The activity's sliders (a sliders activity, or the rating of a cards activity)."""
        return None

    def sources(self, activity: A) -> list[str]:
        """Earlier activities whose results this one shows (the agenda's pre-fill)."""
        return []

    def check(self, activity: A, earlier: list[AnyActivity]) -> None:
        """Refuse a template whose activity refers to something it cannot use (ValueError)."""

    # -- what members write ---------------------------------------------------------------------

    def text_target(self, activity: A, field: str) -> tuple[str, int] | None:
        """Where a text may be written: ("group" | "member", its length limit), or None."""
        return None

    def rounds(self, activity: A) -> bool:
        """Whether a group may start a next round."""
        return False

    # -- done and revealed ----------------------------------------------------------------------

    def done_counts(self, state: RoomState, activity: A, group: int) -> dict[str, int]:
        """Per unit, how many members of ``group`` have done it (read from the whole state)."""
        return {}

    # -- the gate -------------------------------------------------------------------------------

    def redact(self, src: RoomState, dst: RoomState, activity: A, scope: Scope) -> None:
        """Copy into ``dst`` what ``scope`` may know of this activity's work in ``src``."""
        copy_texts(src, dst, activity.id, scope)

    # -- results --------------------------------------------------------------------------------

    def progress(self, state: RoomState, activity: A, group: int) -> tuple[int, int]:
        """(done, of): what the host's "klaar" shows for a group."""
        return 0, len(state.members(group))

    def divergent(self, state: RoomState, activity: A, group: int) -> bool:
        """Whether the group differs anywhere in what it has revealed."""
        return False

    def summary(self, state: RoomState, activity: A, group: int, lang: str) -> list[str]:
        return []

    def room_lines(self, state: RoomState, activity: A, lang: str) -> list[str]:
        return []

    def suggests_next(self, state: RoomState, activity: A) -> tuple[int, str] | None:
        """(the room's result, the activity id it suggests next), for the host's guide; or none."""
        return None

    def prefill(self, state: RoomState, activity: A, group: int, lang: str, *, actions: bool = True) -> list[str]:
        """What a later activity (the agenda) is pre-filled with from this one's group result;
        ``actions=False``: without the group's actions text (the agenda offers it as proposed actions)."""
        return self.summary(state, activity, group, lang)

    def actions_field(self, activity: A) -> str | None:
        """The group text in which this activity's group writes actions (one a line), which an
        agenda may offer as proposed actions (``actions_from``); None: it has none."""
        return None

    def group_matrix(self, state: RoomState, activity: A, group: int, lang: str
                     ) -> tuple[list[str], list[tuple[str, list[int]]]] | None:
        """One group's result as a picture for the screen: (column names, rows of (label, counts))."""
        return None

    def room_bars(self, state: RoomState, activity: A, lang: str) -> list[Bar]:
        """The room's result as bars for the screen (a picture instead of lines), or none."""
        return []

    def report(self, state: RoomState, activity: A, group: int, lang: str) -> list[str]:
        """A group's lines in the PDF report."""
        return self.summary(state, activity, group, lang)

    def shows_empty_group(self, activity: A) -> bool:
        """Whether the screen lists a group even before it has a result."""
        return False

    def fill(self, mine: RoomState, ours: RoomState, activity: A, pid: str, view: Any,
             lang: str) -> None:
        """The kind's part of a participant's view: ``mine`` is what the member may know,
        ``ours`` what the whole group may know (for the group's results)."""

    def export_rows(self, state: RoomState, activity: A, lang: str, row: Row) -> None:
        """The activity's rows of the CSV/XLSX export."""

    def field_label(self, activity: A, field: str, lang: str) -> str:
        """A written field's name in words (exports show it instead of the field's id), or ""."""
        fields = getattr(activity, "fields", None) or []
        spec = next((f for f in fields if getattr(f, "id", None) == field), None)
        return spec.label.get(lang) if spec is not None else ""

    def corrects(self, activity: A, field: str) -> bool:
        """Whether the host's "correct a text" offers this written field (not a field that only
        records where something came from)."""
        return True

    def describe(self, event: Event, state: RoomState | None, activity: A | None, lang: str) -> str | None:
        """A replay sentence for an event of this kind, or None for the generic one."""
        return None


def copy_texts(src: RoomState, dst: RoomState, activity: str, scope: Scope,
               shared: Callable[[str], bool] | None = None) -> None:
    """Copy the group's shared texts of an activity (``shared`` may leave fields out). Texts a
    member writes for themselves are nobody else's: the gate adds them to their own view only."""
    from rooms.models import group_owner

    owner = group_owner(scope.group)
    fields = src.texts.get(activity, {}).get(owner)
    kept = {f: v for f, v in (fields or {}).items() if shared is None or shared(f)}
    if kept:
        dst.texts.setdefault(activity, {})[owner] = kept
    # the documents behind them, for the group's editors (the projector shows the texts only)
    docs = None if scope.screen else src.docs.get(activity, {}).get(owner)
    kept = {f: v for f, v in (docs or {}).items() if shared is None or shared(f)}
    if kept:
        dst.docs.setdefault(activity, {})[owner] = kept


def text_rows(state: RoomState, activity: str, row: Row) -> None:
    """The texts of an activity: each group's shared texts, then each member's own."""
    from rooms.models import group_owner

    by_owner = state.texts.get(activity, {})
    for group in state.groups():
        for field, text in sorted(by_owner.get(group_owner(group), {}).items()):
            row(group, "", field, "", "", "", text)
        for m in state.members(group):
            for field, text in sorted(by_owner.get(m.id, {}).items()):
                row(group, m.name, field, "", "", "", text)


def written(event: Event, state: RoomState | None, fields: dict[str, str], lang: str) -> str | None:
    """A replay sentence for a plain text field written (``fields``: its id -> label), or None."""
    from rooms.events import TextEdited, TextWritten

    if not isinstance(event, TextWritten | TextEdited) or event.field not in fields:
        return None
    name, label = who(state, event.participant_id, lang), fields[event.field]
    if isinstance(event, TextWritten) and not event.text:
        return translate(lang, "{name} maakt {field} leeg", name=name, field=label)
    return translate(lang, "{name} schrijft in {field}", name=name, field=label)
