"""A trio of simulated phones: positions stay hidden until the third placement."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from nicegui.testing import User

from tests.helpers import eventually
from tests.ui.simulate import act, by_testid, join, need, visible_text
from workshop.services import ready, services

DIM = "proces-bewoners"


def has(user: User, testid: str) -> bool:
    return by_testid(user, testid) is not None


async def test_positions_appear_for_all_after_the_third_placement(create_user: Callable[[], User]) -> None:
    svc = await ready()
    code, _ = await svc.store.create_room(svc.template)
    await svc.store.start(code, "vijf-schuiven")
    anna, bram, cem = create_user(), create_user(), create_user()
    for user, name in [(anna, "Anna"), (bram, "<b>Bram</b>"), (cem, "Cem")]:
        await join(user, code, name)
        await eventually(partial(has, user, f"slider-{DIM}-now"), what=f"{name}'s sliders")

    act(anna, f"slider-{DIM}-now").trigger("change", 20)
    act(anna, f"slider-{DIM}-goal").trigger("change", 80)
    act(bram, f"slider-{DIM}-now").trigger("change", 37)
    act(bram, f"slider-{DIM}-goal").trigger("change", 83)
    await eventually(
        lambda: "2 van 3" in (by_testid(anna, f"status-{DIM}").text or ""),  # type: ignore[union-attr]
        what="Anna sees that two of three have placed",
    )
    # Before the third placement nothing of Bram's reaches Anna's page, not even hidden.
    assert "37" not in visible_text(anna) and "83" not in visible_text(anna)
    assert by_testid(anna, f"divergence-{DIM}") is None

    act(cem, f"slider-{DIM}-now").trigger("change", 71)
    act(cem, f"slider-{DIM}-goal").trigger("change", 90)
    for user in (anna, bram, cem):
        await eventually(partial(has, user, f"divergence-{DIM}"), what="divergence shown")
        text = visible_text(user)
        assert "Anna: 20 / 80" in text and "Cem: 71 / 90" in text
        assert "&lt;b&gt;Bram&lt;/b&gt;: 37 / 83" in text  # HTML in a name is shown as text
        assert "<b>Bram" not in by_testid(user, f"markers-{DIM}-box").content  # type: ignore[union-attr]
    assert "51 punten" in by_testid(anna, f"divergence-{DIM}").text  # type: ignore[union-attr]
    # another dimension is still private
    assert by_testid(anna, "divergence-communicatie") is None


async def test_wrong_code_gets_a_clear_message(user: User) -> None:
    await user.open("/")
    act(user, "join-code").type("ZZZZZZ")
    act(user, "join-name").type("Anna")
    act(user, "join-submit").click()
    await user.should_see("Deze code kennen we niet")
    await user.open("/")
    act(user, "join-code").type("abc")
    act(user, "join-submit").click()
    await user.should_see("Een code heeft 6 tekens")


async def test_empty_and_long_names_are_refused(user: User) -> None:
    svc = await ready()
    code, _ = await svc.store.create_room(svc.template)
    await user.open(f"/?code={code}")
    act(user, "join-submit").click()
    await user.should_see("Vul een naam in")
    act(user, "join-name").type("x" * 5000)
    act(user, "join-submit").click()
    await user.should_see("te lang")
    state = await svc.store.load(code)
    assert state is not None and state.participants == {}


async def test_host_page_needs_the_token(user: User) -> None:
    svc = await ready()
    code, token = await svc.store.create_room(svc.template)
    await user.open(f"/host/{code}?t=wrong")
    await user.should_see("Geen toegang")
    await user.open(f"/host/{code}?t={token}")
    await user.should_see(code)
    act(user, "start-vijf-schuiven").click()

    async def started() -> bool:
        state = await services().store.load(code)
        return state is not None and state.current == "vijf-schuiven"

    await eventually(started, what="activity started")


async def test_host_reveals_early_and_moves_a_member(create_user: Callable[[], User]) -> None:
    svc = await ready()
    code, token = await svc.store.create_room(svc.template)
    host, anna, bram, cem = create_user(), create_user(), create_user(), create_user()
    for user, name in [(anna, "Anna"), (bram, "Bram"), (cem, "Cem")]:
        await join(user, code, name)
    await host.open(f"/host/{code}?t={token}")
    act(host, "start-vijf-schuiven").click()
    await eventually(partial(has, anna, f"slider-{DIM}-now"), what="activity on Anna's phone")
    act(anna, f"slider-{DIM}-now").trigger("change", 10)
    act(anna, f"slider-{DIM}-goal").trigger("change", 90)
    await eventually(lambda: "1 van 3" in visible_text(bram), what="Bram sees one of three placed")
    assert "Anna: 10 / 90" not in visible_text(bram)

    act(host, "reveal").click()  # the facilitator does not wait for the trio
    await eventually(lambda: "Anna: 10 / 90" in visible_text(bram), what="early reveal reaches Bram")

    state = await svc.store.load(code)
    assert state is not None
    cem_id = next(p.id for p in state.participants.values() if p.name == "Cem")
    mover = need(host, "move-who")
    target = need(host, "move-to")
    mover.value = cem_id  # type: ignore[attr-defined]
    target.value = "2"  # type: ignore[attr-defined]
    act(host, "move-submit").click()
    await eventually(lambda: "Groep 2" in visible_text(cem), what="Cem's phone shows the new group")
    await eventually(partial(has, host, "group-2"), what="host shows group 2")


async def test_a_number_can_be_typed_instead_of_dragging(create_user: Callable[[], User]) -> None:
    svc = await ready()
    code, _ = await svc.store.create_room(svc.template)
    await svc.store.start(code, "vijf-schuiven")
    anna = create_user()
    await join(anna, code, "Anna")
    await eventually(partial(has, anna, f"number-{DIM}-now"), what="the number field")
    act(anna, f"number-{DIM}-now").type("64").trigger("keydown.enter")
    value = partial(lambda u: getattr(by_testid(u, f"value-{DIM}-now"), "text", ""), anna)
    await eventually(lambda: value() == "64", what="the typed value is stored")
    assert need(anna, f"slider-{DIM}-now").value == 64  # type: ignore[attr-defined]
    act(anna, f"number-{DIM}-goal").type("250").trigger("keydown.enter")
    await anna.should_see("0 tot 100")
    state = await services().store.load(code)
    assert state is not None
    assert state.placements["vijf-schuiven"][DIM] == {next(iter(state.participants)): {"now": 64}}
