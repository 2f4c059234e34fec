"""Rooms written by an earlier engine still read the same: their stream, their JSON export.

The fixture (``tests/fixtures/legacy``) was written by the engine before the typed text events:
every event type, every kind of text (plain fields, member texts, notes, own options, agenda
actions, practice ticks and tips), plus the state that engine folded it to.
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import redis as sync_redis
from redis.asyncio import Redis

from rooms import exports, keys
from rooms.events import TextWritten
from rooms.jobs import import_room
from rooms.models import RoomState
from rooms.projection import fold
from rooms.store import RoomStore
from tests.conftest import REDIS_URL

LEGACY = Path(__file__).parent.parent / "fixtures" / "legacy"


def legacy_state() -> RoomState:
    return RoomState.model_validate_json((LEGACY / "state.json").read_text())


def exported_state(raw: bytes) -> RoomState:
    """The state the export itself holds (names anonymized, as the room asked)."""
    return RoomState.model_validate(json.loads(raw)["state"])


async def test_an_old_stream_folds_to_the_state_it_had(store: RoomStore, redis: Redis) -> None:
    stored = json.loads((LEGACY / "stream.json").read_text())
    code = stored["code"]
    await redis.delete(*keys.room_keys(code))
    for entry_id, fields in stored["entries"]:
        await redis.xadd(keys.events_key(code), fields, id=entry_id)
    try:
        events = [e for _, e in await store.events(code)]
        assert len(events) == len(stored["entries"])
        # every text that was told apart by its field name reads as its own event now
        types = {e.type for e in events}
        assert {"note-written", "own-option-named", "action-written", "step-ticked", "tips-written"} <= types
        assert {e.field for e in events if isinstance(e, TextWritten)} == {"titel", "omschrijving", "acties", "zin"}
        assert fold(events) == legacy_state()
    finally:
        await redis.delete(*keys.room_keys(code))


def test_an_old_json_export_folds_and_imports_to_the_state_it_had() -> None:
    raw = (LEGACY / "export.json").read_bytes()
    assert fold(exports.from_json(raw)) == exported_state(raw)

    client = sync_redis.Redis.from_url(REDIS_URL, decode_responses=True)
    code = json.loads(raw)["code"]
    client.delete(*keys.room_keys(code))
    try:
        assert import_room(client, raw)[0] == code

        async def live() -> RoomState | None:
            redis = Redis.from_url(REDIS_URL, decode_responses=True)
            try:
                return await RoomStore(redis).load(code)
            finally:
                await redis.aclose()

        assert asyncio.run(live()) == exported_state(raw)
    finally:
        client.delete(*keys.room_keys(code))
        client.zrem(keys.rooms_index_key(), code)
        client.close()
