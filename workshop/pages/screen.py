"""``/screen/{code}``: the projector. Aggregates only, readable from the back of the room."""

from __future__ import annotations

from nicegui import Client, ui

from rooms.commands import Rejected
from workshop.components.screen_board import ScreenBoard
from workshop.i18n import Tr
from workshop.layout import client_address, head
from workshop.services import ready, services


async def screen_page(code: str, client: Client, lang: str = "") -> None:
    svc = await ready()
    code = code.upper()
    t = Tr(lang if lang in ("nl", "en") else (await svc.store.setting(code, "lang")) or "nl")
    head()
    ui.page_title(f"{code} · Werkplaats")
    ui.query("body").classes("wp-screen")
    address = client_address(client)
    try:
        await svc.limiter.before_lookup(address, code)
    except Rejected as exc:
        ui.label(exc.text(t.lang)).classes("text-4xl p-8").props("data-testid=page-error")
        return
    board = ScreenBoard(code, t, fit=True)
    feed = await svc.hub.attach(code, board)
    await svc.limiter.after_lookup(address, code, found=feed is not None)
    if feed is None:
        ui.label(t("Deze sessie bestaat niet (meer).")).classes(
            "text-4xl p-8"
        ).props("data-testid=page-error")
        return
    board.build(feed)

    async def deleted() -> None:
        await services().hub.detach(code, board)

    client.on_delete(deleted)
