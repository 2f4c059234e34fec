"""The engine against a real Redis."""

from __future__ import annotations

import asyncio
import random
from typing import Any

import pytest
from redis.asyncio import Redis

from rooms import imports, keys
from rooms.commands import Rejected
from rooms.models import Participant
from rooms.projection import fold
from rooms.store import RoomNotFound, RoomStore
from rooms.templates import Template
from tests.conftest import REDIS_URL
from tests.helpers import DIMENSIONS, all_events


async def assert_live_equals_fold(store: RoomStore, code: str) -> None:
    live = await store.load(code)
    assert live is not None
    assert fold(await all_events(store, code)) == live


async def test_create_join_place_and_fold(store: RoomStore, template: Template) -> None:
    code, token = await store.create_room(template)
    assert await store.check_host(code, token)
    assert not await store.check_host(code, token + "x")
    anna = await store.join(code, "Anna")
    bram = await store.join(code, "Anna")
    assert bram.name == "Anna (2)"
    await store.start(code, "vijf-schuiven")
    await store.place(code, anna.id, "vijf-schuiven", "communicatie", "now", 40)
    await store.write_reason(code, anna.id, "vijf-schuiven", "communicatie", "<script>alert(1)</script>")
    state = await store.load(code)
    assert state is not None
    assert state.placements["vijf-schuiven"]["communicatie"][anna.id] == {"now": 40}
    assert state.reasons["vijf-schuiven"]["communicatie"][anna.id] == "<script>alert(1)</script>"
    await assert_live_equals_fold(store, code)


async def test_the_host_token_is_not_in_the_event_log(store: RoomStore, template: Template, redis: Redis) -> None:
    code, token = await store.create_room(template)
    entries = await redis.xrange(keys.events_key(code))
    assert token not in str(entries)


async def test_unknown_room_is_a_clear_rejection(store: RoomStore) -> None:
    with pytest.raises(RoomNotFound) as info:
        await store.join("ZZZZZZ", "Anna")
    assert "code" in info.value.nl


async def test_bad_input_changes_nothing(store: RoomStore, template: Template) -> None:
    code, _ = await store.create_room(template)
    anna = await store.join(code, "Anna")
    await store.start(code, "vijf-schuiven")
    await store.place(code, anna.id, "vijf-schuiven", "communicatie", "now", 40)
    before = await all_events(store, code)
    for value in [-1, 101, "abc", None, float("nan")]:
        with pytest.raises(Rejected):
            await store.place(code, anna.id, "vijf-schuiven", "communicatie", "now", value)
    for name in ["", "   ", "x" * 5000]:
        with pytest.raises(Rejected):
            await store.join(code, name)
    with pytest.raises(Rejected):
        await store.place(code, "stranger", "vijf-schuiven", "communicatie", "now", 50)
    assert await all_events(store, code) == before
    state = await store.load(code)
    assert state is not None and state.placements["vijf-schuiven"]["communicatie"][anna.id] == {"now": 40}


async def test_lock_makes_placements_fail_and_unlock_reopens(store: RoomStore, template: Template) -> None:
    code, _ = await store.create_room(template)
    anna = await store.join(code, "Anna")
    with pytest.raises(Rejected):  # not started yet
        await store.place(code, anna.id, "vijf-schuiven", "communicatie", "now", 10)
    await store.start(code, "vijf-schuiven")
    await store.lock(code, "vijf-schuiven")
    with pytest.raises(Rejected) as info:
        await store.place(code, anna.id, "vijf-schuiven", "communicatie", "now", 10)
    assert "niet opgeslagen" in info.value.nl
    await store.unlock(code, "vijf-schuiven")
    await store.place(code, anna.id, "vijf-schuiven", "communicatie", "now", 10)
    await assert_live_equals_fold(store, code)


async def test_a_browser_that_joins_twice_stays_one_participant(store: RoomStore, template: Template) -> None:
    code, _ = await store.create_room(template)
    first = await store.join(code, "Anna", browser="b-1")
    again = await store.join(code, "Anna", browser="b-1")
    assert again.id == first.id
    assert await store.participant_for_browser(code, "b-1") == first.id
    state = await store.load(code)
    assert state is not None and len(state.participants) == 1


async def test_a_phone_page_learns_room_language_title_and_participant_in_one_call(
    store: RoomStore, template: Template
) -> None:
    assert await store.phone_entry("ZZZZZZ", "b-1") == (False, None, None, None)
    code, _ = await store.create_room(template, title="Coevorden, wijkteams")
    assert await store.phone_entry(code, "b-1") == (True, None, "Coevorden, wijkteams", None)
    anna = await store.join(code, "Anna", browser="b-1")
    await store.set_setting(code, "lang", "en")
    entry = await store.phone_entry(code, "b-1")
    assert (entry.exists, entry.lang, entry.participant) == (True, "en", anna.id)
    assert (await store.phone_entry(code, "b-2")).participant is None


async def test_concurrent_joins_from_two_stores_form_trios(redis: Redis, template: Template) -> None:
    # two stores stand for two app processes: the roster guard must serialize them
    a, b = RoomStore(redis), RoomStore(Redis.from_url(REDIS_URL, decode_responses=True))
    code, _ = await a.create_room(template)
    joined = await asyncio.gather(*[(a if n % 2 else b).join(code, f"P{n}") for n in range(30)])
    state = await a.load(code)
    assert state is not None
    assert len({p.id for p in joined}) == 30
    assert sorted(len(state.members(g)) for g in state.groups()) == [3] * 10
    await assert_live_equals_fold(a, code)
    await b.redis.aclose()


async def test_joins_at_once_are_written_together_as_if_one_after_the_other(
    store: RoomStore, template: Template,
) -> None:
    """A whole room tapping "Meedoen" at once: the joins that wait for the roster are written
    together (``JOIN_BATCH`` at a time), and every decision is the one a join at a time makes."""
    at_once, _ = await store.create_room(template)
    one_by_one, _ = await store.create_room(template)
    asks: list[tuple[str, str, str | None]] = [
        (f"P{n % 90}", f"b-{n}", ("wijk", "sociaal", None, "fysiek")[n % 4]) for n in range(150)]
    asks.insert(70, ("Again", "b-3", None))  # a second tap of a browser that is already in (another batch)
    asks.insert(5, ("Twice", "b-4", None))  # and of one whose first tap waits in the same batch
    asks.insert(40, ("Rolf", "b-rolf", "koning"))  # a role the room does not have: refused, the rest go on
    writes = 0
    write = store._write

    async def counted(*args: Any, **kwargs: Any) -> int:
        nonlocal writes
        writes += 1
        return await write(*args, **kwargs)

    store._write = counted  # type: ignore[method-assign]
    results = await asyncio.gather(*(store.join(at_once, n, browser=b, role=r) for n, b, r in asks),
                                   return_exceptions=True)
    del store._write
    assert writes <= 6  # the first alone, then the ones that waited, 64 at a time (not 150 writes)
    expected: list[object] = []
    for name, browser, role in asks:
        try:
            expected.append(await store.join(one_by_one, name, browser=browser, role=role))
        except Rejected as exc:
            expected.append(exc)

    def seen(result: object) -> object:
        if isinstance(result, Rejected):
            return result.reason
        assert isinstance(result, Participant)
        return result.model_dump(exclude={"id", "joined_at"})

    assert [seen(r) for r in results] == [seen(e) for e in expected]
    assert [r.reason for r in results if isinstance(r, Rejected)] == ["no-role"]
    answered = [(n, b, r) for (n, b, _), r in zip(asks, results, strict=True) if isinstance(r, Participant)]
    ids = {b: r.id for n, b, r in answered if n not in {"Again", "Twice"}}
    assert len(set(ids.values())) == 150
    assert {b: r.id for n, b, r in answered if n in {"Again", "Twice"}} == {"b-3": ids["b-3"], "b-4": ids["b-4"]}
    for code in (at_once, one_by_one):
        state = await store.load(code)
        assert state is not None and len(state.participants) == 150
        assert len({await store.participant_for_browser(code, b) for b in ids}) == 150  # each browser bound
        events = await all_events(store, code)
        imports.check(events)  # what was written, joins one at a time could have written in this order
        await assert_live_equals_fold(store, code)
    assert {b: await store.participant_for_browser(at_once, b) for b in ids} == ids


async def test_a_join_whose_writer_went_away_is_answered_as_written(store: RoomStore, template: Template) -> None:
    """The holder of the roster is cancelled after its batch reached Redis: the others of the
    batch are answered by the next holder with what was written, not refused as joined twice."""
    code, _ = await store.create_room(template)
    write, writes = store._write, 0

    async def slow_reply(*args: Any, **kwargs: Any) -> int:
        nonlocal writes
        writes += 1
        result = await write(*args, **kwargs)
        if writes == 2:
            await asyncio.sleep(0.5)  # the batch is in Redis; its reply has not arrived
        return result

    store._write = slow_reply  # type: ignore[method-assign]
    first = asyncio.create_task(store.join(code, "H1"))
    await asyncio.sleep(0)
    holder = asyncio.create_task(store.join(code, "W2"))
    other = asyncio.create_task(store.join(code, "W3"))
    await first
    await asyncio.sleep(0.2)
    holder.cancel()
    joined = await other
    del store._write
    state = await store.load(code)
    assert state is not None and sorted(p.name for p in state.participants.values()) == ["H1", "W2", "W3"]
    assert state.participants[joined.id].name == "W3"
    await assert_live_equals_fold(store, code)


async def test_a_join_cancelled_while_it_waits_is_not_written(store: RoomStore, template: Template) -> None:
    code, _ = await store.create_room(template)
    first = asyncio.create_task(store.join(code, "H", browser="b-h"))
    await asyncio.sleep(0)
    gone = [asyncio.create_task(store.join(code, name, browser=f"b-{name}", role=role))
            for name, role in (("Gone", None), ("Koning", "koning"))]
    await asyncio.sleep(0)
    for task in gone:
        task.cancel()
    late = await store.join(code, "Late", browser="b-late")
    await first
    state = await store.load(code)
    assert state is not None and sorted(p.name for p in state.participants.values()) == ["H", "Late"]
    assert await store.participant_for_browser(code, "b-Gone") is None and late.name == "Late"
    assert not store._joining


async def test_thirty_phones_placing_a_hundred_times_all_land(store: RoomStore, template: Template) -> None:
    code, _ = await store.create_room(template)
    phones = [await store.join(code, f"Phone {n}") for n in range(30)]
    await store.start(code, "vijf-schuiven")
    rng = random.Random(7)
    plans = {
        p.id: [(rng.choice(DIMENSIONS), rng.choice(["now", "goal"]), rng.randint(0, 100)) for _ in range(100)]
        for p in phones
    }

    async def phone(pid: str) -> None:
        for dim, pos, value in plans[pid]:
            await store.place(code, pid, "vijf-schuiven", dim, pos, value)

    await asyncio.gather(*(phone(p.id) for p in phones))
    events = await all_events(store, code)
    placed = [e for e in events if e.type == "slider-placed"]
    assert len(placed) == 3000
    assert [e.seq for e in events] == list(range(1, len(events) + 1))
    state = await store.load(code)
    assert state is not None
    for pid, plan in plans.items():
        last: dict[tuple[str, str], int] = {}
        for dim, pos, value in plan:
            last[(dim, pos)] = value
        for (dim, pos), value in last.items():
            assert state.placements["vijf-schuiven"][dim][pid][pos] == value
    await assert_live_equals_fold(store, code)


async def test_delete_room_leaves_no_key(store: RoomStore, template: Template, redis: Redis) -> None:
    code, _ = await store.create_room(template)
    anna = await store.join(code, "Anna", browser="b")
    await store.touch(code, [anna.id])
    await store.delete_room(code)
    assert await redis.keys(keys.room_pattern(code)) == []
    assert await redis.zscore(keys.rooms_index_key(), code) is None


async def test_two_host_tabs_at_once_are_decided_one_after_the_other(store: RoomStore, template: Template) -> None:
    """Two tabs lock the same exercise in the same instant, or one shows a group on the screen while
    that group empties: each command is written only if what it was decided on still holds."""
    from rooms import imports

    code, _ = await store.create_room(template)
    await store.start(code, "casus")
    results = await asyncio.gather(store.lock(code, "casus"), store.lock(code, "casus"),
                                   store.advance(code), store.advance(code), return_exceptions=True)
    refused = [r for r in results if isinstance(r, Rejected)]
    assert [type(r).__name__ for r in results if not isinstance(r, Rejected)].count("ActivityLocked") == 1
    assert [type(r).__name__ for r in results if not isinstance(r, Rejected)].count("ActivityStarted") == 2
    assert [r.reason for r in refused] == ["not-open"]
    events = await all_events(store, code)
    imports.check(events)  # what was written, live commands could have written in this order
    state = await store.load(code)
    assert state == fold(events) and state is not None and state.current == "spanningsvelden"
