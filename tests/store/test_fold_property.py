"""Property: whatever commands arrive, from whichever actors, the live state equals the fold."""

from __future__ import annotations

import asyncio

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rooms import imports
from rooms.commands import Rejected
from rooms.projection import fold
from rooms.store import RoomStore
from rooms.templates import load_template
from tests.conftest import REDIS_URL
from tests.helpers import DIMENSIONS, all_events

TEMPLATE = load_template()
ACTIVITIES = [a.id for a in TEMPLATE.activities]

command = st.one_of(
    st.tuples(st.just("join"), st.text(max_size=45)),
    st.tuples(st.just("place"), st.integers(0, 7), st.sampled_from(DIMENSIONS), st.sampled_from(["now", "goal"]),
              st.one_of(st.integers(-20, 120), st.floats(allow_nan=True), st.text(max_size=4))),
    st.tuples(st.just("reason"), st.integers(0, 7), st.sampled_from(DIMENSIONS), st.text(max_size=30)),
    st.tuples(st.just("start"), st.sampled_from(ACTIVITIES)),
    st.tuples(st.just("lock"), st.sampled_from(ACTIVITIES)),
    st.tuples(st.just("unlock"), st.sampled_from(ACTIVITIES)),
    st.tuples(st.just("reveal"), st.sampled_from(ACTIVITIES), st.one_of(st.none(), st.integers(0, 4))),
    st.tuples(st.just("move"), st.integers(0, 7), st.integers(0, 4)),
    st.tuples(st.just("text"), st.integers(0, 7),
              st.sampled_from([("casus", "titel"), ("bouwstenen", "note-1"), ("werkagenda", "action-2-what"),
                               ("goede-gesprek", "r1-tips"), ("koppelkansen", "own-1"), ("casus", "bad")]),
              st.text(max_size=20)),
    st.tuples(st.just("assign"), st.integers(0, 7), st.sampled_from(["lef", "verbinden", "nope"]),
              st.lists(st.integers(0, 7), max_size=3), st.booleans()),
    st.tuples(st.just("settle"), st.integers(0, 7), st.sampled_from(["lef", "verbinden", "nope"]),
              st.lists(st.integers(0, 7), max_size=3), st.booleans()),
    st.tuples(st.just("sort"), st.integers(0, 7), st.sampled_from(["nieuwe-kennis", "nieuwe-manier-van-doen"]),
              st.sampled_from([["mee-bezig"], ["aandacht"], [], ["mee-bezig", "aandacht"]])),
    st.tuples(st.just("choose"), st.integers(0, 7),
              st.lists(st.sampled_from(["gezonde-wijk", "veilige-wijk", "own-1", "x"]), max_size=3)),
    st.tuples(st.just("round"), st.integers(0, 3), st.sampled_from(["vijf-schuiven", "goede-gesprek"])),
    st.tuples(st.just("mode"), st.sampled_from(ACTIVITIES), st.sampled_from(["live", "host", "when-complete", "?"])),
    st.tuples(st.just("timer"), st.integers(-5, 600)),
)


async def run(store: RoomStore, code: str, pids: list[str], cmd: tuple) -> None:  # type: ignore[type-arg]
    kind = cmd[0]

    def pick(i: int) -> str:
        return pids[i % len(pids)] if pids else "nobody"

    if kind == "join":
        pids.append((await store.join(code, cmd[1])).id)
    elif kind == "place":
        await store.place(code, pick(cmd[1]), "vijf-schuiven", cmd[2], cmd[3], cmd[4])
    elif kind == "reason":
        await store.write_reason(code, pick(cmd[1]), "vijf-schuiven", cmd[2], cmd[3])
    elif kind == "start":
        await store.start(code, cmd[1])
    elif kind == "lock":
        await store.lock(code, cmd[1])
    elif kind == "unlock":
        await store.unlock(code, cmd[1])
    elif kind == "reveal":
        await store.reveal(code, cmd[1], cmd[2])
    elif kind == "move":
        await store.move_member(code, pick(cmd[1]), cmd[2])
    elif kind in {"text", "assign", "sort"}:
        state = await store.load(code)
        assert state is not None
        pid = pick(cmd[1])
        member = state.participants.get(pid)
        group = member.group if member else 1
        if kind == "text":
            activity, field = cmd[2]
            await store.write_text(code, pid, group, activity, field, cmd[3])
        elif kind == "assign":
            targets = [pick(i) for i in cmd[3]] + (["none"] if cmd[4] else [])
            await store.assign(code, pid, group, "competentiespel", cmd[2], targets)
        else:
            await store.assign(code, pid, group, "sociale-innovatie", cmd[2], cmd[3])
    elif kind == "settle":  # the group's joint decision on a card (``CardSettled``)
        targets = [pick(i) for i in cmd[3]] + (["none"] if cmd[4] else [])
        await store.settle(code, pick(cmd[1]), "competentiespel", cmd[2], targets)
    elif kind == "choose":
        await store.choose(code, pick(cmd[1]), "koppelkansen", cmd[2])
    elif kind == "round":
        await store.start_round(code, cmd[2], cmd[1])
    elif kind == "mode":
        await store.set_reveal_mode(code, cmd[1], cmd[2])
    elif kind == "timer":
        await store.set_timer(code, cmd[1])


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(batches=st.lists(st.lists(command, min_size=1, max_size=6), min_size=1, max_size=8))
def test_live_state_always_equals_the_fold(batches: list[list[tuple]]) -> None:  # type: ignore[type-arg]
    async def scenario() -> None:
        from redis.asyncio import Redis

        redis = Redis.from_url(REDIS_URL, decode_responses=True)
        store = RoomStore(redis)
        try:
            code, _ = await store.create_room(TEMPLATE)
            pids: list[str] = []
            accepted = 0
            for batch in batches:
                # each batch arrives at once, as from several phones and the host together
                results = await asyncio.gather(*(run(store, code, pids, c) for c in batch), return_exceptions=True)
                for result in results:
                    assert result is None or isinstance(result, Rejected), repr(result)
                    accepted += result is None
                live = await store.load(code)
                events = await all_events(store, code)
                assert live == fold(events)
                assert [e.seq for e in events] == list(range(1, len(events) + 1))
            # and what live commands wrote passes the import's check, which decides it all again
            imports.check(await all_events(store, code))
            await store.delete_room(code)
        finally:
            await redis.aclose()

    asyncio.run(scenario())
