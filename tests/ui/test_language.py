"""Dutch by default; the room can default to English; each person picks their own language."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from nicegui.testing import User

from tests.helpers import eventually
from tests.ui.simulate import act, by_testid, join, need
from tests.ui.test_programme import has, shows, text_of
from workshop.services import ready


async def test_room_default_and_each_persons_own_language(user: User, create_user: Callable[[], User]) -> None:
    svc = await ready()
    code, token = await svc.store.create_room(svc.template)
    await svc.store.start(code, "vijf-schuiven")
    await user.open(f"/host/{code}?t={token}")
    act(user, "room-language").click()
    need(user, "room-language").value = "en"  # type: ignore[attr-defined]

    async def stored() -> bool:
        return await svc.store.setting(code, "lang") is not None

    await eventually(stored, what="the room's language is stored")
    assert await svc.store.setting(code, "lang") == "en"

    anna = create_user()
    await join(anna, code, "Anna")
    await anna.open(f"/room/{code}")
    await eventually(partial(shows, anna, "activity-title", "Five sliders"), what="English by the room's choice")
    assert "Nederlands" in text_of(anna, "lang-switch")

    href = str(need(anna, "lang-switch").props.get("href"))
    assert href.startswith(f"/room/{code}") and "lang=nl" in href
    await anna.open(href)  # Anna prefers Dutch
    await eventually(partial(shows, anna, "activity-title", "Vijf schuiven"), what="Anna's own choice")
    await anna.open(f"/room/{code}")  # and it sticks, for her only
    await eventually(partial(shows, anna, "activity-title", "Vijf schuiven"), what="remembered")

    bram = create_user()
    await join(bram, code, "Bram")
    await bram.open(f"/room/{code}")
    await eventually(partial(shows, bram, "activity-title", "Five sliders"), what="Bram keeps the room's English")
    assert by_testid(bram, "lang-switch") is not None and has(bram, "who")


async def test_the_handout_has_code_qr_and_link(user: User) -> None:
    svc = await ready()
    code, token = await svc.store.create_room(svc.template)
    await user.open(f"/host/{code}?t={token}")
    assert need(user, "handout-link").props.get("href") == f"/handout/{code}"
    await user.open(f"/handout/{code}")
    assert text_of(user, "handout-code") == code
    assert text_of(user, "handout-link-text").endswith(f"/room/{code}")
    await user.should_see("Scan de QR-code")
    await user.open("/handout/ZZZZZZ")
    await user.should_see("bestaat niet")
