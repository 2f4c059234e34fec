"""A venue on one address: the QR code's link is never limited (issue 14)."""

from __future__ import annotations

from collections.abc import Callable

from nicegui.testing import User

from rooms import keys
from rooms.codes import ALPHABET
from rooms.limits import JOIN_FAILURES
from tests.helpers import eventually
from tests.ui.simulate import act, by_testid
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
        await guesser.open(f"/room/ZZZZ{ALPHABET[n // 31]}{ALPHABET[n % 31]}")
    await guesser.open(f"/room/{code}")  # typed: refused like a wrong code (a guesser learns nothing)
    await guesser.should_see("Te veel verkeerde codes")
    assert by_testid(guesser, "join-name") is None

    forged = create_user()  # a key that is not the app's counts as none
    await forged.open(f"/room/{code}?k=AAAAAAAAAAAA")
    await forged.should_see("Te veel verkeerde codes")

    anna = create_user()  # behind the same address, she scans the QR code on the screen
    assert qr_url(code).endswith(f"/room/{code}?k={join_key(code)}")
    await anna.open(f"/room/{code}?k={join_key(code)}")
    act(anna, "join-name").type("Anna")
    act(anna, "join-submit").click()
    await eventually(lambda: getattr(by_testid(anna, "who"), "text", "") == "Anna", what="Anna's phone view")
    await guesser.open(f"/room/{code}")  # now the room is this address's own: typed, it opens too
    assert by_testid(guesser, "join-name") is not None
    await fresh_limits()


async def fresh_limits() -> None:
    """This address's counters start empty (every test of the suite comes from the same address)."""
    redis = (await ready()).redis
    stale = [k async for k in redis.scan_iter(match=keys.rate_key("*", "*"))]
    if stale:
        await redis.delete(*stale)
