"""A group's card on the host page (and in the replay): its members, online or not, its progress,
and the current activity's part (``workshop.kinds``)."""

from __future__ import annotations

from collections.abc import Mapping
from html import escape

from rooms.templates import AnyActivity
from rooms.views import GroupView
from workshop.i18n import Tr
from workshop.kinds.registry import host_block


def group_html(
    group: GroupView, activity: AnyActivity | None, online: set[str], t: Tr, roles: Mapping[str, str] | None = None
) -> str:
    """``roles``: participant id -> their role's label, for those who said one."""
    roles = roles or {}
    people = " · ".join(
        f'<span class="{"wp-online" if m.participant_id in online else "wp-offline"}">'
        f"{'●' if m.participant_id in online else '○'} {escape(m.name)}"
        + (f' <span class="wp-muted">({escape(roles[m.participant_id])})</span>' if m.participant_id in roles else "")
        + "</span>"
        for m in group.members
    )
    status = f'<div class="text-sm" data-testid="progress-{group.group}">{progress_words(group, t)}</div>'
    people += status
    return f'<div class="text-sm mb-1">{people}</div>{host_block(group, activity, t)}'


def progress_words(group: GroupView, t: Tr) -> str:
    """How far a group is, in words: "2 van 3 klaar · ronde 2 · ⚠ verschil"."""
    done, of = group.progress
    text = t("nog niets te doen") if of == 0 else t("{done} van {of} klaar", done=done, of=of)
    if group.round > 1:
        text += f" · {t('ronde')} {group.round}"
    if group.divergent:
        text += f' · <b class="text-[#b3261e]">{t("⚠ verschil")}</b>'
    return text


def progress_strip(groups: list[GroupView], t: Tr) -> str:
    """Every group's progress in one compact block at the top of the host page (a room of 30
    groups stays visible without scrolling; the cards below hold the details)."""
    chips = []
    for group in groups:
        done, of = group.progress
        complete = " done" if of and done >= of else ""
        chips.append(f'<span class="wp-chip{complete}" data-testid="chip-{group.group}">'
                     f'<b>{t("Groep {g}", g=group.group)}</b> {progress_words(group, t)}</span>')
    return f'<div class="wp-chips">{"".join(chips)}</div>' if chips else ""
