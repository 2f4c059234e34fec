"""``/handout/{code}``: one printable page for the tables: the code, the QR code and the link."""

from __future__ import annotations

from nicegui import Client, ui

from rooms.commands import Rejected
from workshop.i18n import Tr
from workshop.layout import choose_lang, client_address, error_block, head
from workshop.links import join_url, qr_svg_uri, qr_url
from workshop.services import ready


async def handout_page(code: str, client: Client, lang: str = "") -> None:
    svc = await ready()
    code = code.upper()
    t = Tr(choose_lang(lang, await svc.store.setting(code, "lang")))
    head()
    ui.page_title(t("Meedoen · {code}", code=code))
    address = client_address(client)
    try:
        await svc.limiter.before_lookup(address, code)
    except Rejected as exc:
        error_block(exc.text(t.lang))
        return
    state = await svc.store.load(code)
    await svc.limiter.after_lookup(address, code, found=state is not None)
    if state is None:
        error_block(t("Deze sessie bestaat niet (meer)."))
        return
    link = join_url(code)
    with ui.column().classes("wp-handout items-center w-full gap-4").props("data-testid=handout"):
        ui.label(state.title).classes("text-4xl font-bold text-center")
        ui.label(t("Doe mee met je telefoon")).classes("text-3xl")
        ui.image(qr_svg_uri(qr_url(code))).classes("w-80 h-80").props(
            f'alt="{t("QR-code die de sessie opent")}"')
        ui.label(t("of ga naar")).classes("text-xl")
        ui.label(link).classes("text-2xl font-bold").props("data-testid=handout-link-text")
        ui.label(t("en vul deze code in:")).classes("text-xl")
        ui.label(code).classes("wp-code text-7xl").props("data-testid=handout-code")
        with ui.column().classes("text-xl gap-1 mt-4"):
            ui.label(t("1. Scan de QR-code met de camera van je telefoon."))
            ui.label(t("2. Vul je voornaam in en tik op Meedoen."))
            ui.label(t("3. Je komt vanzelf in een groep van drie. Volg daarna de begeleider."))
        ui.button(t("Afdrukken"), on_click=lambda: ui.run_javascript("window.print()")).props(
            "data-testid=handout-print icon=print").classes("wp-noprint")
