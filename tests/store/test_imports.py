"""A refused import changes nothing: the whole file is checked before anything is written."""

from __future__ import annotations

import json

import pytest
import redis as sync_redis

from rooms import jobs, keys
from rooms.exports import ImportError_
from tests.conftest import REDIS_URL
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
