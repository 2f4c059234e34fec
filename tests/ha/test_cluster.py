"""Redis Cluster: every room on one slot ({CODE}), its channel a sharded channel on that slot's
shard, RQ on a plain Redis (``RQ_REDIS_URL``). Two rooms on different shards, a trio placing in
each through the app's services, each room's screen seeing its own room only, and a ``kill -9`` of
one room's primary: its replica is promoted, the trios carry on, and every acknowledged placement
is in its room's stream afterwards.
"""

from __future__ import annotations

import asyncio
import json
import signal
import time
from collections.abc import Iterator
from functools import partial
from pathlib import Path
from typing import Any

import pytest
from redis.cluster import RedisCluster
from redis.exceptions import RedisError

from rooms import keys
from rooms.commands import Rejected
from rooms.events import SliderPlaced
from tests.conftest import REDIS_URL
from tests.ha.servers import (
    Node,
    Topology,
    cluster_args,
    create_cluster,
    free_ports,
    in_sync,
    replication,
    wait_for,
)
from tests.ha.test_sentinel import ACTIVITY, ITEM, Screen
from workshop import services
from workshop.settings import Settings


@pytest.fixture
def cluster(redis_server: str) -> Iterator[tuple[Topology, list[Node]]]:
    topology = Topology(redis_server)
    try:
        yield topology, create_cluster(topology, free_ports(6))
    finally:
        topology.stop()


def owner(client: Any, code: str) -> int:
    """The port of the primary that holds the room's slot."""
    return int(client.get_node_from_key(keys.meta_key(code)).port)


async def test_two_rooms_on_two_shards_survive_a_primary_failover(
    cluster: tuple[Topology, list[Node]], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    topology, nodes = cluster
    monkeypatch.setenv("REDIS_CLUSTER_NODES", ",".join(f"127.0.0.1:{n.port}" for n in nodes[:3]))
    monkeypatch.setenv("RQ_REDIS_URL", REDIS_URL)  # RQ does not support Cluster
    svc = await services.start(Settings(data=tmp_path, worker="off", retention_days=0))
    try:
        store = svc.store
        assert store.publish == "SPUBLISH"  # Redis 7: the rooms' channels are sharded channels
        assert store.replicas == 1
        codes: list[str] = []
        while len(codes) < 2:  # two rooms whose slots live on different primaries
            code, _ = await store.create_room(svc.template)
            if not codes or owner(svc.redis, code) != owner(svc.redis, codes[0]):
                codes.append(code)
        screens: dict[str, Screen] = {}
        trios: dict[str, list[str]] = {}
        for code in codes:
            trios[code] = [(await store.join(code, name)).id for name in ("Anna", "Bram", "Cem")]
            await store.start(code, ACTIVITY)
            screens[code] = Screen()
            assert await svc.hub.attach(code, screens[code]) is not None

        acknowledged: dict[str, list[SliderPlaced]] = {code: [] for code in codes}
        refused: dict[str, int] = {}
        failed_over = asyncio.Event()
        warmed = asyncio.Event()

        async def member(code: str, pid: str, offset: int) -> None:
            value, after, deadline = offset, 0, time.monotonic() + 45
            while after < 10 and time.monotonic() < deadline:
                value = (value + 7) % 101
                try:
                    acknowledged[code].append(await store.place(code, pid, ACTIVITY, ITEM, "now", value))
                    after += failed_over.is_set()
                    if min(len(a) for a in acknowledged.values()) >= 20:
                        warmed.set()
                except (Rejected, RedisError, OSError) as exc:
                    kind = f"{type(exc).__name__}: {str(exc)[:160]}"
                    refused[kind] = refused.get(kind, 0) + 1
                await asyncio.sleep(0.05)

        placing = [asyncio.create_task(member(code, pid, 11 * i)) for code in codes
                   for i, pid in enumerate(trios[code])]
        await asyncio.wait_for(warmed.wait(), 30)
        victim_port = owner(svc.redis, codes[0])
        victim = next(n for n in nodes if n.port == victim_port)
        its_replica = next(n for n in nodes if n is not victim and replication(n).get("master_port") == victim_port)
        # its replica falls behind (stopped, its link cut): what reaches only the primary now must not
        # be acknowledged, because the kill that follows takes it with it
        its_replica.process.send_signal(signal.SIGSTOP)
        victim.client().client_kill_filter(_type="replica")
        await asyncio.sleep(1.2)
        before = {code: len(a) for code, a in acknowledged.items()}
        victim.kill()
        its_replica.process.send_signal(signal.SIGCONT)
        await asyncio.to_thread(wait_for, "promotion", lambda: replication(its_replica)["role"] == "master", 30)
        await asyncio.sleep(2)  # the promoted primary alone: no replica confirms, nothing is acknowledged
        # the old machine comes back: it rejoins (its nodes.conf) as the new primary's replica
        back = await asyncio.to_thread(topology.restart, victim, *cluster_args())
        await asyncio.to_thread(wait_for, "the old primary as replica", partial(in_sync, back), 30)
        failed_over.set()
        await asyncio.gather(*placing)

        check = RedisCluster(host="127.0.0.1", port=its_replica.port, decode_responses=True)
        for code in codes:
            after = len(acknowledged[code]) - before[code]
            assert after >= 30, f"room {code} did not carry on: {after} after the failover ({refused})"
            entries: Any = check.xrange(keys.events_key(code))
            stored = {(e["actor"], e["value"], e["at"]) for e in (json.loads(f["e"]) for _, f in entries)
                      if e["type"] == "slider-placed"}
            missing = [e for e in acknowledged[code] if (e.actor, e.value, e.at) not in stored]
            assert not missing, f"room {code}: {len(missing)} of {len(acknowledged[code])} acknowledged lost"
            # each room's screen: its own room only, up to the last acknowledged placement
            last = acknowledged[code][-1]
            deadline = time.monotonic() + 10
            while not any(e.at == last.at and e.actor == last.actor for e in screens[code].placements):
                assert time.monotonic() < deadline, f"the screen of {code} stopped following its room"
                await asyncio.sleep(0.1)
            assert {e.code for e in screens[code].placements} == {code}
        check.close()
        assert refused.get("NotReplicated: not-replicated"), refused  # no replica answered: the phones were told
        print(f"acknowledged {[len(a) for a in acknowledged.values()]} (before the kill {list(before.values())}), "
              f"none lost; refused meanwhile: {refused}")
    finally:
        await services.stop()
