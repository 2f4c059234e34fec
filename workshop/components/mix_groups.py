"""The host's "mix the groups by role": a proposal first (who would sit with whom), applied only on
confirmation. The proposal and the moves come from ``rooms.mixing``; this only shows them."""

from __future__ import annotations

from collections.abc import Callable

from nicegui import ui

from rooms import mixing
from rooms.commands import Rejected
from rooms.models import RoomState
from workshop.i18n import Tr
from workshop.services import services


def role_labels(state: RoomState, t: Tr) -> dict[str, str]:
    """Each participant's role in the viewer's language (those who said one)."""
    names = {r.id: t.text(r.label) for r in state.template.roles}
    return {p.id: names.get(p.role, p.role) for p in state.participants.values() if p.role}


class MixGroups:
    """A button that opens the proposal; ``state`` gives the room as it is now."""

    def __init__(self, code: str, t: Tr, state: Callable[[], RoomState]) -> None:
        self.code, self.t, self.state = code, t, state
        ui.button(t("Meng groepen op rol"), on_click=self.ask).props(
            "outline data-testid=mix-groups").classes("mt-1")

    def ask(self) -> None:
        t, state = self.t, self.state()
        if not any(p.role for p in state.participants.values()):
            ui.notify(t("Nog niemand heeft een rol gekozen, dus mengen op rol kan niet."), type="warning")
            return
        proposal = mixing.propose(state)
        moving = sum(state.participants[pid].group != g for pid, g in proposal.items())
        mixed, groups = mixing.mixed(state, proposal)
        roles = role_labels(state, t)
        with ui.dialog() as dialog, ui.card().props("data-testid=mix-dialog"):
            ui.label(t("Groepen mengen op rol")).classes("text-lg font-bold")
            ui.label(t("{mixed} van {groups} groepen hebben dan mensen met verschillende rollen; "
                       "{moving} mensen wisselen van groep.", mixed=mixed, groups=groups, moving=moving))
            if state.current is not None:
                ui.label(t("Jullie zijn al bezig: wat iemand zelf invulde gaat mee, wat een groep samen "
                           "schreef blijft bij die groep.")).classes("wp-muted text-sm")
            for group in sorted(set(proposal.values())):
                people = [state.participants[pid] for pid, g in proposal.items() if g == group]
                line = ", ".join(
                    p.name + (f" ({roles[p.id]})" if p.id in roles else "")
                    + (" – " + t("wisselt") if p.group != group else "")
                    for p in sorted(people, key=lambda p: p.number)
                )
                ui.label(t("Groep {g}", g=group) + ": " + line).classes("text-sm").props(
                    f"data-testid=mix-group-{group}")
            with ui.row():
                ui.button(t("Annuleren"), on_click=dialog.close).props("flat data-testid=mix-cancel")
                ui.button(t("Toepassen"), on_click=lambda: self.apply(dialog)).props("data-testid=mix-apply")
        dialog.open()

    async def apply(self, dialog: ui.dialog) -> None:
        dialog.close()
        try:
            moves = await services().store.mix_by_role(self.code)
        except Rejected as exc:
            ui.notify(exc.text(self.t.lang), type="warning")
            return
        ui.notify(self.t("{n} mensen zijn van groep gewisseld.", n=len(moves)) if moves
                  else self.t("De groepen waren al zo gemengd als kan."))
