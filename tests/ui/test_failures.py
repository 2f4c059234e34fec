"""When Redis cannot be reached, the person is told their change was not saved (no stack trace)."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

import pytest
from nicegui.testing import User
from redis.exceptions import ConnectionError as RedisConnectionError

from tests.helpers import eventually
from tests.ui.simulate import act, by_testid, join, plain
from workshop.services import ready, services


async def test_a_write_that_cannot_reach_redis_says_it_was_not_saved(
    create_user: Callable[[], User], monkeypatch: pytest.MonkeyPatch
) -> None:
    svc = await ready()
    code, _ = await svc.store.create_room(svc.template)
    await svc.store.start(code, "casus")
    phone = create_user()
    await join(phone, code, "Anna")
    await eventually(partial(lambda u: by_testid(u, "text-titel") is not None, phone), what="the case form")

    async def unreachable(*_args: object, **_kwargs: object) -> None:
        raise RedisConnectionError("Error 111 connecting to redis. Connection refused.")

    monkeypatch.setattr(services().store, "write_text", unreachable)
    act(phone, "text-titel").type("Skatebaan").trigger("blur")
    await phone.should_see("niet opgeslagen")
    state = await svc.store.load(code)
    assert state is not None and state.texts == {}


async def test_the_qr_form_sent_while_redis_is_away_gets_the_outage_page_in_its_language(
    create_user: Callable[[], User], monkeypatch: pytest.MonkeyPatch
) -> None:
    svc = await ready()
    code, _ = await svc.store.create_room(svc.template)
    bram = create_user()
    form = await plain(bram, f"/room/{code}?lang=en")

    async def unreachable(*_args: object, **_kwargs: object) -> None:
        raise RedisConnectionError("Error 111 connecting to redis. Connection refused.")

    monkeypatch.setattr(services().store, "phone_entry", unreachable)
    answer = await plain(bram, f"/room/{code}/join", {**form.inputs, "name": "Bram"})
    assert answer.status == 503 and "The server cannot reach" in answer.text and "111" not in answer.text
    monkeypatch.undo()
    state = await svc.store.load(code)
    assert state is not None and state.participants == {}
