"""Redis faults and a crowded data folder, against a real ``workshop`` process (issue 14).

The embedded Redis killed with -9, a damaged append-only file, a second app on the same data
folder, an RQ worker killed mid-job, and an external Redis that is away while a phone is open.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
import redis as sync_redis
from playwright.sync_api import Browser, expect
from redis.asyncio import Redis
from rq import Queue

from rooms import keys
from rooms.jobs import QUEUE, export_room
from rooms.store import RoomStore
from rooms.templates import load_template
from tests.e2e.conftest import ROOT, Server, free_port, start_server, stop_server
from tests.e2e.test_reliability import DIM, _redis_server, host_starts_five_sliders, nudge, phone_in
from tests.e2e.test_trio_round import PHONE, set_slider
from tests.helpers import wait_until
from workshop.embedded_redis import EmbeddedRedis, answers

RECOVERY = 30.0  # seconds the app may take to answer again after its Redis died
LOG_LINES_PER_SECOND = 3.0  # what an outage may cost the log, at most


def socket_of(data: str) -> Path:
    return Path(data) / "redis.sock"


def redis_pid(data: str) -> int:
    client = sync_redis.Redis(unix_socket_path=str(socket_of(data)), socket_timeout=2)
    try:
        return int(client.info("server")["process_id"])
    finally:
        client.close()


def start_embedded(port: int, data: str, worker: str = "off") -> Server:
    """``start_server`` with the embedded Redis; a start that fails leaves no Redis behind (the
    harness kills the app with -9, and its Redis, in a session of its own, would live on)."""
    try:
        return start_server(port, data, redis_url=None, worker=worker)
    except RuntimeError:
        if answers(socket_of(data)):
            with contextlib.suppress(sync_redis.ConnectionError):
                sync_redis.Redis(unix_socket_path=str(socket_of(data))).shutdown(nosave=True)
        raise


def external(prefix: str) -> tuple[str, int, subprocess.Popen[bytes], Server]:
    """A Redis of the test's own (its folder, port and process) and the app beside it."""
    folder = tempfile.mkdtemp(prefix=prefix)
    redis_port = free_port()
    redis_process = _redis_server(redis_port, folder)
    return folder, redis_port, redis_process, beside(redis_process, f"redis://127.0.0.1:{redis_port}/0")


def beside(redis_process: subprocess.Popen[bytes], url: str) -> Server:
    """The app on an external Redis of the test's own; that Redis stops if the app does not start."""
    try:
        return start_server(free_port(), tempfile.mkdtemp(prefix="werkplaats-rel-"), url, worker="off")
    except RuntimeError:
        redis_process.kill()
        raise


def health(server: Server) -> dict[str, object]:
    try:
        response = httpx.get(f"{server.url}/api/health", timeout=2)
    except httpx.HTTPError:
        return {}
    return dict(response.json()) if response.status_code == 200 else {}


def lines(log: Path) -> int:
    return log.read_bytes().count(b"\n")


def stops_within(server: Server, seconds: float) -> float:
    """SIGTERM, as systemd or docker stop sends it; returns how long the process took to exit."""
    started = time.monotonic()
    server.process.send_signal(signal.SIGTERM)
    try:
        server.process.wait(timeout=seconds)
    except subprocess.TimeoutExpired:
        server.process.kill()
        server.process.wait()
        pytest.fail(f"SIGTERM did not stop the app within {seconds} s")
    return time.monotonic() - started


def workshop(data: str, port: int, *args: str) -> subprocess.Popen[bytes]:
    """``workshop`` started by hand with the embedded Redis (no REDIS_URL), its output captured."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("NICEGUI_") and k != "PYTEST_CURRENT_TEST"}
    env.pop("REDIS_URL", None)
    env.update(WORKSHOP_DATA=data, WORKSHOP_WORKER="off")
    return subprocess.Popen(
        [sys.executable, "-c", "from workshop.cli import main; main()", *args, "--host", "127.0.0.1",
         "--port", str(port)], cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        stdin=subprocess.PIPE,
    )


def refused_at_start(process: subprocess.Popen[bytes], within: float = 20) -> tuple[float, str]:
    """Wait for a start that must fail: (seconds it took, what it wrote to stderr)."""
    started = time.monotonic()
    try:
        _, err = process.communicate(timeout=within)
    except subprocess.TimeoutExpired:
        process.kill()
        out, err = process.communicate()
        pytest.fail(f"the app kept running instead of refusing to start:\n{(out + err).decode()[-3000:]}")
    assert process.returncode == 2
    return time.monotonic() - started, err.decode()


def test_the_app_restarts_its_embedded_redis_and_still_stops_on_sigterm(
    browser: Browser, monkeypatch: pytest.MonkeyPatch
) -> None:
    """kill -9 of the embedded ``redis-server`` with no page open: the app starts it again and answers
    within 30 s, the outage costs the log a few lines, and SIGTERM still stops the app at once."""
    monkeypatch.setenv("WORKSHOP_PHONE_RECONNECT_TIMEOUT", "3")  # the closed phone is let go soon
    data = tempfile.mkdtemp(prefix="werkplaats-kill-redis-")
    server = start_embedded(free_port(), data, worker="auto")
    try:
        host, code = host_starts_five_sliders(browser, server)
        host_url = host.url
        context = browser.new_context(viewport=PHONE)
        phone = phone_in(context, server, code, "Hana")
        set_slider(phone, f"slider-{DIM}-now", 35)
        time.sleep(1.5)  # one AOF fsync period: the placement is on disk
        host.close()
        context.close()
        # no page open: the hub follows no room any more (the state the freeze of issue 14 came from)
        wait_until(lambda: health(server).get("rooms_followed", 0) == 0, within=30, what="no room followed")
        before = lines(server.log)
        killed_at = time.monotonic()
        os.kill(redis_pid(data), signal.SIGKILL)

        statuses: set[int] = set()

        def answers_again() -> bool:
            try:
                page = httpx.get(host_url, timeout=5)
            except httpx.HTTPError:
                return False
            statuses.add(page.status_code)
            assert "redis.sock" not in page.text and "Traceback" not in page.text
            return page.status_code == 200 and code in page.text and health(server).get("ok") is True

        wait_until(answers_again, within=RECOVERY, what="the app answers again after its Redis was killed")
        recovered = time.monotonic() - killed_at
        assert statuses <= {200, 503}, f"pages answered {statuses} during the outage"
        # and it stays quiet: measure the log over a quarter of a minute from the kill
        time.sleep(max(0.0, 15 - recovered))
        rate = (lines(server.log) - before) / (time.monotonic() - killed_at)
        assert rate <= LOG_LINES_PER_SECOND, f"{rate:.1f} log lines a second during the outage"
        # nothing acknowledged was lost: the placement came back from the append-only file
        client = sync_redis.Redis(unix_socket_path=str(socket_of(data)), decode_responses=True)
        assert list(client.hgetall(keys.placements_key(code)).values()) == ["35"]
        client.close()
        print(f"embedded redis killed: answering again after {recovered:.1f} s, {rate:.2f} log lines/s")
        took = stops_within(server, 5)
        print(f"SIGTERM stopped the app in {took:.1f} s")
    finally:
        stop_server(server)
    assert not answers(socket_of(data))  # the restarted Redis went down with the app


def test_a_damaged_append_only_file_stops_the_start_with_one_clear_line() -> None:
    data = tempfile.mkdtemp(prefix="werkplaats-aof-")
    aof = Path(data) / "appendonly.aof"
    aof.write_bytes(b"*3\r\n$3\r\nSET\r\n$1\r\na\r\n$1\r\nb\r\nthis is not redis\r\n*1\r\n$4\r\nPING\r\n")
    port = free_port()
    took, err = refused_at_start(workshop(data, port))
    print(f"damaged AOF: start refused after {took:.1f} s")
    assert took < 15
    said = [line for line in err.splitlines() if line.strip()]
    assert len(said) == 1, err
    assert str(aof) in said[0] and "damaged" in said[0] and "check-aof --fix" in said[0]
    assert not answers(socket_of(data))  # no Redis left behind, nothing half-started
    with pytest.raises(httpx.ConnectError):
        httpx.get(f"http://127.0.0.1:{port}/api/health", timeout=2)
    # the advice works: the repair cuts the file at the damage, and then Redis starts on it
    repair = subprocess.run([sys.executable, "-c", "from workshop.cli import main; main()", "check-aof", "--fix"],
                            cwd=ROOT, env={**os.environ, "WORKSHOP_DATA": data}, input=b"y\n",
                            capture_output=True, timeout=30)
    assert repair.returncode == 0, repair.stdout.decode() + repair.stderr.decode()
    embedded = EmbeddedRedis(Path(data))
    embedded.start()
    try:
        client = sync_redis.Redis(unix_socket_path=str(socket_of(data)), decode_responses=True)
        assert client.get("a") == "b"  # what came before the damage
        client.close()
    finally:
        embedded.stop()


def test_a_second_workshop_on_the_same_data_folder_refuses_to_start() -> None:
    data = tempfile.mkdtemp(prefix="werkplaats-twice-")
    first = start_embedded(free_port(), data, worker="off")
    try:
        took, err = refused_at_start(workshop(data, free_port()))
        print(f"second app: start refused after {took:.1f} s")
        assert took < 15
        said = [line for line in err.splitlines() if line.strip()]
        assert len(said) == 1 and "already serving" in said[0] and str(Path(data).resolve()) in said[0], err
        assert f"pid {first.process.pid}" in said[0]
        # the first one and its Redis carry on
        time.sleep(1)
        assert answers(socket_of(data))
        assert health(first).get("ok") is True
    finally:
        stop_server(first)


def test_the_data_folder_and_its_files_are_private(monkeypatch: pytest.MonkeyPatch) -> None:
    """Rooms, exports and the secret that signs cookies are this user's only; an empty secret file
    (truncated, edited by hand) is replaced, never used to sign cookies."""
    monkeypatch.delenv("WORKSHOP_STORAGE_SECRET", raising=False)  # the one from the data folder
    data = Path(tempfile.mkdtemp(prefix="werkplaats-private-")) / "data"
    data.mkdir(mode=0o755)
    (data / "storage-secret").write_text("")  # empty: would sign cookies with nothing
    server = start_embedded(free_port(), str(data), worker="on")
    try:
        secret = (data / "storage-secret").read_text().strip()
        assert len(secret) >= 32
        client = sync_redis.Redis(unix_socket_path=str(socket_of(str(data))))

        async def make_room() -> str:
            redis = Redis(unix_socket_path=str(socket_of(str(data))), decode_responses=True)
            try:
                code, _ = await RoomStore(redis).create_room(load_template())
                return code
            finally:
                await redis.aclose()

        with ThreadPoolExecutor(max_workers=1) as pool:  # Playwright's loop may own this thread
            code = pool.submit(asyncio.run, make_room()).result()
        job = Queue(QUEUE, connection=client).enqueue(export_room, code, "csv")
        wait_until(lambda: job.get_status(refresh=True) == "finished", within=30, what="the export")
        client.close()
        result = job.return_value()
        assert result is not None
        exported = Path(result["path"])
        modes = {p: p.stat().st_mode & 0o777 for p in [data, data / "storage-secret", data / "appendonly.aof",
                                                      exported.parent.parent, exported.parent, exported]}
        assert modes == {p: (0o700 if p.is_dir() else 0o600) for p in modes}, {str(p): oct(m) for p, m in modes.items()}
    finally:
        stop_server(server)


def test_a_killed_worker_fails_its_job_visibly_and_a_new_worker_takes_the_queue(browser: Browser) -> None:
    from rq import Worker
    from rq.job import Job

    data = tempfile.mkdtemp(prefix="werkplaats-worker-")
    server = start_embedded(free_port(), data, worker="auto")
    client = sync_redis.Redis(unix_socket_path=str(socket_of(data)))
    try:
        wait_until(lambda: len(Worker.all(connection=client)) == 1, what="the app's worker")
        first = Worker.all(connection=client)[0]
        queue = Queue(QUEUE, connection=client)
        # a long job keeps the worker busy; the host's export waits behind it
        long_job = queue.enqueue(time.sleep, 120, job_timeout=600)
        wait_until(lambda: long_job.get_status(refresh=True) == "started", what="the long job runs")
        host, _ = host_starts_five_sliders(browser, server)
        host.get_by_test_id("export-json").click()
        expect(host.get_by_test_id("export-status-1")).to_contain_text("in de wachtrij")
        assert first.pid is not None
        os.kill(first.pid, signal.SIGKILL)
        killed_at = time.monotonic()
        # the job it was running fails at once (not after RQ's heartbeat and maintenance, minutes later)
        wait_until(lambda: Job.fetch(long_job.id, connection=client).get_status(refresh=True) == "failed",
                   within=15, what="the dead worker's job is failed")
        # a new worker takes the queue, and the host's export, which waited, is done
        expect(host.get_by_test_id("export-status-1")).to_contain_text("klaar", timeout=30_000)
        workers = Worker.all(connection=client)
        assert [w.name for w in workers] != [first.name] and len(workers) == 1
        print(f"worker killed: its job failed and the queued export finished after "
              f"{time.monotonic() - killed_at:.1f} s")
    finally:
        client.close()
        stop_server(server)


def test_a_phone_keeps_what_it_did_while_redis_was_away_and_saves_it_when_it_is_back(browser: Browser) -> None:
    """An external Redis stops while a phone is open: the phone says, in Dutch, that its change is not
    saved yet and will be tried again; once Redis is back the change lands without the person
    doing anything."""
    folder, redis_port, redis_process, server = external("werkplaats-redis-away-")
    try:
        host, code = host_starts_five_sliders(browser, server)
        phone = phone_in(browser.new_context(viewport=PHONE), server, code, "Ivo")
        set_slider(phone, f"slider-{DIM}-now", 40)
        time.sleep(1.5)  # one fsync period
        redis_process.terminate()  # a Redis that stops (a restart, a failover): SHUTDOWN writes its AOF
        redis_process.wait()
        nudge(phone, f"slider-{DIM}-now")  # 50, while Redis is away
        state = phone.get_by_test_id("save-state")
        expect(state).to_contain_text("niet opgeslagen", timeout=20_000)
        expect(state).to_contain_text("opnieuw")
        expect(phone.get_by_test_id(f"value-{DIM}-now")).to_have_text("40")  # what the room has
        expect(host.get_by_test_id("health")).to_be_visible(timeout=20_000)
        time.sleep(3)  # an outage of some seconds
        redis_process = _redis_server(redis_port, folder)
        back_at = time.monotonic()
        expect(phone.get_by_test_id(f"value-{DIM}-now")).to_have_text("50", timeout=30_000)
        print(f"the kept placement showed {time.monotonic() - back_at:.1f} s after redis was back")
        expect(state).to_contain_text("Opgeslagen")
        expect(host.get_by_test_id("health")).to_be_hidden(timeout=20_000)
        stored = sync_redis.Redis(port=redis_port, decode_responses=True).hgetall(keys.placements_key(code))
        assert list(stored.values()) == ["50"]
        took = stops_within(server, 5)  # with a phone and the host connected
        print(f"SIGTERM stopped the app in {took:.1f} s with two pages open")
    finally:
        stop_server(server)
        redis_process.kill()


def test_pages_answer_503_in_words_while_an_external_redis_is_away() -> None:
    """An external Redis that stays away: pages say so in words (503, and they try again by
    themselves), the API answers 503 in one line, health stays 200 for the proxy and says
    ``ok: false``; the log stays quiet, the app finds Redis again, and SIGTERM stops it."""
    folder, redis_port, redis_process, server = external("werkplaats-redis-503-")
    try:
        before = lines(server.log)
        redis_process.kill()
        redis_process.wait()
        away_at = time.monotonic()
        page = httpx.get(f"{server.url}/room/ABCDEF", timeout=30)
        assert page.status_code == 503 and page.headers.get("retry-after")
        assert "Even geduld" in page.text and str(redis_port) not in page.text and "Error" not in page.text
        api = httpx.get(f"{server.url}/api/rooms/ABCDEF", headers={"X-Host-Token": "x"}, timeout=30)
        assert api.status_code == 503 and str(redis_port) not in api.text
        assert httpx.get(f"{server.url}/api/health", timeout=30).status_code == 200  # alive, for the proxy
        wait_until(lambda: health(server).get("ok") is False, within=20, what="health says redis is away")
        time.sleep(max(0.0, 20 - (time.monotonic() - away_at)))  # an outage of 20 s
        rate = (lines(server.log) - before) / (time.monotonic() - away_at)
        assert rate <= LOG_LINES_PER_SECOND, f"{rate:.1f} log lines a second while redis was away"
        redis_process = _redis_server(redis_port, folder)
        back_at = time.monotonic()
        wait_until(lambda: health(server).get("ok") is True, within=RECOVERY, what="health says redis is back")
        found = time.monotonic() - back_at
        assert httpx.get(f"{server.url}/room/ABCDEF", timeout=30).status_code == 200  # "no such session", in words
        print(f"external redis away 20 s: {rate:.2f} log lines/s; found again {found:.1f} s after it was back")
        took = stops_within(server, 5)
        print(f"SIGTERM stopped the app in {took:.1f} s")
    finally:
        stop_server(server)
        redis_process.kill()
