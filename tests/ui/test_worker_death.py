"""An export whose RQ worker died under it fails in words, with *Opnieuw* (issue 14).

The end-to-end half (a real worker killed with -9, the app failing its job and starting a new
worker) is ``test_a_killed_worker_fails_its_job_visibly_and_a_new_worker_takes_the_queue`` in
``tests/e2e/test_redis_faults.py``; this one is the host's side: what the export panel shows.
"""

from __future__ import annotations

import asyncio
from functools import partial

from nicegui.testing import User
from redis import Redis as SyncRedis
from rq import Queue
from rq.executions import Execution
from rq.job import Job

from rooms import jobs
from tests.conftest import REDIS_URL
from tests.helpers import eventually
from tests.ui.simulate import act
from tests.ui.test_after_session import played_session, run_worker
from tests.ui.test_programme import has, shows, text_of

GONE = "werkplaats-gone-1"


async def test_an_export_whose_worker_died_fails_in_words_and_can_be_retried(user: User) -> None:
    code, token = await played_session()
    await user.open(f"/host/{code}?t={token}")
    act(user, "export-json").click()
    await eventually(partial(has, user, "export-job-1"), what="job listed")
    client = SyncRedis.from_url(REDIS_URL)
    try:
        queue = Queue(jobs.QUEUE, connection=client)
        job = next(j for j in queue.get_jobs() if j is not None and j.args and j.args[0] == code)
        # a worker takes the job, as RQ records it, and dies under it: the job stays "started"
        with client.pipeline() as pipe:
            queue.remove(job, pipeline=pipe)
            job.prepare_for_execution(GONE, pipe)
            Execution.create(job, ttl=600, pipeline=pipe, worker_name=GONE)
            pipe.execute()
        await eventually(partial(shows, user, "export-status-1", "bezig"), what="the job runs", within=10)
        # what the app's watchdog does when its worker died
        assert await asyncio.to_thread(jobs.fail_jobs_of_worker, REDIS_URL, GONE) == [job.id]
        assert Job.fetch(job.id, connection=client).get_status(refresh=True) == "failed"
    finally:
        client.close()
    await eventually(partial(shows, user, "export-status-1", "mislukt"), what="the failure is shown", within=10)
    assert "onderbroken" in text_of(user, "export-status-1")
    act(user, "export-retry").click()
    await eventually(partial(shows, user, "export-status-1", "wachtrij"), what="queued again")
    await run_worker()
    await eventually(partial(has, user, "download-json"), what="the retry worked", within=10)
