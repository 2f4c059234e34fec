"""Engine-level load run: simulated phones place sliders through the store, and a real
Hub delivers every event to recording views, in one process, against a real Redis.

It measures the part of the live path below NiceGUI: command → Lua write → pub/sub →
hub fold → the views an event concerns. The full harness over socket.io (issue 5) adds
page loads, NiceGUI's outbox and the websocket on top of these figures.

    uv run python -m tests.load.engine --phones 300 --seconds 10 [--rate 1] [--redis URL]

Bounded in count and time; talks only to the given Redis (default 127.0.0.1).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import resource
import statistics
import time
from dataclasses import dataclass, field

from redis.asyncio import Redis

from rooms.events import Event, SliderPlaced
from rooms.store import RoomStore
from rooms.templates import load_template
from workshop.hub import Hub, RoomFeed

DIMENSIONS = ["positionering-intern", "proces-gemeente", "proces-bewoners", "bestuur-politiek", "communicatie"]


@dataclass(eq=False)
class Recorder:
    """Stands in for a page: records when each placement reached it."""

    participant_id: str | None
    latencies: list[float]
    connected: bool = True
    seen: int = 0

    def on_event(self, event: Event, feed: RoomFeed) -> None:
        if isinstance(event, SliderPlaced) and event.participant_id != self.participant_id:
            self.latencies.append(time.time() - event.at)
            self.seen += 1


@dataclass
class Results:
    acks: list[float] = field(default_factory=list)
    trio: list[float] = field(default_factory=list)
    room: list[float] = field(default_factory=list)
    errors: int = 0


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000


async def run(phones: int, seconds: float, rate: float, url: str) -> dict[str, float]:
    writer = Redis.from_url(url, decode_responses=True)
    listener = Redis.from_url(url, decode_responses=True, socket_timeout=None)
    store = RoomStore(writer)
    hub = Hub(writer, listener, RoomStore(writer))
    await hub.start()
    results = Results()
    code, _ = await store.create_room(load_template())
    members = [await store.join(code, f"Phone {n}") for n in range(phones)]
    await store.start(code, "vijf-schuiven")
    for m in members:
        await hub.attach(code, Recorder(m.id, results.trio))
    screen = Recorder(None, results.room)
    await hub.attach(code, screen)
    await asyncio.sleep(0.5)
    expected_room = 0
    expected_trio = 0
    state = await store.load(code)
    assert state is not None
    others = {p.id: len(state.members(p.group)) - 1 for p in state.participants.values()}
    deadline = time.monotonic() + seconds
    cpu_before = time.process_time()

    async def phone(pid: str) -> None:
        nonlocal expected_room, expected_trio
        rng = random.Random(pid)
        await asyncio.sleep(rng.random() / rate)
        while time.monotonic() < deadline:
            started = time.perf_counter()
            try:
                await store.place(code, pid, "vijf-schuiven", rng.choice(DIMENSIONS), rng.choice(["now", "goal"]),
                                  rng.randint(0, 100))
                results.acks.append(time.perf_counter() - started)
                expected_room += 1
                expected_trio += others[pid]
            except Exception:
                results.errors += 1
            await asyncio.sleep(max(0.0, 1 / rate - (time.perf_counter() - started)))

    await asyncio.gather(*(phone(m.id) for m in members))
    await asyncio.sleep(1.0)  # let the last deliveries arrive
    cpu = time.process_time() - cpu_before
    await hub.stop()
    await store.delete_room(code)
    await writer.aclose()
    await listener.aclose()
    return {
        "phones": phones,
        "placements": expected_room,
        "errors": results.errors,
        "ack_p50_ms": pct(results.acks, 0.5),
        "ack_p95_ms": pct(results.acks, 0.95),
        "trio_p50_ms": pct(results.trio, 0.5),
        "trio_p95_ms": pct(results.trio, 0.95),
        "trio_p99_ms": pct(results.trio, 0.99),
        "trio_delivered": len(results.trio),
        "trio_expected": expected_trio,
        "room_p50_ms": pct(results.room, 0.5),
        "room_p95_ms": pct(results.room, 0.95),
        "room_delivered": screen.seen,
        "room_expected": expected_room,
        "cpu_ms_per_placement": cpu * 1000 / max(expected_room, 1),
        "max_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "mean_ack_ms": statistics.fmean(results.acks) * 1000 if results.acks else float("nan"),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--phones", type=int, default=300)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--rate", type=float, default=1.0, help="placements per phone per second")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/9")
    args = parser.parse_args()
    if not 1 <= args.phones <= 3000 or not 0 < args.seconds <= 120:
        parser.error("phones 1..3000, seconds up to 120")
    figures = asyncio.run(run(args.phones, args.seconds, args.rate, args.redis))
    print(json.dumps({k: round(v, 2) if isinstance(v, float) else v for k, v in figures.items()}, indent=2))


if __name__ == "__main__":
    main()
