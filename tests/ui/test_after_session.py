"""After the session, on the host page and the replay page (simulated users, a real RQ worker)."""

from __future__ import annotations

import asyncio
import csv
import io
import os
import subprocess
import sys
from collections.abc import Callable
from functools import partial
from pathlib import Path

from nicegui.testing import User

from rooms import keys
from tests.conftest import REDIS_URL
from tests.helpers import eventually
from tests.ui.simulate import act, by_testid, join, need
from tests.ui.test_programme import has, shows, text_of
from workshop.services import ready, services

ROOT = Path(__file__).resolve().parents[2]
DIM = "proces-bewoners"


async def played_session() -> tuple[str, str]:
    svc = await ready()
    code, token = await svc.store.create_room(svc.template)
    people = [await svc.store.join(code, name) for name in ("Anna", "Bram", "Cem")]
    await svc.store.start(code, "vijf-schuiven")
    for person, (now, goal) in zip(people, [(20, 80), (40, 70), (75, 90)], strict=True):
        await svc.store.place(code, person.id, "vijf-schuiven", DIM, "now", now)
        await svc.store.place(code, person.id, "vijf-schuiven", DIM, "goal", goal)
    await svc.store.lock(code, "vijf-schuiven")
    return code, token


async def run_worker() -> None:
    env = {**os.environ, "REDIS_URL": REDIS_URL, "WORKSHOP_DATA": str(services().settings.data.resolve())}
    await asyncio.to_thread(
        subprocess.run, [sys.executable, "-c", "from workshop.cli import main; main()", "worker", "--burst"],
        cwd=ROOT, env=env, check=True, timeout=120, capture_output=True,
    )


async def test_the_host_exports_through_the_worker_and_downloads(user: User) -> None:
    code, token = await played_session()
    await user.open(f"/host/{code}?t={token}")
    act(user, "export-csv").click()
    act(user, "export-group").click()  # the group select; pick group 1
    need(user, "export-group").value = "1"  # type: ignore[attr-defined]
    act(user, "export-pdf-group").click()
    await eventually(partial(has, user, "export-job-2"), what="both jobs listed")
    assert "wachtrij" in text_of(user, "export-status-1")
    await run_worker()
    await eventually(partial(has, user, "download-csv"), what="the CSV is ready", within=10)
    await eventually(partial(has, user, "download-pdf"), what="the group PDF is ready", within=10)
    href = str(need(user, "download-csv").props.get("href"))
    response = await user.http_client.get(href)
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert {r["Deelnemer"] for r in rows if r["Oefening"] == "Vijf schuiven"} == {"Anna", "Bram", "Cem"}
    forbidden = await user.http_client.get(href.replace(token, "wrong"))
    assert forbidden.status_code == 403


async def test_a_failed_export_shows_its_error_and_can_be_retried(user: User) -> None:
    code, token = await played_session()
    await user.open(f"/host/{code}?t={token}")
    act(user, "export-json").click()
    await eventually(partial(has, user, "export-job-1"), what="job listed")
    log = await services().redis.dump(keys.events_key(code))
    assert log is not None
    await services().redis.delete(keys.events_key(code))  # the log is gone before the worker gets to it
    await run_worker()
    await eventually(partial(shows, user, "export-status-1", "mislukt"), what="the failure is shown", within=10)
    assert f"room {code} does not exist" in text_of(user, "export-status-1")
    await services().redis.restore(keys.events_key(code), 0, log)
    act(user, "export-retry").click()
    await eventually(partial(shows, user, "export-status-1", "wachtrij"), what="queued again")
    await run_worker()
    await eventually(partial(has, user, "download-json"), what="the retry worked", within=10)


async def test_replay_moves_through_the_session(user: User, create_user: Callable[[], User]) -> None:
    code, token = await played_session()
    stranger = create_user()
    await stranger.open(f"/replay/{code}")
    await stranger.should_see("alleen de begeleider")
    await user.open(f"/replay/{code}?t={token}")
    assert "Cem zet Proces met bewoners (beoogd) op 90" in text_of(user, "replay-events")
    assert "Vergrendeld" in text_of(user, "replay-events")
    act(user, "replay-start").click()
    await eventually(lambda: "gebeurtenis 1 van" in text_of(user, "replay-position"), what="at the start")
    assert "Anna zet" not in text_of(user, "replay-events")
    act(user, "chapter-vijf-schuiven-end").click()
    await eventually(partial(shows, user, f"screen-{DIM}", "nu 45"), what="the screen as it was at the end")
    assert "Anna 20" in text_of(user, "replay-groups")
    act(user, "replay-start").click()
    act(user, "replay-next").click()
    await eventually(lambda: "gebeurtenis 2 van" in text_of(user, "replay-position"), what="one event on")
    act(user, "replay-play").click()  # plays to the end at 10×: the session took well under a second
    await eventually(lambda: text_of(user, "replay-position").startswith(
        f"gebeurtenis {text_of(user, 'replay-position').split(' van ')[-1]} "), what="played to the end")


async def test_deleting_a_room_removes_everything_and_tells_the_phones(
    user: User, create_user: Callable[[], User]
) -> None:
    svc = await ready()
    code, token = await svc.store.create_room(svc.template)
    phone = create_user()
    await join(phone, code, "Anna")
    await user.open(f"/host/{code}?t={token}")
    # the phone's own notice, held here: the simulation may send the host's redirect after the
    # deletion to the phone's page (it binds redirects to one simulated user), replacing that page
    notice = need(phone, "notice")
    act(user, "delete-room").click()
    await eventually(partial(has, user, "delete-confirm"), what="a confirmation")
    act(user, "delete-confirm").click()

    async def nothing_left() -> bool:
        return [k async for k in svc.redis.scan_iter(match=f"*{code}*")] == []

    await eventually(nothing_left, what="every key of the room gone", within=10)
    assert await svc.redis.zscore(keys.rooms_index_key(), code) is None
    await eventually(lambda: "verwijderd" in str(getattr(notice, "text", "")), what="the phone is told", within=10)
    # the host is sent to the start page, which says what happened (the simulation's redirect is bound
    # to whichever simulated user opened a page last, so the page is opened here directly)
    await user.open(f"/?deleted={code}")
    assert code in str(getattr(by_testid(user, "deleted-notice"), "text", ""))
