"""Redis Cluster: no command may need keys on two slots. A room's keys and its (sharded) channel
share the room's slot; the keys outside rooms (the room index, rate limits, the archive lock) are
each used alone, one key per command."""

from __future__ import annotations

from redis.crc import key_slot

from rooms import atomic, keys


def test_a_rooms_keys_and_channel_share_one_slot() -> None:
    for code in ("K7MX3P", "AAAAAA", "Z9Z9Z9"):
        names = [*keys.room_keys(code), *atomic.write_keys(code), keys.channel(code)]
        assert len({key_slot(name.encode()) for name in names}) == 1, code


def test_rooms_spread_over_slots() -> None:
    slots = {key_slot(keys.meta_key(code).encode()) for code in ("K7MX3P", "AAAAAA", "Z9Z9Z9", "QWERTY")}
    assert len(slots) == 4
