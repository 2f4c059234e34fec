"""The host's guide: suggested time, notes, debrief questions, and the next tool the room's
"pioneer or reflective thinker" answer suggests (issue 17)."""

from __future__ import annotations

from nicegui.testing import User

from tests.helpers import eventually
from tests.ui.simulate import act, need
from workshop.services import ready


def guide(user: User) -> str:
    return str(need(user, "host-guide").content)  # type: ignore[attr-defined]


async def test_the_guide_follows_the_running_exercise_and_suggests_the_next_tool(user: User) -> None:
    svc = await ready()
    code, token = await svc.store.create_room(svc.template)
    people = [await svc.store.join(code, name) for name in ("Anna", "Bram", "Cem")]
    await user.open(f"/host/{code}?t={token}")
    act(user, "start-pionier-doordenker").click()
    await eventually(lambda: "Voorgestelde tijd: 5 minuten" in guide(user), what="the suggested time")
    assert "Pioniers hebben het meest" in guide(user)
    assert "past het best" not in guide(user)  # nobody placed yet
    for person, value in zip(people, (80, 70, 90), strict=True):
        await svc.store.place(code, person.id, "pionier-doordenker", "positie", "nu", value)
    await eventually(lambda: "gemiddeld op 80; Zeven bouwstenen past het best" in guide(user),
                     what="reflective thinkers are pointed to the building blocks")
    act(user, "start-vijf-schuiven").click()
    await eventually(lambda: "Waar zou jullie wethouder de schuif zetten?" in guide(user), what="debrief questions")
    assert "Pioniers hebben het meest" not in guide(user)
