"""A small run of the load harness in CI: it speaks NiceGUI's protocol and every placement arrives."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import REDIS_URL

ROOT = Path(__file__).resolve().parents[2]


def test_the_harness_runs_a_small_room(tmp_path: Path) -> None:
    out = tmp_path / "figures.json"
    done = subprocess.run(
        [sys.executable, "-m", "tests.load", "--phones", "9", "--seconds", "3", "--floor", "--json", str(out)],
        cwd=ROOT, env={**os.environ, "REDIS_URL": REDIS_URL}, capture_output=True, text=True, timeout=180,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    figures = json.loads(out.read_text())
    assert figures["errors"] == 0 and figures["dropped"] == 0
    assert figures["expected"] > 0 and figures["delivered"] == figures["expected"]
    assert figures["trio_p50_ms"] is not None and figures["screen_p50_ms"] is not None
    assert figures["floor"]["errors"] == 0 and figures["floor"]["p50_ms"] is not None
