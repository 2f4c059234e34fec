"""The card a participant joins with on the start page: the room's code and a name. (The room's own
page, reached by the QR code, has a plain HTML form: ``workshop.pages.join_page``.)"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence

from nicegui import ui

from rooms.codes import normalize_code
from rooms.commands import Rejected
from rooms.limits import guarded_join
from rooms.models import NAME_MAX, Participant
from rooms.templates import DEFAULT_ROLES, Role
from workshop.i18n import Tr
from workshop.layout import browser_id
from workshop.services import services

Joined = Callable[[str, Participant], Awaitable[None]]


def join_form(t: Tr, address: str, on_joined: Joined, *, prefilled: str = "",
              roles: Sequence[Role] = DEFAULT_ROLES) -> None:
    """A code field (``prefilled``) and a name. ``roles``: what a person may say about where they
    work (the workbook's: the room is not known until the code is typed)."""
    with ui.card().classes("w-full"):
        ui.label(t("Doe mee met een sessie")).classes("text-xl font-bold")
        code_input = (
            ui.input(t("Code van het scherm"), value=prefilled)
            .props("data-testid=join-code autocapitalize=characters autocomplete=off maxlength=12 outlined")
            .classes("w-full wp-code text-2xl")
        )
        name_input = (
            ui.input(t("Je naam"))
            .props(f"data-testid=join-name autocomplete=given-name maxlength={NAME_MAX} outlined")
            .classes("w-full text-lg")
        )
        ui.label(t("Waar werk je? Zo kunnen groepen gemengd worden (mag open blijven).")).classes(
            "text-sm").props("id=join-role-label")
        role_input = ui.radio({r.id: t.text(r.label) for r in roles}).props(
            "inline data-testid=join-role aria-labelledby=join-role-label")
        error = ui.label().classes("wp-error").props("data-testid=join-error role=alert")
        error.set_visibility(False)

        async def submit() -> None:
            error.set_visibility(False)
            room = normalize_code(code_input.value)
            if room is None:
                error.text = t("Een code heeft 6 tekens, letters en cijfers, zoals K7MX3P.")
                error.set_visibility(True)
                return
            svc = services()
            try:
                try:
                    participant = await guarded_join(
                        svc.store, svc.limiter, address, room, name_input.value, browser_id(), role_input.value)
                except Rejected as exc:
                    if exc.reason != "no-role":
                        raise
                    # a room with roles of its own, joined from the start page (which shows the
                    # workbook's): join without one rather than refuse a person for our list
                    participant = await guarded_join(
                        svc.store, svc.limiter, address, room, name_input.value, browser_id())
            except Rejected as exc:
                error.text = exc.text(t.lang)
                error.set_visibility(True)
                return
            await on_joined(room, participant)

        code_input.on("keydown.enter", submit)
        name_input.on("keydown.enter", submit)
        ui.button(t("Meedoen"), on_click=submit).props("data-testid=join-submit size=lg").classes("w-full")
