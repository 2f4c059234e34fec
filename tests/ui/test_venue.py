"""A venue on one address: the QR code's link is never limited (issue 14)."""

from __future__ import annotations

from collections.abc import Callable

from nicegui.testing import User

from rooms import keys
from rooms.codes import ALPHABET
from rooms.limits import JOIN_FAILURES
from tests.helpers import eventually
from tests.ui.simulate import by_testid, join_by_qr, plain
from workshop.links import join_key, qr_url
from workshop.services import ready


async def test_the_qr_codes_link_joins_when_the_address_is_over_its_wrong_codes(
    create_user: Callable[[], User],
) -> None:
    svc = await ready()
    code, _ = await svc.store.create_room(svc.template)
    await fresh_limits()
    guesser = create_user()
    for n in range(JOIN_FAILURES.allowed):
        await plain(guesser, f"/room/ZZZZ{ALPHABET[n // 31]}{ALPHABET[n % 31]}")
    typed = await plain(guesser, f"/room/{code}")  # typed: refused like a wrong code (a guesser learns nothing)
    assert typed.status == 429 and "Te veel verkeerde codes" in typed.text and "join-name" not in typed.testids
    sent = await plain(guesser, f"/room/{code}/join", {"name": "Gijs"})  # nor by sending the form itself
    assert "Te veel verkeerde codes" in sent.text and sent.status == 429

    forged = create_user()  # a key that is not the app's counts as none
    assert "Te veel verkeerde codes" in (await plain(forged, f"/room/{code}?k=AAAAAAAAAAAA")).text
    refused = await plain(forged, f"/room/{code}/join", {"name": "Gijs", "k": "AAAAAAAAAAAA"})
    assert "Te veel verkeerde codes" in refused.text

    anna = create_user()  # behind the same address, she scans the QR code on the screen
    assert qr_url(code).endswith(f"/room/{code}?k={join_key(code)}")
    answer = await join_by_qr(anna, code, "Anna", query=f"?k={join_key(code)}")  # the key goes with the form
    assert answer.status == 303, answer.text
    await anna.open(answer.location)
    await eventually(lambda: getattr(by_testid(anna, "who"), "text", "") == "Anna", what="Anna's phone view")
    again = await plain(guesser, f"/room/{code}")  # now the room is this address's own: typed, it opens too
    assert "join-name" in again.testids
    state = await svc.store.load(code)
    assert state is not None and [p.name for p in state.participants.values()] == ["Anna"]
    await fresh_limits()


async def fresh_limits() -> None:
    """This address's counters start empty (every test of the suite comes from the same address)."""
    redis = (await ready()).redis
    stale = [k async for k in redis.scan_iter(match=keys.rate_key("*", "*"))]
    if stale:
        await redis.delete(*stale)
