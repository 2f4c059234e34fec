"""The atomic write: one Lua script call that checks guards, writes the live state, appends and
publishes the events, all or nothing.

Guards re-check inside Redis what another writer could have changed since a command decided (an
activity locked meanwhile, a roster that grew), so no write rests on a stale read. The script
gets every key through ``KEYS[]`` (``write_keys``); guards and ops name a key by its slot.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from rooms import keys
from rooms.events import Event, decode, encode

WRITE_SCRIPT = """
local i = 3
local n_events = tonumber(ARGV[i]); i = i + 1
local events = {}
for e = 1, n_events do events[e] = ARGV[i]; i = i + 1 end
local n_guards = tonumber(ARGV[i]); i = i + 1
for g = 1, n_guards do
  local kind, key, field, value = ARGV[i], KEYS[tonumber(ARGV[i + 1])], ARGV[i + 2], ARGV[i + 3]
  i = i + 4
  local ok
  if kind == 'eq' then ok = redis.call('HGET', key, field) == value
  elseif kind == 'has' then ok = redis.call('HEXISTS', key, field) == 1
  elseif kind == 'lacks' then ok = redis.call('HEXISTS', key, field) == 0
  elseif kind == 'get' then ok = (redis.call('GET', key) or '0') == value
  else return redis.error_reply('unknown guard ' .. kind) end
  if not ok then return {0, g} end
end
local n_ops = tonumber(ARGV[i]); i = i + 1
for o = 1, n_ops do
  local kind, key, field, value = ARGV[i], KEYS[tonumber(ARGV[i + 1])], ARGV[i + 2], ARGV[i + 3]
  i = i + 4
  if kind == 'hset' then redis.call('HSET', key, field, value)
  elseif kind == 'hdel' then redis.call('HDEL', key, field)
  elseif kind == 'hincr' then redis.call('HINCRBY', key, field, value)
  elseif kind == 'hsetnx' then redis.call('HSETNX', key, field, value)
  elseif kind == 'set' then redis.call('SET', key, value)
  else return redis.error_reply('unknown op ' .. kind) end
end
local seq, id
for e = 1, n_events do
  seq = redis.call('INCR', KEYS[2])
  id = redis.call('XADD', KEYS[1], '*', 'seq', seq, 'e', events[e])
  redis.call(ARGV[2], ARGV[1], seq .. '|' .. id .. '|' .. events[e])
end
return {1, seq, id}
"""

# Key slots a write may touch, by index into KEYS (1-based, as Lua sees them; see ``write_keys``).
(EVENTS_SLOT, SEQ_SLOT, META_SLOT, TEMPLATE_SLOT, PARTICIPANTS_SLOT, PLACEMENTS_SLOT, REASONS_SLOT, SECRET_SLOT,
 BROWSERS_SLOT, TEXTS_SLOT, CARDS_SLOT, CHOICES_SLOT, GROUPS_SLOT, DOCS_SLOT) = range(1, 15)


def write_keys(code: str) -> list[str]:
    """The room's keys in slot order: the script's ``KEYS``."""
    return [
        keys.events_key(code),
        keys.seq_key(code),
        keys.meta_key(code),
        keys.template_key(code),
        keys.participants_key(code),
        keys.placements_key(code),
        keys.reasons_key(code),
        keys.secret_key(code),
        keys.browsers_key(code),
        keys.texts_key(code),
        keys.cards_key(code),
        keys.choices_key(code),
        keys.groups_key(code),
        keys.docs_key(code),
    ]


@dataclass(frozen=True, slots=True)
class Guard:
    kind: str  # eq | has | lacks (hash fields) | get (a string key, missing reads as "0")
    key: int
    field: str
    value: str = ""


@dataclass(frozen=True, slots=True)
class Op:
    kind: str  # hset | hsetnx | hdel | hincr | set
    key: int
    field: str = ""
    value: str = ""


PUBLISH = "PUBLISH"  # the room's channel as a plain channel (one server, Sentinel)
SPUBLISH = "SPUBLISH"  # as a sharded channel (Redis Cluster 7+): the announcement stays on the room's shard


def write_args(code: str, events: Sequence[Event], guards: Sequence[Guard], ops: Sequence[Op],
               publish: str = PUBLISH) -> list[Any]:
    """The arguments of the write script: channel, publish command, events, guards, ops (see ``WRITE_SCRIPT``)."""
    if publish not in (PUBLISH, SPUBLISH):
        raise ValueError(f"not a publish command: {publish}")
    args: list[Any] = [keys.channel(code), publish, len(events), *(encode(e) for e in events), len(guards)]
    for g in guards:
        args += [g.kind, g.key, g.field, g.value]
    args.append(len(ops))
    for o in ops:
        args += [o.kind, o.key, o.field, o.value]
    return args


class Conflict(Exception):
    """A guard failed: the state changed between decision and write."""

    def __init__(self, guard: Guard) -> None:
        super().__init__(f"guard failed: {guard}")
        self.guard = guard


def parse_message(data: str) -> tuple[int, str, Event]:
    """A pub/sub message of the script: ``seq|stream id|event json``."""
    seq, entry_id, raw = data.split("|", 2)
    return int(seq), entry_id, decode(raw, int(seq))
