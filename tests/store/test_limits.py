"""Rate limits against a real Redis: guessing codes is stopped, a room full of phones is not."""

from __future__ import annotations

import secrets

import pytest

from rooms.limits import JOIN_FAILURES, ROOM_CREATIONS, Limiter, RateLimited, guarded_join
from rooms.store import RoomNotFound, RoomStore
from rooms.templates import Template


def address() -> str:
    return f"198.51.100.{secrets.randbelow(250)}-{secrets.token_hex(4)}"  # one per test: no shared counters


async def test_a_hundred_phones_behind_one_address_all_join(store: RoomStore, template: Template) -> None:
    limiter = Limiter(store.redis)
    code, _ = await store.create_room(template)
    nat = address()
    for n in range(100):
        await guarded_join(store, limiter, nat, code, f"Deelnemer {n}", browser=f"b{n}")
    state = await store.load(code)
    assert state is not None and len(state.participants) == 100


async def test_guessing_codes_is_stopped_with_a_clear_message(store: RoomStore, template: Template) -> None:
    limiter = Limiter(store.redis)
    code, _ = await store.create_room(template)
    guesser = address()
    for _ in range(JOIN_FAILURES.allowed):
        with pytest.raises(RoomNotFound):
            await guarded_join(store, limiter, guesser, "ZZZZZZ", "Eve")
    with pytest.raises(RateLimited) as info:
        await guarded_join(store, limiter, guesser, code, "Eve")  # even a right code, for a while
    assert "Te veel pogingen" in info.value.nl and "minutes" in info.value.en
    assert 0 < info.value.retry_after <= JOIN_FAILURES.window
    state = await store.load(code)
    assert state is not None and state.participants == {}
    # someone else, on another address, is not affected
    await guarded_join(store, limiter, address(), code, "Anna")


async def test_room_creations_are_limited_per_address(store: RoomStore) -> None:
    limiter = Limiter(store.redis)
    client = address()
    for _ in range(ROOM_CREATIONS.allowed):
        await limiter.spend(ROOM_CREATIONS, client)
    with pytest.raises(RateLimited):
        await limiter.spend(ROOM_CREATIONS, client)
    await limiter.spend(ROOM_CREATIONS, address())
