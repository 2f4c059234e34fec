"""Small runs of the load harness in CI: it speaks NiceGUI's protocol and every placement arrives,
on one process beside the floor, and on two processes behind HAProxy (the deploy config)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import REDIS_URL

ROOT = Path(__file__).resolve().parents[2]


def harness(tmp_path: Path, *args: str) -> dict:  # type: ignore[type-arg]
    out = tmp_path / "figures.json"
    done = subprocess.run(
        [sys.executable, "-m", "tests.load", *args, "--json", str(out)],
        cwd=ROOT, env={**os.environ, "REDIS_URL": REDIS_URL}, capture_output=True, text=True, timeout=240,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    figures: dict = json.loads(out.read_text())  # type: ignore[type-arg]
    assert figures["errors"] == 0 and figures["dropped"] == 0
    assert figures["expected"] > 0 and figures["delivered"] == figures["expected"]
    assert figures["trio_p50_ms"] is not None and figures["screen_p50_ms"] is not None
    return figures


def test_the_harness_runs_a_small_room_beside_the_floor(tmp_path: Path) -> None:
    figures = harness(tmp_path, "--phones", "9", "--seconds", "3", "--floor")
    assert figures["floor"]["errors"] == 0 and figures["floor"]["p50_ms"] is not None
    assert figures["floor"]["shown"] > 0
    # the floor's own cost, measured as ours, so that the two can be read side by side
    assert figures["floor"]["cpu_ms_per_placement"] > 0 and figures["floor"]["rss_kb_per_phone"] > 0
    # /metrics, scraped before and after the phones moved, counted every placement they made
    metrics = figures["metrics"]
    assert metrics["placements_counted"] == figures["placements"] > 0
    assert metrics["phones_connected"] == 9 and metrics["rooms_followed"] == 1
    assert metrics["redis_up"] == 1 and metrics["hub_lag_events"] == 0
    assert metrics["gc_ms_per_placement"] >= 0 and metrics["gc_pct"] >= 0  # the collector's share, reported


def test_thirty_phones_on_two_processes_behind_the_proxy(tmp_path: Path) -> None:
    figures = harness(tmp_path, "--phones", "30", "--seconds", "10", "--processes", "2")
    assert figures["processes"] == 2
    # the proxy spread the phones over both processes and kept each on its own (sticky cookie)
    assert len(figures["phones_per_process"]) == 2 and "direct" not in figures["phones_per_process"]
    assert min(figures["phones_per_process"].values()) >= 5
