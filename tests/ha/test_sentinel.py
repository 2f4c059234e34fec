"""Sentinel: the app finds the primary through three sentinels and follows a failover without a
restart, and a write is acknowledged only once a replica has it, so a ``kill -9`` of the primary
loses no placement a phone was told is saved.

A trio places through the app's own services (``workshop.services.start`` with ``REDIS_SENTINELS``:
the store, the hub that keeps the trio's screens up to date, the RQ queue), the primary is killed
mid-session, a sentinel promotes the replica, the old machine comes back as the new primary's
replica, and the trio carries on. Every acknowledged placement is then looked for on the new primary.
"""

from __future__ import annotations

import asyncio
import json
import signal
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import redis
from redis.exceptions import RedisError

from rooms import keys
from rooms.commands import Rejected
from rooms.events import Event, SliderPlaced
from rooms.store import NotReplicated
from tests.ha.servers import MASTER, Node, Topology, free_ports, sentinel_config, wait_for
from workshop import services
from workshop.hub import RoomFeed
from workshop.settings import Settings

ACTIVITY, ITEM = "vijf-schuiven", "communicatie"


class Screen:
    """A view of the room, as a trio's phone or the projector holds one: it counts what reaches it."""

    participant_id: str | None = None
    connected = True

    def __init__(self) -> None:
        self.placements: list[SliderPlaced] = []

    def on_event(self, event: Event, feed: RoomFeed) -> None:
        if isinstance(event, SliderPlaced):
            self.placements.append(event)


def knows_everyone(sentinel: redis.Redis) -> bool:
    state: Any = sentinel.sentinel_master(MASTER)
    return bool(state["num-other-sentinels"] == 2 and state["num-slaves"] == 1)


def promoted(sentinel: redis.Redis, port: int) -> bool:
    address: Any = sentinel.sentinel_get_master_addr_by_name(MASTER)
    return bool(address and int(address[1]) == port)


@pytest.fixture
def sentinel_set(redis_server: str) -> Iterator[tuple[Topology, Node, Node, list[int]]]:
    topology = Topology(redis_server)
    primary_port, replica_port, *sentinel_ports = free_ports(5)
    try:
        primary = topology.start(primary_port)
        replica = topology.start(replica_port, "--replicaof", "127.0.0.1", str(primary_port))
        for port in sentinel_ports:
            topology.start(port, "--sentinel", config=sentinel_config(primary_port))
        for port in sentinel_ports:  # every sentinel knows the replica and the two other sentinels
            client = redis.Redis(port=port, decode_responses=True, socket_timeout=2)
            wait_for(f"sentinel {port}", lambda c=client: knows_everyone(c))  # type: ignore[misc]
        wait_for("replica in sync", lambda: replica.client().info("replication")["master_link_status"] == "up")
        yield topology, primary, replica, sentinel_ports
    finally:
        topology.stop()


async def test_a_trio_carries_on_through_a_failover_and_keeps_every_acknowledged_placement(
    sentinel_set: tuple[Topology, Node, Node, list[int]], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    topology, primary, replica, sentinel_ports = sentinel_set
    monkeypatch.setenv("REDIS_SENTINELS", ",".join(f"127.0.0.1:{p}" for p in sentinel_ports))
    monkeypatch.setenv("REDIS_SENTINEL_MASTER", MASTER)
    monkeypatch.setenv("REDIS_WAIT_MS", "500")
    svc = await services.start(Settings(data=tmp_path, worker="off", retention_days=0))
    try:
        store = svc.store
        assert store.replicas == 1
        code, _token = await store.create_room(svc.template)
        trio = [await store.join(code, name) for name in ("Anna", "Bram", "Cem")]
        await store.start(code, ACTIVITY)
        screen = Screen()
        assert await svc.hub.attach(code, screen) is not None

        acknowledged: list[SliderPlaced] = []
        refused: dict[str, int] = {}
        messages: set[str] = set()
        failed_over = asyncio.Event()
        warmed = asyncio.Event()

        async def member(pid: str, offset: int) -> None:
            """Places once every 50 ms; a placement counts as acknowledged when ``place`` returned."""
            value = offset
            after = 0
            deadline = time.monotonic() + 45
            while after < 15 and time.monotonic() < deadline:
                value = (value + 7) % 101
                try:
                    acknowledged.append(await store.place(code, pid, ACTIVITY, ITEM, "now", value))
                    if len(acknowledged) >= 30:
                        warmed.set()
                    after += failed_over.is_set()
                except (Rejected, RedisError, OSError) as exc:
                    kind = type(exc).__name__
                    refused[kind] = refused.get(kind, 0) + 1
                    messages.add(f"{kind}: {str(exc)[:300]}")
                    if isinstance(exc, NotReplicated):
                        assert "niet bevestigd" in exc.text("nl")
                await asyncio.sleep(0.05)

        placing = [asyncio.create_task(member(p.id, 13 * i)) for i, p in enumerate(trio)]
        await asyncio.wait_for(warmed.wait(), 30)
        # the replica falls behind (stopped, its link cut): what reaches only the primary now must not be
        # acknowledged, because the kill that follows takes it with it
        replica.process.send_signal(signal.SIGSTOP)
        primary.client().client_kill_filter(_type="replica")
        await asyncio.sleep(1.2)
        before = len(acknowledged)
        primary.kill()  # mid-session, placements in flight
        replica.process.send_signal(signal.SIGCONT)
        sentinel = redis.Redis(port=sentinel_ports[0], decode_responses=True, socket_timeout=2)
        wait_for_promotion = asyncio.to_thread(
            wait_for, "promotion", lambda: promoted(sentinel, replica.port), 30)
        await wait_for_promotion
        await asyncio.sleep(2)  # the promoted primary alone: no replica confirms, nothing is acknowledged
        # the old machine comes back, as the new primary's replica: writes are confirmed again
        await asyncio.to_thread(topology.restart, primary, "--replicaof", "127.0.0.1", str(replica.port))
        failed_over.set()
        await asyncio.gather(*placing)
        after = len(acknowledged) - before
        assert after >= 45, f"the trio did not carry on: {after} placements after the failover ({messages})"

        # every placement a phone was told is saved is on the new primary, in the room's stream
        entries: Any = replica.client().xrange(keys.events_key(code))
        stored = {(e["actor"], e["value"], e["at"]) for e in (json.loads(fields["e"]) for _, fields in entries)
                  if e["type"] == "slider-placed"}
        missing = [e for e in acknowledged if (e.actor, e.value, e.at) not in stored]
        assert not missing, f"{len(missing)} of {len(acknowledged)} acknowledged placements lost"
        assert refused.get("NotReplicated"), messages  # while no replica answered, the phones were told so
        # and the hub followed: the screen saw the placements made after the promotion
        last = acknowledged[-1]
        wait_ok = asyncio.get_running_loop().time() + 10
        while not any(e.at == last.at and e.actor == last.actor for e in screen.placements):
            assert asyncio.get_running_loop().time() < wait_ok, "the hub did not follow the failover"
            await asyncio.sleep(0.1)
        print(f"acknowledged {len(acknowledged)} ({before} before the kill), all on the new primary; "
              f"refused meanwhile: {refused}: {messages}")
    finally:
        await services.stop()
