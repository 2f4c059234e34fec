"""Live versus ready: ``/api/health`` answers while the process lives, ``/api/ready`` only while Redis
answers too; ``/metrics`` speaks Prometheus's format."""

from __future__ import annotations

import subprocess
import tempfile
import time

import httpx
from prometheus_client.parser import text_string_to_metric_families

from tests.conftest import _answers as answers
from tests.e2e.conftest import free_port, start_server, stop_server


def test_live_and_ready_part_when_redis_goes_away(redis_server: str) -> None:
    folder = tempfile.mkdtemp(prefix="werkplaats-ready-")
    port = free_port()
    redis = subprocess.Popen([redis_server, "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                              "--appendonly", "no", "--dir", folder], stdout=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 10
        while not answers(f"redis://127.0.0.1:{port}/0"):
            assert time.monotonic() < deadline, "redis-server did not start"
            time.sleep(0.1)
        server = start_server(free_port(), folder, f"redis://127.0.0.1:{port}/0", worker="off")
        try:
            assert httpx.get(f"{server.url}/api/ready").status_code == 200
            families = {f.name: f for f in text_string_to_metric_families(httpx.get(f"{server.url}/metrics").text)}
            assert {"werkplaats_placements", "werkplaats_phones_connected", "werkplaats_hub_lag_events",
                    "werkplaats_redis_rtt_seconds", "werkplaats_log_errors", "werkplaats_rooms",
                    "werkplaats_gc_seconds"} <= set(families)
            assert families["werkplaats_redis_up"].samples[0].value == 1
            redis.kill()
            redis.wait()
            assert httpx.get(f"{server.url}/api/health", timeout=5).status_code == 200  # alive
            answer = httpx.get(f"{server.url}/api/ready", timeout=5)
            assert answer.status_code == 503 and "redis" in answer.json()["detail"]
            metrics = httpx.get(f"{server.url}/metrics", timeout=10).text
            assert "werkplaats_redis_up 0.0" in metrics
        finally:
            stop_server(server)
    finally:
        redis.kill()
        redis.wait()
