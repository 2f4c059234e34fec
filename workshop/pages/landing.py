"""``/``: join a room with its code, or create a new room."""

from __future__ import annotations

import asyncio
import logging
import secrets

from nicegui import Client, events, ui

from rooms.codes import normalize_code
from rooms.commands import Rejected
from rooms.limits import ADMIN_FAILURES, ROOM_CREATIONS
from rooms.models import Participant
from rooms.templates import TEMPLATE_MAX_BYTES, Template, TemplateError, parse_template
from workshop.components.join_form import join_form
from workshop.i18n import Tr
from workshop.layout import choose_lang, client_address, frame
from workshop.links import host_path
from workshop.services import ready

log = logging.getLogger(__name__)

# @quasar/extras' material-icons matKeyboardArrowDown (Apache-2.0), the path Quasar's SVG icon set draws
ARROW_DOWN = "M0 0h24v24H0V0z@@fill:none;&&M7.41 8.59 12 13.17l4.59-4.58L18 10l-6 6-6-6 1.41-1.41z"


async def landing(client: Client, code: str = "", lang: str = "", deleted: str = "") -> None:
    t = Tr(choose_lang(lang))
    svc = await ready()
    address = client_address(client)
    prefilled = normalize_code(code) or ""
    with frame(t("Meedoen"), client=client, lang=t.lang):
        gone = normalize_code(deleted)
        if gone:
            ui.label(t("Sessie {gone} en al haar gegevens zijn verwijderd.", gone=gone)).classes(
                "text-base font-bold").props("data-testid=deleted-notice role=status")

        async def joined(room: str, _participant: Participant) -> None:
            ui.navigate.to(f"/room/{room}" + ("?lang=en" if t.lang == "en" else ""))

        join_form(t, address, joined, prefilled=prefilled)

        # its arrow drawn as Quasar's own SVG of Material's keyboard_arrow_down: the same picture,
        # without the 126 KB icon font that the glyph would fetch on every phone that opens this page
        facilitate = ui.expansion(t("Zelf een sessie begeleiden")).classes("w-full").props(
            f'expand-icon="{ARROW_DOWN}"')

        def build_create() -> None:
            """The form for facilitators. A phone that came through the code (QR or link) gets it
            only when it opens it: a whole room scans the code at once, and every element costs."""
            title_input = ui.input(t("Titel (mag leeg)")).props("maxlength=120").classes("w-full")
            size = ui.select(
                {n: t("{n} per groep", n=n) for n in range(2, 7)},
                value=3,
                label=t("Groepsgrootte"),
            ).classes("w-full")
            chosen: dict[str, Template] = {}
            ui.label(
                t("Programma: het standaardprogramma van het werkboek, of je eigen aangepaste kopie.")
            ).classes("text-sm")
            ui.link(t("Download het standaardprogramma (YAML) om aan te passen"),
                    "/assets/templates/wijkgericht-werken.yaml").props("download data-testid=template-download")
            programme = ui.label().classes("text-sm font-medium").props("data-testid=template-name")
            template_error = ui.label().classes("wp-error").props("data-testid=template-error role=alert")
            template_error.set_visibility(False)

            def show_programme() -> None:
                current = chosen.get("template")
                programme.text = t("Gekozen programma: ") + (
                    f"{t.text(current.title)} ({len(current.activities)} "
                    + t("oefeningen") + ")" if current else t("standaard"))

            async def uploaded(event: events.UploadEventArguments) -> None:
                template_error.set_visibility(False)
                name = event.file.name or "template.yaml"
                try:
                    if event.file.size() > TEMPLATE_MAX_BYTES:  # before it is read into memory
                        raise TemplateError(name, [f"the file is larger than {TEMPLATE_MAX_BYTES // 1000} kB"])
                    raw = await event.file.read()
                    try:
                        text = raw.decode("utf-8")
                    except UnicodeDecodeError:
                        raise TemplateError(name, ["not a text file (UTF-8)"]) from None
                    # parsing a hostile file takes a while: not on the loop every phone shares
                    chosen["template"] = await asyncio.to_thread(parse_template, text, name)
                except TemplateError as exc:
                    chosen.pop("template", None)
                    template_error.text = t("Dit programma kunnen we niet gebruiken. ") + str(exc)
                    template_error.set_visibility(True)
                    upload.reset()
                show_programme()

            upload = ui.upload(
                label=t("Eigen programma (YAML)"), auto_upload=True,
                max_file_size=TEMPLATE_MAX_BYTES, on_upload=uploaded,
                on_rejected=lambda: ui.notify(t("Dat bestand is te groot."),
                                              type="warning"),
            ).props("accept=.yaml,.yml data-testid=template-upload flat bordered").classes("w-full")
            show_programme()
            password = None
            if svc.settings.admin_password:
                password = ui.input(
                    t("Wachtwoord voor begeleiders"), password=True,
                    password_toggle_button=True,
                ).props("data-testid=admin-password autocomplete=current-password outlined").classes("w-full")
            create_error = ui.label().classes("wp-error").props("data-testid=create-error role=alert")
            create_error.set_visibility(False)

            async def create() -> None:
                svc = await ready()
                create_error.set_visibility(False)
                try:
                    if svc.settings.admin_password:
                        await svc.limiter.check(ADMIN_FAILURES, address)
                        given = str(password.value or "") if password is not None else ""
                        if not secrets.compare_digest(given.encode(), svc.settings.admin_password.encode()):
                            await svc.limiter.hit(ADMIN_FAILURES, address)
                            raise Rejected("wrong-password", "Dat wachtwoord klopt niet.")
                    await svc.limiter.spend(ROOM_CREATIONS, address)
                    room, token = await svc.store.create_room(
                        chosen.get("template", svc.template), title=title_input.value or None,
                        group_size=int(size.value or 3),
                    )
                except Rejected as exc:
                    create_error.text = exc.text(t.lang)
                    create_error.set_visibility(True)
                    return
                await svc.limiter.remember(address, room)  # the venue's room: its phones are never limited
                log.info("room %s created", room)
                # if the browser does not follow the redirect (seen once in a while right after an upload),
                # the facilitator still has the way to the new session
                with create_done:
                    create_done.clear()
                    ui.link(t("Ga naar je nieuwe sessie"), host_path(room, token)).props(
                        "data-testid=host-link").classes("text-lg font-bold")
                ui.navigate.to(host_path(room, token))

            create_done = ui.row()
            ui.button(t("Nieuwe sessie maken"), on_click=create).props(
                "data-testid=create-room"
            ).classes("w-full")

        if prefilled:
            def opened(event: events.ValueChangeEventArguments) -> None:
                if event.value and not facilitate.default_slot.children:
                    with facilitate:
                        build_create()

            facilitate.on_value_change(opened)
        else:
            with facilitate:
                build_create()
