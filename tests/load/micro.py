"""The engine's work per placement, without a server: for instruction counts that repeat.

A room of 300 phones in trios on Vijf schuiven, every slider revealed; then ``--placements`` random
placements (fixed seed), each folded, the trio's three phone views of the slider that moved, and a
screen view every 30 placements (ten redraws a second against 300 placements a second). This
machine's timings vary by a quarter between identical runs; instruction counts do not:

    PY=$(uv run python -c "import sys; print(sys.executable)")
    valgrind --tool=callgrind --callgrind-out-file=/dev/null $PY -m tests.load.micro --placements 600
    valgrind --tool=callgrind --callgrind-out-file=/dev/null $PY -m tests.load.micro --placements 0

and (the first "Collected" − the second) / 600 is the engine's instructions per placement
(``docs/benchmarks.md``, 2026-12-07). Without valgrind it prints CPU microseconds per placement.
"""

from __future__ import annotations

import argparse
import random
import time

from rooms import commands
from rooms.templates import SlidersActivity, load_template
from rooms.views import participant_view, screen_view
from tests.unit.builders import RoomBuilder


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m tests.load.micro", description=__doc__.split("\n")[0])
    parser.add_argument("--placements", type=int, default=3000)
    parser.add_argument("--phones", type=int, default=300)
    args = parser.parse_args()
    random.seed(1)
    room = RoomBuilder(load_template())
    pids = [room.join(f"P{i}") for i in range(args.phones)]
    room.start("vijf-schuiven")
    activity = room.state.template.activity("vijf-schuiven")
    assert isinstance(activity, SlidersActivity)
    items = [item.id for item in activity.items]
    for pid in pids:
        for item in items:
            room.place(pid, item, random.randint(0, 100), random.randint(0, 100))
    members: dict[int, list[str]] = {}
    for pid, participant in room.state.participants.items():
        members.setdefault(participant.group, []).append(pid)
    fold = views = screen = 0.0
    for n in range(args.placements):
        pid, item = random.choice(pids), random.choice(items)
        a = time.process_time()
        room.emit(commands.place(room.state.template, "ABCDEF", pid, "vijf-schuiven", item, "now",
                                 random.randint(0, 100), room.clock))
        b = time.process_time()
        for other in members[room.state.participants[pid].group]:
            participant_view(room.state, other, "nl", only_items={item})
        c = time.process_time()
        if n % 30 == 0:
            screen_view(room.state, "nl")
        d = time.process_time()
        fold, views, screen = fold + b - a, views + c - b, screen + d - c
    if args.placements:
        per = 1e6 / args.placements
        print(f"µs per placement: fold {fold * per:.0f}, the trio's views {views * per:.0f}, "
              f"the screen {screen * per:.0f}")


if __name__ == "__main__":
    main()
