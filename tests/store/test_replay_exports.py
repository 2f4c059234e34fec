"""Replay, exports, the RQ worker, archiving, import and deletion, against a real Redis."""

from __future__ import annotations

import asyncio
import csv
import io
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from redis import Redis as SyncRedis
from redis.asyncio import Redis

from rooms import exports, jobs, keys
from rooms.commands import Rejected
from rooms.exports import ImportError_
from rooms.projection import fold
from rooms.replay import Replay, describe
from rooms.store import RoomStore
from rooms.templates import Template, load_template
from tests.conftest import REDIS_URL
from tests.helpers import all_events
from tests.store.test_fold_property import command, run

ROOT = Path(__file__).resolve().parents[2]


async def session(store: RoomStore, template: Template) -> str:
    """A small but complete session: sliders, cards, a case and an agenda."""
    code, _ = await store.create_room(template)
    anna, bram, cem = [await store.join(code, n) for n in ("Anna", "Bram", "Çem")]
    await store.start(code, "casus")
    await store.write_text(code, anna.id, 1, "casus", "titel", "Skatebaan")
    await store.write_text(code, anna.id, 1, "casus", "omschrijving", "=Jongeren willen een skatebaan.")
    await store.start(code, "vijf-schuiven")
    for person, (now, goal) in ((anna, (20, 80)), (bram, (40, 70)), (cem, (75, 90))):
        await store.place(code, person.id, "vijf-schuiven", "proces-bewoners", "now", now)
        await store.place(code, person.id, "vijf-schuiven", "proces-bewoners", "goal", goal)
    await store.write_reason(code, bram.id, "vijf-schuiven", "proces-bewoners", "Bewoners haken af → te traag")
    await store.start(code, "competentiespel")
    for person in (anna, bram, cem):
        await store.assign(code, person.id, 1, "competentiespel", "verbinden", [cem.id])
    await store.start(code, "werkagenda")
    await store.write_text(code, bram.id, 1, "werkagenda", "action-1-what", "Spreekuur in het dorpshuis")
    await store.write_text(code, bram.id, 1, "werkagenda", "action-1-who", "Çem")
    return code


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(commands=st.lists(command, min_size=1, max_size=25))
def test_replay_equals_live_at_every_event(commands: list[tuple]) -> None:  # type: ignore[type-arg]
    async def scenario() -> None:
        redis = Redis.from_url(REDIS_URL, decode_responses=True)
        store = RoomStore(redis)
        try:
            code, _ = await store.create_room(load_template())
            pids: list[str] = []
            seen: list[tuple[int, object]] = [(1, await store.load(code))]
            for cmd in commands:
                try:
                    await run(store, code, pids, cmd)
                except Rejected:
                    continue
                state = await store.load(code)
                assert state is not None
                seen.append((state.seq, state))
            replay = Replay(await all_events(store, code))
            for seq, live in seen:
                assert replay.state_after(seq) == live
            for seq, live in reversed(seen):  # backwards too (a refold from the start)
                assert replay.state_after(seq) == live
            await store.delete_room(code)
        finally:
            await redis.aclose()

    asyncio.run(scenario())


async def test_replay_at_a_moment_and_the_story(store: RoomStore, template: Template) -> None:
    code = await session(store, template)
    events = await all_events(store, code)
    replay = Replay(events)
    placed = next(e for e in events if e.type == "slider-placed")
    before = replay.state_at(placed.at - 0.000001)
    assert "vijf-schuiven" not in before.placements
    assert replay.state_at(replay.end) == await store.load(code)
    story = [describe(e, replay.state_after(i), "nl") for i, e in enumerate(events, start=0) if i > 0]
    assert any("Anna zet Proces met bewoners (nu) op 20" in line for line in story)
    assert [c.activity for c in replay.chapters()] == ["casus", "vijf-schuiven", "competentiespel", "werkagenda"]


async def test_every_export_format_reads_back(store: RoomStore, template: Template) -> None:
    code = await session(store, template)
    events = await all_events(store, code)
    state = fold(events)
    assert state is not None

    again = exports.from_json(exports.render(events, "json"))
    assert fold(again) == state

    rows = list(csv.DictReader(io.StringIO(exports.render(events, "csv").decode("utf-8-sig")), delimiter=";"))
    placed = [r for r in rows if r["Oefening"] == "Vijf schuiven" and r["Stand"] in {"Situatie nu", "Beoogde situatie"}]
    assert len(placed) == 6
    bram = next(r for r in placed if r["Deelnemer"] == "Bram" and r["Stand"] == "Situatie nu")
    assert bram["Waarde"] == "40" and bram["Tekst"] == "Bewoners haken af → te traag"
    assert any(r["Oefening"] == "Competentiespel" and r["Waarde"] == "Çem" for r in rows)

    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(exports.render(events, "xlsx")))
    assert "Deelnemers" in book.sheetnames and "Vijf schuiven" in book.sheetnames
    sheet = book["Vijf schuiven"]
    values = [[c.value for c in row] for row in sheet.iter_rows(min_row=2)]
    anna = ["Vijf schuiven", 1, "Anna", "Proces met bewoners", "Situatie nu", 20, None]
    assert anna in values
    case = [[c.value for c in row] for row in book["Casus"].iter_rows(min_row=2)]
    assert any(row[-1] == "'=Jongeren willen een skatebaan." for row in case)  # never a formula

    from pypdf import PdfReader

    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(exports.render(events, "pdf"))).pages)
    assert "Vijf schuiven" in text and "Proces met bewoners" in text
    assert "Spreekuur in het dorpshuis" in text and "Çem" in text
    assert exports.pdf_text("Şeyma → ✓") == "Seyma -> v"  # what the PDF font lacks is transliterated
    trio = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(exports.render(events, "pdf", group=1))).pages)
    assert "Groep 1: Anna, Bram" in trio and "Verbinden" in trio
    with pytest.raises(ValueError):
        exports.render(events, "pdf", group=9)


async def test_anonymous_exports_carry_no_names(store: RoomStore, template: Template) -> None:
    code = await session(store, template)
    await store.set_setting(code, "anonymous", True)
    events = await all_events(store, code)
    for fmt in ("json", "csv"):
        data = exports.render(events, fmt).decode("utf-8-sig")
        assert "Anna" not in data and "Bram" not in data and "Deelnemer 1" in data
    with pytest.raises(Rejected):
        await store.set_setting(code, "colour", "1")


def test_a_bad_import_file_is_refused_with_the_reason() -> None:
    with pytest.raises(ImportError_, match="not JSON"):
        exports.from_json(b"{nope")
    with pytest.raises(ImportError_, match="format"):
        exports.from_json(json.dumps({"events": []}))
    with pytest.raises(ImportError_, match="event 0"):
        exports.from_json(json.dumps({"format": "werkplaats-room", "version": 1, "events": [{"type": "x"}]}))


async def test_the_worker_renders_exports(store: RoomStore, template: Template, tmp_path: Path) -> None:
    from rq import Queue

    code = await session(store, template)
    env = {**os.environ, "REDIS_URL": REDIS_URL, "WORKSHOP_DATA": str(tmp_path)}
    queue = Queue(jobs.QUEUE, connection=SyncRedis.from_url(REDIS_URL))
    queued = [queue.enqueue(jobs.export_room, code, fmt) for fmt in exports.FORMATS]
    failing = queue.enqueue(jobs.export_room, code, "pdf", 99)
    await asyncio.to_thread(
        subprocess.run, [sys.executable, "-c", "from workshop.cli import main; main()", "worker", "--burst"],
        cwd=ROOT, env=env, check=True, timeout=120, capture_output=True,
    )
    for job in queued:
        job.refresh()
        assert job.is_finished, job.latest_result()
        result = job.return_value()
        assert result is not None and result["size"] > 0 and job.meta["progress"] == 1.0
        written = Path(result["path"])
        assert written.parent == tmp_path / "exports" / code
        assert await asyncio.to_thread(written.stat) is not None
    failing.refresh()
    latest = failing.latest_result()
    assert failing.is_failed and latest is not None and "group 99 does not exist" in (latest.exc_string or "")


async def test_archive_import_and_delete_leave_nothing_behind(
    store: RoomStore, template: Template, redis: Redis, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WORKSHOP_DATA", str(tmp_path))
    code = await session(store, template)
    live = await store.load(code)
    other, _ = await store.create_room(template)
    (tmp_path / "exports" / code).mkdir(parents=True)
    (tmp_path / "exports" / code / "werkplaats-X.pdf").write_bytes(b"%PDF")
    later = time.time() + 31 * 86400  # a month on: the session is idle, the other room was used yesterday
    await redis.zadd(keys.rooms_index_key(), {other: later - 86400})
    archived = await asyncio.to_thread(jobs.archive_idle_rooms, 30, later)
    assert code in archived and other not in archived
    assert not await store.exists(code) and await store.exists(other)
    assert jobs.archive_path(code).exists() and not (tmp_path / "exports" / code).exists()

    sync = SyncRedis.from_url(REDIS_URL, decode_responses=True)
    imported, token = jobs.import_room(sync, jobs.archive_path(code).read_bytes())
    assert imported == code and await store.check_host(code, token)
    assert await store.load(code) == live
    assert Replay(await all_events(store, code)).state_at(time.time()) == live
    with pytest.raises(jobs.RoomExists):
        jobs.import_room(sync, jobs.archive_path(code).read_bytes())

    await store.delete_room(code)
    jobs.delete_files(code)
    leftovers = [k async for k in redis.scan_iter(match=f"*{code}*")]
    assert leftovers == [] and await redis.zscore(keys.rooms_index_key(), code) is None
    assert not jobs.archive_path(code).exists() and not (tmp_path / "exports" / code).exists()
    sync.close()


def cli(*args: str, data: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "REDIS_URL": REDIS_URL, "WORKSHOP_DATA": str(data)}
    return subprocess.run([sys.executable, "-c", "from workshop.cli import main; main()", *args],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)


async def test_export_and_import_from_the_command_line(store: RoomStore, template: Template, tmp_path: Path) -> None:
    code = await session(store, template)
    out = tmp_path / "verslag.xlsx"
    done = await asyncio.to_thread(cli, "export", code.lower(), "--format", "xlsx", "--out", str(out), data=tmp_path)
    assert done.returncode == 0, done.stderr

    from openpyxl import load_workbook

    assert "Competentiespel" in load_workbook(out).sheetnames
    missing = await asyncio.to_thread(cli, "export", "ZZZZZZ", "--format", "csv", data=tmp_path)
    assert missing.returncode == 2 and "No room with code ZZZZZZ" in missing.stderr

    saved = tmp_path / "room.json"
    done = await asyncio.to_thread(cli, "export", code, "--format", "json", "--out", str(saved), data=tmp_path)
    assert done.returncode == 0, done.stderr
    live = await store.load(code)
    await store.delete_room(code)
    back = await asyncio.to_thread(cli, "import", str(saved), data=tmp_path)
    assert back.returncode == 0, back.stderr
    assert f"/host/{code}?t=" in back.stdout and f"/replay/{code}?t=" in back.stdout
    assert await store.load(code) == live
    again = await asyncio.to_thread(cli, "import", str(saved), data=tmp_path)
    assert again.returncode == 2 and "exists already" in again.stderr
    (tmp_path / "bad.json").write_text("[]")
    bad = await asyncio.to_thread(cli, "import", str(tmp_path / "bad.json"), data=tmp_path)
    assert bad.returncode == 2 and "Import refused" in bad.stderr
