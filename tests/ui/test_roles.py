"""Roles at joining and the host's mix by role, through the pages (issue 17)."""

from __future__ import annotations

from collections.abc import Callable

from nicegui.testing import User

from tests.helpers import eventually
from tests.ui.simulate import act, by_testid, join_by_qr, visible_text
from workshop.services import ready


async def join_as(user: User, code: str, name: str, role: str | None) -> None:
    answer = await join_by_qr(user, code, name, role)  # one tap on the role, if any
    assert answer.status == 303 and answer.location == f"/room/{code}", answer.text
    await user.open(answer.location)
    await eventually(lambda: by_testid(user, "who") is not None, what=f"{name} is in")


async def test_people_say_their_role_and_the_host_mixes_the_groups(
    user: User, create_user: Callable[[], User]
) -> None:
    svc = await ready()
    code, token = await svc.store.create_room(svc.template)
    people = [("Anna", "wijk"), ("Bram", "wijk"), ("Cem", "wijk"), ("Dirk", "sociaal"), ("Eva", "fysiek"),
              ("Fleur", None)]
    phones = [create_user() for _ in people]
    for phone, (name, role) in zip(phones, people, strict=True):
        await join_as(phone, code, name, role)
    state = await svc.store.load(code)
    assert state is not None
    assert {p.name: p.role for p in state.participants.values()} == dict(people)
    assert {p.name: p.group for p in state.participants.values()} == {
        "Anna": 1, "Bram": 1, "Cem": 1, "Dirk": 2, "Eva": 2, "Fleur": 2}

    await user.open(f"/host/{code}?t={token}")
    await eventually(lambda: "(Wijk)" in visible_text(user), what="the host sees the roles in the group cards")
    act(user, "mix-groups").click()
    await eventually(lambda: by_testid(user, "mix-dialog") is not None, what="the proposal")
    proposal = visible_text(user)
    assert "2 van 2 groepen" in proposal
    unchanged = await svc.store.load(code)
    assert unchanged is not None and unchanged.roster == state.roster  # nothing moves before confirming
    act(user, "mix-apply").click()

    async def mixed() -> bool:
        now = await svc.store.load(code)
        assert now is not None
        return all(len({m.role for m in now.members(g) if m.role}) >= 2 for g in now.groups())
    await eventually(mixed, what="every group has two roles after confirming")
    # NiceGUI's simulated users share one ui.notify, bound to whichever User object was touched last
    # (seen once in CI under load): the host's message may be recorded on a phone's user
    await eventually(lambda: any(u.notify.contains("gewisseld") for u in [user, *phones]),
                     what="the host is told who moved")
