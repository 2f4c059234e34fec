"""A trio of simulated phones: positions stay hidden until the third placement."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from nicegui.testing import User

from tests.helpers import eventually
from tests.ui.simulate import act, by_testid, card, diverges, join, need, place, plain, shown, visible_text
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
        await eventually(partial(has, user, f"item-{DIM}"), what=f"{name}'s sliders")

    place(anna, DIM, "now", 20)
    place(anna, DIM, "goal", 80)
    place(bram, DIM, "now", 37)
    place(bram, DIM, "goal", 83)
    await eventually(lambda: "2 van 3" in shown(anna, DIM, "status"), what="Anna sees that two of three have placed")
    # Before the third placement nothing of Bram's reaches Anna's page, not even hidden.
    shown_to_anna = visible_text(anna).replace(code, "")  # the random room code may hold "37" itself
    assert "37" not in shown_to_anna and "83" not in shown_to_anna
    assert not shown(anna, DIM, "divergence")

    place(cem, DIM, "now", 71)
    place(cem, DIM, "goal", 90)
    for user in (anna, bram, cem):
        await eventually(partial(diverges, user, DIM), what="divergence shown")
        text = visible_text(user)
        assert "Anna: 20 / 80" in text and "Cem: 71 / 90" in text
        assert "&lt;b&gt;Bram&lt;/b&gt;: 37 / 83" in text  # HTML in a name is shown as text
        assert "<b>Bram" not in shown(user, DIM, "markers")
    assert "51 punten" in shown(anna, DIM, "divergence")
    # another dimension is still private
    assert not shown(anna, "communicatie", "divergence")


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
    await eventually(partial(has, anna, f"item-{DIM}"), what="activity on Anna's phone")
    place(anna, DIM, "now", 10)
    place(anna, DIM, "goal", 90)
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


async def test_a_refused_value_is_explained_and_the_thumb_goes_back(create_user: Callable[[], User]) -> None:
    """Typing (the browser test) or a forged event: a value outside 0–100 changes nothing stored."""
    svc = await ready()
    code, _ = await svc.store.create_room(svc.template)
    await svc.store.start(code, "vijf-schuiven")
    anna = create_user()
    await join(anna, code, "Anna")
    await eventually(partial(has, anna, f"item-{DIM}"), what="the slider card")
    place(anna, DIM, "now", 64)
    await eventually(lambda: card(anna, DIM)["stored"] == {"now": 64}, what="the value is stored")
    place(anna, DIM, "goal", 250)
    await anna.should_see("0 tot 100")
    assert card(anna, DIM)["sync"]["values"] == {"goal": 50}  # the thumb back in the unplaced middle
    place(anna, DIM, "now", "veel")
    await eventually(lambda: card(anna, DIM)["sync"]["values"] == {"now": 64}, what="the thumb back at 64")
    state = await services().store.load(code)
    assert state is not None
    assert state.placements["vijf-schuiven"][DIM] == {next(iter(state.participants)): {"now": 64}}


async def test_a_phone_that_scanned_the_code_joins_on_the_room_page(create_user: Callable[[], User]) -> None:
    """The QR code leads to the room's own page: a plain form (no NiceGUI page, no socket), then the
    phone view on the same address."""
    svc = await ready()
    code, _ = await svc.store.create_room(svc.template)
    await svc.store.start(code, "vijf-schuiven")
    anna = create_user()
    form = await plain(anna, f"/room/{code}")
    assert form.status == 200 and "join-code" not in form.testids  # the page knows its room, and says which
    assert svc.template.title.nl in form.text and "join-title" in form.testids  # the room's title
    assert form.testids["join-name"]["maxlength"] == "40" and form.testids["join-name"]["value"] == ""
    empty = await plain(anna, f"/room/{code}/join", {"name": "  "})
    assert empty.status == 422 and "Vul een naam in" in empty.text and "join-error" in empty.testids
    assert empty.testids["join-name"].get("aria-invalid") == "true"  # the field is marked, and focused
    long = await plain(anna, f"/room/{code}/join", {"name": '"><b>' + "x" * 5000})
    assert "te lang" in long.text
    assert long.testids["join-name"]["value"] == ('"><b>' + "x" * 5000)[:40]  # what was typed stays, as text
    crafted = await plain(anna, f"/room/{code}/join", {"name": "Anna", "role": "koning"})
    assert crafted.status == 422 and "join-error" in crafted.testids
    assert "aria-invalid" not in crafted.testids["join-name"]  # the name was not what was wrong
    state = await svc.store.load(code)
    assert state is not None and state.participants == {}  # nothing refused is stored

    first = await plain(anna, f"/room/{code}/join", {"name": "Anna"})
    again = await plain(anna, f"/room/{code}/join", {"name": "Anna"})  # a second tap, or the back button
    assert first.status == again.status == 303 and first.location == again.location == f"/room/{code}"
    await anna.open(first.location)
    await eventually(lambda: getattr(by_testid(anna, "who"), "text", "") == "Anna", what="Anna's phone view")
    await eventually(partial(has, anna, f"item-{DIM}"), what="the sliders")
    assert by_testid(anna, "join-name") is None
    assert anna.client is not None
    assert [e.props.get("data-testid") for e in anna.client.elements.values()].count("who") == 1  # one phone view
    state = await svc.store.load(code)
    assert state is not None and [p.name for p in state.participants.values()] == ["Anna"]
    place(anna, DIM, "now", 30)
    await eventually(lambda: card(anna, DIM)["stored"] == {"now": 30}, what="her placement is stored")


async def test_the_qr_form_speaks_the_language_asked_for_and_carries_it_into_the_room(
    create_user: Callable[[], User],
) -> None:
    svc = await ready()
    code, _ = await svc.store.create_room(svc.template)
    bram = create_user()
    form = await plain(bram, f"/room/{code}?lang=en")
    assert "Join a session" in form.text and form.inputs.get("lang") == "en"
    assert form.testids["lang-switch"]["href"] == f"/room/{code}?lang=nl"
    joined = await plain(bram, f"/room/{code}/join", {**form.inputs, "name": "Bram"})
    assert joined.location == f"/room/{code}?lang=en"
    await bram.open(joined.location)
    await eventually(lambda: "Group 1" in getattr(by_testid(bram, "group"), "text", ""), what="English")
    dutch = await plain(create_user(), f"/room/{code}")
    assert "Doe mee met een sessie" in dutch.text and "lang" not in dutch.inputs  # the room's default


async def test_only_this_browsers_own_form_joins(create_user: Callable[[], User]) -> None:
    """A form sent from another site (it must not sign this phone in under a name of its choosing)
    or by a browser without the form's cookie is refused in words, and nothing is stored."""
    svc = await ready()
    code, _ = await svc.store.create_room(svc.template)
    cookieless = await plain(create_user(), f"/room/{code}/join", {"name": "Planted"})  # no GET first: no cookie
    assert cookieless.status == 403 and "We herkennen deze telefoon niet" in cookieless.text
    anna = create_user()
    form = await plain(anna, f"/room/{code}")
    elsewhere = await plain(anna, f"/room/{code}/join", {**form.inputs, "name": "Planted"},
                            headers={"Sec-Fetch-Site": "cross-site"})
    assert elsewhere.status == 403 and "join-error" in elsewhere.testids
    state = await svc.store.load(code)
    assert state is not None and state.participants == {}
    # the form's answer asked for again as a page (a reload of the outage page): the form, not an error
    again = await plain(anna, f"/room/{code}/join?lang=en&k=abc")
    assert again.status == 303 and again.location == f"/room/{code}?lang=en&k=abc"
    assert (await plain(anna, f"/room/{code}/join", {"name": "Anna"})).location == f"/room/{code}"


async def test_an_unknown_room_page_says_so(user: User) -> None:
    for answer in (await plain(user, "/room/ZZZZZZ"), await plain(user, "/room/ZZZZZZ/join", {"name": "Anna"})):
        assert "bestaat niet" in answer.text and "page-error" in answer.testids
        assert "join-name" not in answer.testids


