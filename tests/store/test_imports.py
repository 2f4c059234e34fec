"""A refused import changes nothing: the whole file is checked before anything is written."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import redis as sync_redis

from rooms import jobs, keys
from rooms.exports import ImportError_
from tests.conftest import REDIS_URL
from tests.store.test_replay_exports import cli
from tests.unit.test_import_codes import first, session_document


def test_a_refused_import_changes_nothing_in_redis() -> None:
    document = session_document()
    first(document, "slider-placed")["value"] = -999999
    client = sync_redis.Redis.from_url(REDIS_URL, decode_responses=True)
    try:
        client.delete(*keys.room_keys("ABCDEF"))
        with pytest.raises(ImportError_):
            jobs.import_room(client, json.dumps(document))
        assert not any(client.exists(k) for k in keys.room_keys("ABCDEF"))
    finally:
        client.close()


def test_the_command_line_says_why_in_one_line(tmp_path: Path) -> None:
    document = session_document()
    first(document, "participant-joined")["name"] = "A" * 200_000
    crafted = tmp_path / "crafted.json"
    crafted.write_text(json.dumps(document))
    done = cli("import", str(crafted), data=tmp_path)
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in done.stderr
    assert "Import geweigerd: Gebeurtenis 1 (participant-joined) kan zo niet" in lines[0]
    assert "Import refused: Event 1 (participant-joined) is not possible" in lines[0]
