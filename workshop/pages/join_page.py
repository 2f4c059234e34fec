"""``/room/{code}/join``: the answer to the QR code's name form (``components.plain_join``).

A join sends the browser back to ``/room/{code}``, which is then its NiceGUI phone page; a refusal
is the same form again with the message and what was typed."""

from __future__ import annotations

from functools import partial

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from starlette.requests import ClientDisconnect

from rooms.codes import normalize_code
from rooms.commands import Rejected
from rooms.limits import RateLimited, guarded_join
from rooms.models import NAME_MAX
from workshop.components.plain_join import NAME_REASONS, entry_page, form_page, query
from workshop.i18n import LANGS, Tr
from workshop.layout import SESSION_COOKIE, browser_id, choose_lang, request_address
from workshop.links import join_key_matches
from workshop.outage import guarded
from workshop.services import ready

router = APIRouter()

FIELDS = ("name", "role", "lang", "k")


@router.get("/room/{code}/join", include_in_schema=False)
async def form_again(code: str, lang: str = "", k: str = "") -> RedirectResponse:
    """The form's answer asked for again without the form (the outage page reloads itself; an
    address copied from the bar): the room's page, which has the form."""
    room = normalize_code(code)
    target = f"/room/{room}{query(lang if lang in LANGS else '', k)}" if room else "/"
    return RedirectResponse(target, status_code=303)


@router.post("/room/{code}/join", include_in_schema=False)
async def join(request: Request, code: str) -> Response:
    """The form's answer: joined (to the phone page), or the form again with what was wrong. A
    Redis that cannot be reached gets the outage page, in the language the form was in.

    No time limit of its own (the NiceGUI pages have 30 s): when a whole room taps "Meedoen" at
    once on a busy process, the last joins wait longer than that for the room's roster (written a
    batch at a time, ``RoomStore.join``); a late join beats a refused one. A Redis that hangs is
    bounded by the client's own timeouts (``rooms.connect``), and a batch that cannot be written
    fails the joins waiting behind it too."""
    try:
        form = await request.form()
    except ClientDisconnect:  # the phone went before its form arrived: nobody to answer, nothing joined
        return Response(status_code=400)
    value = {key: field if isinstance(field := form.get(key), str) else "" for key in FIELDS}  # no files
    asked_lang = value["lang"] if value["lang"] in LANGS else ""
    answer: Response = await _join(request, code, value, lang=asked_lang)
    return answer


@guarded
async def _join(request: Request, code: str, value: dict[str, str], *, lang: str) -> Response:
    svc = await ready()
    room = normalize_code(code)
    entry = await svc.store.phone_entry(room, browser_id()) if room else None
    t = Tr(choose_lang(lang, entry.lang if entry else None))
    if room is None or entry is None or not entry.exists:  # counted against the address like a wrong code
        return await entry_page(room or code, t, request_address(request), title=None, exists=False,
                                asked_lang=lang, key="")
    roles = (await svc.store.template(room)).roles
    keyed = join_key_matches(room, value["k"])
    again = partial(form_page, t, room, title=entry.title, roles=roles, asked_lang=lang,
                    key=value["k"] if keyed else "", name=value["name"][:NAME_MAX], role=value["role"])
    if SESSION_COOKIE not in request.cookies or request.headers.get("sec-fetch-site") == "cross-site":
        # Not this browser's own form: sent from another site (which must not sign this phone in
        # under a name of its choosing), or by a browser that keeps no cookie (its phone page could
        # not know it joined, and every tap would add a participant). Nothing is stored.
        return again(status=403, error=t(
            "We herkennen deze telefoon niet. Open de pagina opnieuw met de QR-code of de link en vul je naam "
            "nog eens in. Lukt het dan nog niet? Sta cookies toe voor deze site."))
    phone_page = f"/room/{room}{query(lang, '')}"
    if entry.participant is not None:  # a second tap, or the back button: this browser is in already
        return RedirectResponse(phone_page, status_code=303)
    try:  # a role that is not the room's (a crafted form) is refused in words, like a bad name
        await guarded_join(svc.store, svc.limiter, request_address(request), room, value["name"], browser_id(),
                           value["role"] or None, keyed=keyed)
    except RateLimited as exc:
        refused = again(error=exc.text(t.lang), status=429)
        refused.headers["Retry-After"] = str(exc.retry_after)
        return refused
    except Rejected as exc:
        return again(error=exc.text(t.lang), name_invalid=exc.reason in NAME_REASONS)
    return RedirectResponse(phone_page, status_code=303)
