"""Commands on texts: where a text may be written and by whom, a text written whole, and one
editor's change to a shared text (``rooms.cotext``). Re-exported by ``rooms.commands``."""

from __future__ import annotations

from rooms import cotext
from rooms.events import TextEdited, TextEvent, TextWritten, is_tick, text_event
from rooms.kinds import registry
from rooms.models import group_owner
from rooms.templates import AnyActivity, Template
from rooms.validate import Rejected, any_activity, clean_text


def text_target(activity: AnyActivity, field: object) -> tuple[str, int]:
    """Where a text may be written: ("group" | "member", its length limit); refuses unknown fields."""
    target = registry.kind_of(activity).text_target(activity, field) if isinstance(field, str) else None
    if target is None:
        raise Rejected("no-field", "Dit veld bestaat niet bij deze oefening.")
    return target


def write_text(
    template: Template, code: str, participant_id: str, group: int, activity_id: str, field: object, text: object,
    now: float,
) -> TextEvent:
    """A text written by a member: to the group's shared texts, or to their own.

    The phones name the field; what was written there (a note, an own option, an agenda action,
    a practice tick or tips, else a plain text) is the event's type (``events.text_event``).
    """
    activity = any_activity(template, activity_id)
    scope, limit = text_target(activity, field)
    assert isinstance(field, str)
    owner = group_owner(group) if scope == "group" else participant_id
    return text_event(TextWritten(
        code=code, at=now, actor=participant_id, participant_id=participant_id, activity=activity.id,
        owner=owner, field=field, text=clean_text(text, limit),
    ))


def text_owner(template: Template, participant_id: str, group: int, activity_id: str,
               field: object) -> tuple[AnyActivity, str, str, int]:
    """Which document a member edits: (activity, field, owner, length limit). A practice tick is
    a mark, not a text: it is written whole (``write_text``)."""
    activity = any_activity(template, activity_id)
    scope, limit = text_target(activity, field)
    assert isinstance(field, str)
    if is_tick(field):
        raise Rejected("no-field", "Dit veld bestaat niet bij deze oefening.")
    return activity, field, group_owner(group) if scope == "group" else participant_id, limit


def host_text_owner(
    template: Template, group: int, activity_id: str, field: object
) -> tuple[AnyActivity, str, str, int]:
    """Which document the host corrects: a group's shared text, never a member's own or a tick."""
    activity = any_activity(template, activity_id)
    scope, limit = text_target(activity, field)
    assert isinstance(field, str)
    if scope != "group" or is_tick(field):
        raise Rejected("no-field", "Dit veld bestaat niet bij deze oefening.")
    return activity, field, group_owner(group), limit


def edit_text(
    template: Template, code: str, actor: str, owner: str, activity_id: str, field: str, limit: int,
    update: object, doc: str | None, text: str | None, now: float,
) -> tuple[TextEdited, str, str] | None:
    """One editor's change to a shared text: (the event, the document after it, its text), or
    None when the document has it already (an editor that sends again after a reconnect).

    ``doc`` and ``text`` are the field's document and text as the room has them now; the store
    writes the result only if they are still so. The update must be readable, build on what the
    document has, stay under its size cap, and leave a text within the field's length cap.
    """
    raw = cotext.unb64(update)  # each of these refuses (``cotext.BadUpdate``, a ``Rejected``)
    base = doc or cotext.b64(cotext.seed(text or ""))
    after, shown = cotext.merge_b64(base, raw)
    if after == base:
        return None
    result = cotext.plain(shown)
    if len(result) > limit:
        raise Rejected("text-full", "Deze tekst is vol: hooguit {limit} tekens.", limit=limit)
    assert isinstance(update, str)
    event = TextEdited(code=code, at=now, actor=actor, participant_id=actor, activity=activity_id, owner=owner,
                       field=field, update=cotext.b64(raw))
    return event, after, result
