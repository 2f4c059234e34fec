"""Rate limits against a real Redis: guessing codes is stopped, a room full of phones is not."""

from __future__ import annotations

import random
import secrets

import pytest

from rooms.codes import ALPHABET
from rooms.limits import JOIN_FAILURES, ROOM_CREATIONS, Limiter, RateLimited, guarded_join
from rooms.store import RoomNotFound, RoomStore
from rooms.templates import Template


def address() -> str:
    return f"198.51.100.{secrets.randbelow(250)}-{secrets.token_hex(4)}"  # one per test: no shared counters


async def guess_wrong_until_limited(store: RoomStore, limiter: Limiter, guesser: str) -> None:
    """As many wrong codes from ``guesser`` as are allowed: the next join from there is limited."""
    for _ in range(JOIN_FAILURES.allowed):
        with pytest.raises(RoomNotFound):
            await guarded_join(store, limiter, guesser, "ZZZZZZ", "Eve")


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
    await guess_wrong_until_limited(store, limiter, guesser)
    with pytest.raises(RateLimited) as info:
        await guarded_join(store, limiter, guesser, code, "Eve")  # even a right code, for a while
    assert "Te veel verkeerde codes" in info.value.nl and "minutes" in info.value.en
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


def mistyped(code: str, rng: random.Random) -> str:
    at = rng.randrange(len(code))
    return code[:at] + rng.choice([c for c in ALPHABET if c != code[at]]) + code[at + 1:]


async def venue(store: RoomStore, limiter: Limiter, nat: str, code: str, order: list[int]) -> list[int]:
    """Phones behind ``nat`` join ``code`` in ``order``; a phone's entries in ``order`` are its
    attempts: all but its last are typos (an unknown code), the last is the right code. Returns
    the phones whose right code was refused."""
    rng = random.Random(14)
    left = {phone: order.count(phone) for phone in set(order)}
    refused = []
    for phone in order:
        left[phone] -= 1
        if left[phone]:  # unknown, or after 30 of them "too many wrong codes": the phone looks again
            with pytest.raises((RoomNotFound, RateLimited)):
                await guarded_join(store, limiter, nat, mistyped(code, rng), f"Deelnemer {phone}", browser=f"b{phone}")
            continue
        try:
            await guarded_join(store, limiter, nat, code, f"Deelnemer {phone}", browser=f"b{phone}")
        except RateLimited:
            refused.append(phone)
    return refused


async def test_300_phones_behind_one_address_with_60_typos_all_get_in(store: RoomStore, template: Template) -> None:
    """Issue 14: after 30 typos from one address, right codes were refused for 5 minutes."""
    limiter = Limiter(store.redis)
    code, _ = await store.create_room(template)
    nat = address()
    # 20 % mistype: 40 phones once, 10 twice (60 wrong codes), in a shuffled order
    order = [*range(300), *range(40), *range(40, 50), *range(40, 50)]
    random.Random(300).shuffle(order)
    assert await venue(store, limiter, nat, code, order) == []
    state = await store.load(code)
    assert state is not None and len(state.participants) == 300


async def test_all_typos_first_still_lets_the_venue_in_once_its_room_was_reached(
    store: RoomStore, template: Template
) -> None:
    """The worst order: all 60 typos before any right code. The facilitator created the room (or
    opened its host page, or the screen) from the venue: its code is never limited there."""
    limiter = Limiter(store.redis)
    code, _ = await store.create_room(template)
    nat = address()
    await limiter.remember(nat, code)  # what the landing page does on creation, the host page on opening
    order = [*range(40), *range(40, 50), *range(40, 50), *range(300)]
    assert await venue(store, limiter, nat, code, order) == []
    state = await store.load(code)
    assert state is not None and len(state.participants) == 300


async def test_once_limited_a_guesser_cannot_tell_a_room_from_no_room(store: RoomStore, template: Template) -> None:
    limiter = Limiter(store.redis)
    code, _ = await store.create_room(template)
    guesser = address()
    await guess_wrong_until_limited(store, limiter, guesser)
    for guess in ("ZZZZZY", code, "ZZZZZX"):  # a room or none: the same answer, no look-up made
        with pytest.raises(RateLimited):
            await guarded_join(store, limiter, guesser, guess, "Eve")
        with pytest.raises(RateLimited):
            await limiter.before_lookup(guesser, guess)
    state = await store.load(code)
    assert state is not None and state.participants == {}


async def test_a_join_through_the_qr_code_is_never_limited(store: RoomStore, template: Template) -> None:
    limiter = Limiter(store.redis)
    code, _ = await store.create_room(template)
    nat = address()
    for _ in range(JOIN_FAILURES.allowed + 5):
        with pytest.raises((RoomNotFound, RateLimited)):
            await guarded_join(store, limiter, nat, "ZZZZZZ", "Eve")
    joined = await guarded_join(store, limiter, nat, code, "Anna", keyed=True)
    assert joined.name == "Anna"
    await guarded_join(store, limiter, nat, code, "Bram")  # and now the room is the venue's: typed joins too
