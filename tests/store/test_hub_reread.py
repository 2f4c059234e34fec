"""A hub whose room lost its last write under it (a Redis failover: the new primary lacks what
the old one announced) folds the room again from Redis, and its views redraw whole."""

from __future__ import annotations

import asyncio

from redis.asyncio import Redis

from rooms import atomic
from rooms.events import Event
from rooms.store import RoomStore
from rooms.templates import Template
from tests.conftest import REDIS_URL
from workshop.hub import Hub, RoomFeed, newer


class Page:
    def __init__(self, participant_id: str | None) -> None:
        self.participant_id = participant_id
        self.connected = True
        self.events: list[str] = []
        self.reloads = 0

    def on_event(self, event: Event, feed: RoomFeed) -> None:
        self.events.append(event.type)

    def on_reloaded(self, feed: RoomFeed) -> None:
        self.reloads += 1


async def until(check: object, seconds: float = 5.0) -> None:
    for _ in range(int(seconds / 0.02)):
        if check():  # type: ignore[operator]
            return
        await asyncio.sleep(0.02)
    raise AssertionError("not reached in time")


def test_stream_ids_compare_as_numbers() -> None:
    assert newer("1700000000010-0", "1700000000009-5") and newer("5-10", "5-9") and newer("1-0", "-")
    assert not newer("5-9", "5-9") and not newer("5-9", "5-10")


async def test_a_write_lost_in_a_failover_is_folded_out_of_the_live_views(redis: Redis, store: RoomStore,
                                                                            template: Template) -> None:
    code, _ = await store.create_room(template)
    anna = await store.join(code, "Anna")
    await store.join(code, "Bram")
    await store.start(code, "vijf-schuiven")
    await store.place(code, anna.id, "vijf-schuiven", "communicatie", "now", 30)
    listener = Redis.from_url(REDIS_URL, decode_responses=True, socket_timeout=None)
    hub = Hub(redis, listener, RoomStore(redis))
    await hub.start()
    try:
        page = Page(anna.id)
        feed = await hub.attach(code, page)
        assert feed is not None
        # what the replica has when the primary still has the room as it is now
        room_keys = atomic.write_keys(code)
        replica: dict[str, bytes] = {}
        for key in room_keys:
            if (dumped := await redis.dump(key)) is not None:
                replica[key] = dumped
        # the old primary takes one more write and announces it: this process folds 80
        await store.place(code, anna.id, "vijf-schuiven", "communicatie", "now", 80)
        await until(lambda: feed.state.placements["vijf-schuiven"]["communicatie"][anna.id]["now"] == 80)
        # failover: the new primary is the replica, without that write
        for key in room_keys:
            await redis.delete(key)
        for key, dumped in replica.items():
            await redis.restore(key, 0, dumped)
        # the next write on the new primary gets the lost write's number again, under a newer id
        await store.place(code, anna.id, "vijf-schuiven", "proces-gemeente", "now", 55)
        await until(lambda: page.reloads == 1)
        fresh, last_id = await store.snapshot(code)
        assert fresh is not None
        assert feed.state.placements["vijf-schuiven"]["communicatie"][anna.id]["now"] == 30  # the lost 80 is gone
        assert feed.state.placements["vijf-schuiven"]["proces-gemeente"][anna.id]["now"] == 55
        assert feed.state == fresh and feed.last_id == last_id
        # and the room goes on as usual from there
        await store.place(code, anna.id, "vijf-schuiven", "communicatie", "now", 45)
        await until(lambda: feed.state.placements["vijf-schuiven"]["communicatie"][anna.id]["now"] == 45)
        assert page.reloads == 1
    finally:
        await hub.stop()
        await listener.aclose()
