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
    done, of = group.progress
    status = f'<div class="text-sm" data-testid="progress-{group.group}">{t("klaar")} {done}/{of}'
    if group.round > 1:
        status += f" · {t('ronde')} {group.round}"
    if group.divergent:
        status += f' · <b class="text-[#b3261e]">{t("⚠ verschil")}</b>'
    status += "</div>"
    people += status
    return f'<div class="text-sm mb-1">{people}</div>{host_block(group, activity, t)}'
