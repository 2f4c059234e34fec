"""Background work, run by RQ workers (``uv run workshop worker``): exports, archiving, import.

Jobs talk to Redis synchronously with their own connection (``REDIS_URL``) and write files
under the data folder (``WORKSHOP_DATA``): ``exports/<CODE>/`` and ``archive/<CODE>.json``.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import time
from pathlib import Path
from typing import Any

from redis import Redis

from rooms import connect, keys
from rooms.atomic import META_SLOT, SECRET_SLOT, SPUBLISH, WRITE_SCRIPT, Guard, Op, write_args, write_keys
from rooms.codes import new_token, normalize_code, token_hash
from rooms.events import Event, RoomCreated, decode
from rooms.exports import file_name, from_json, is_anonymous, render, to_json
from rooms.layout import ops_for
from rooms.models import RoomState
from rooms.projection import apply
from rooms.store import DELETED

QUEUE = "werkplaats"
SAFE_NAME = re.compile(r"^werkplaats-[A-Z0-9]{6}(-groep-[0-9]{1,4})?\.(json|csv|xlsx|pdf)$")


def redis_from_env() -> Redis:
    """Room data as the app reaches it: REDIS_URL, Sentinel or Cluster (``rooms.connect``)."""
    client: Redis = connect.sync_client(connect.RedisConfig.from_env())
    return client


def announce_deleted(redis: Redis, code: str) -> None:
    """Tell every process's hub that the room is gone (on its sharded channel with Cluster)."""
    if connect.sync_publish_command(redis) == SPUBLISH:
        redis.spublish(keys.channel(code), DELETED)
    else:
        redis.publish(keys.channel(code), DELETED)


def data_dir() -> Path:
    return Path(os.environ.get("WORKSHOP_DATA", ".workshop-data")).resolve()


def exports_dir(code: str, base: Path | None = None) -> Path:
    return _inside(base or data_dir(), Path("exports") / _room_code(code))


def archive_path(code: str, base: Path | None = None) -> Path:
    return _inside(base or data_dir(), Path("archive") / f"{_room_code(code)}.json")


def _inside(base: Path, relative: Path) -> Path:
    """``base / relative``, provided it stays inside the data folder (also through a symlink)."""
    root = base.resolve()
    path = (root / relative).resolve()
    if not path.is_relative_to(root) or path == root:
        raise ValueError(f"outside the data folder: {relative}")
    return path


def _room_code(code: str) -> str:
    """A room code, and nothing else, may name a folder or file (never ``..`` or a path)."""
    if normalize_code(code) != code:
        raise ValueError(f"not a room code: {code[:20]!r}")
    return code


def read_events(redis: Redis, code: str) -> list[Event]:
    entries: Any = redis.xrange(keys.events_key(code))
    return [decode(fields["e"], int(fields["seq"])) for _, fields in entries]


def _progress(value: float, note: str = "") -> None:
    from rq import get_current_job

    job = get_current_job()
    if job is not None:
        job.meta["progress"] = value
        job.meta["note"] = note
        job.save_meta()  # type: ignore[no-untyped-call]


def export_room(code: str, fmt: str, group: int | None = None, lang: str = "nl") -> dict[str, Any]:
    """Render one export to ``exports/<CODE>/``; returns its name, path and size."""
    redis = redis_from_env()
    try:
        _progress(0.1, "reading")
        events = read_events(redis, code)
        if not events:
            raise ValueError(f"room {code} does not exist (any more)")
        _progress(0.4, "rendering")
        data = render(events, fmt, group, lang)
        _progress(0.9, "writing")
        folder = exports_dir(code)
        name = file_name(code, fmt, group, anonymous=is_anonymous(events))
        path = folder / name
        _write_private(path, data)
        _progress(1.0, "done")
        return {"name": name, "path": str(path), "size": len(data), "events": len(events)}
    finally:
        redis.close()


def fail_jobs_of_worker(url: str, worker_name: str) -> list[str]:
    """Fail the jobs a worker that died was running; returns their ids.

    RQ itself finds such a job only after its heartbeat expired (about 90 s) and its maintenance
    ran (every 10 minutes): until then the host would see "bezig…". The app knows its worker died,
    so it marks that worker's entries as expired and lets RQ's own abandoned-job cleanup fail them
    (status, failure result, failure registry) at once; other workers' jobs are left alone. The
    worker's registration goes too.
    """
    from rq.exceptions import NoSuchJobError
    from rq.job import Job
    from rq.registry import StartedJobRegistry
    from rq.worker import Worker

    connection = Redis.from_url(url, socket_timeout=10)
    try:
        registry = StartedJobRegistry(QUEUE, connection=connection)
        entries: Any = connection.zrange(registry.key, 0, -1)
        theirs: dict[Any, float] = {}
        ids = []
        for entry in entries:
            job_id = registry.parse_job_id(entry)
            try:
                job = Job.fetch(job_id, connection=connection)
            except NoSuchJobError:
                continue
            if job.worker_name == worker_name:
                theirs[entry] = 1.0
                ids.append(job_id)
        if theirs:
            connection.zadd(registry.key, theirs)
            registry.cleanup(timestamp=1.0)
        # and the worker is no longer listed as one (RQ would list it until its key expires)
        worker = Worker.find_by_key(Worker.redis_worker_namespace_prefix + worker_name, connection=connection)
        if worker is not None:
            worker.register_death()  # type: ignore[no-untyped-call]
        return ids
    finally:
        connection.close()


def _write_private(path: Path, data: bytes) -> None:
    """Write a file of personal data readable by this user only (folders 700, file 600), atomically."""
    for folder in (path.parent.parent, path.parent):
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        with contextlib.suppress(OSError):
            folder.chmod(0o700)
    tmp = path.with_suffix(path.suffix + ".part")
    tmp.unlink(missing_ok=True)
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(data)
    tmp.replace(path)


def last_activity(redis: Redis, code: str) -> float:
    """When the room last saw an event, or was (re)listed: the later of the two."""
    last: Any = redis.xrevrange(keys.events_key(code), count=1)
    at = int(str(last[0][0]).split("-")[0]) / 1000 if last else 0.0
    listed = redis.zscore(keys.rooms_index_key(), code)
    return max(at, float(listed or 0))


def archive_idle_rooms(retention_days: float, now: float | None = None) -> list[str]:
    """Archive every room idle for ``retention_days`` to ``archive/<CODE>.json`` and remove it from Redis."""
    redis = redis_from_env()
    archived = []
    try:
        limit = (time.time() if now is None else now) - retention_days * 86400
        codes: Any = redis.zrange(keys.rooms_index_key(), 0, -1)
        for code in codes:
            if last_activity(redis, code) > limit:
                continue
            events = read_events(redis, code)
            if events:
                _write_private(archive_path(code), to_json(events))
            redis.delete(*keys.room_keys(code))
            redis.zrem(keys.rooms_index_key(), code)
            announce_deleted(redis, code)
            shutil.rmtree(exports_dir(code), ignore_errors=True)
            archived.append(code)
    finally:
        redis.close()
    return archived


def delete_files(code: str, base: Path | None = None) -> None:
    """Every file of a room: its exports and its archive."""
    shutil.rmtree(exports_dir(code, base), ignore_errors=True)
    archive_path(code, base).unlink(missing_ok=True)


class RoomExists(ValueError):
    pass


def import_room(redis: Redis, raw: bytes | str) -> tuple[str, str]:
    """Bring an exported or archived room back into Redis (for replay); returns (code, new host token).

    Every event is written again through the same script as live writes, so the live state
    is the fold of the stream, as always. A room whose code is in use is refused.
    """
    events = from_json(raw)
    first = events[0]
    assert isinstance(first, RoomCreated)
    code = first.code
    if redis.exists(keys.meta_key(code)):
        raise RoomExists(f"room {code} exists already; delete it first")
    script = redis.register_script(WRITE_SCRIPT)
    publish = connect.sync_publish_command(redis)
    token = new_token()
    state: RoomState | None = None
    for index, event in enumerate(events):
        event = event.model_copy(update={"seq": 0})
        ops = ops_for(event, state)
        guards: list[Guard] = []
        if index == 0:
            ops.append(Op("set", SECRET_SLOT, value=token_hash(token)))
            guards.append(Guard("lacks", META_SLOT, "code"))
        result: Any = script(keys=write_keys(code), args=write_args(code, [event], guards, ops, publish))
        if int(result[0]) != 1:
            raise RoomExists(f"room {code} exists already")
        state = apply(state, event)
    redis.zadd(keys.rooms_index_key(), {code: time.time()})
    return code, token
