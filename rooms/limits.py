"""Rate limits in Redis, per client address, so room codes cannot be guessed and rooms not spammed.

Only what an attacker does is counted: failed joins (unknown codes), room creations and wrong
admin passwords. Successful joins never are: a whole room of phones on one municipal Wi-Fi shares
one public address and must all get in.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from redis.asyncio import Redis

from rooms import keys
from rooms.commands import Rejected
from rooms.models import Participant
from rooms.store import RoomNotFound, RoomStore

_HIT = """
local n = redis.call('INCR', KEYS[1])
if n == 1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end
local ttl = redis.call('TTL', KEYS[1])
if ttl < 0 then redis.call('EXPIRE', KEYS[1], ARGV[1]); ttl = tonumber(ARGV[1]) end
return {n, ttl}
"""


@dataclass(frozen=True)
class Limit:
    bucket: str
    allowed: int  # attempts per window
    window: int  # seconds


# 30 wrong codes per 5 minutes: enough for a room full of typos, hopeless for guessing 31^6 codes
JOIN_FAILURES = Limit("join-fail", 30, 300)
ROOM_CREATIONS = Limit("create", 20, 3600)
ADMIN_FAILURES = Limit("admin-fail", 5, 900)


class RateLimited(Rejected):
    def __init__(self, retry_after: int) -> None:
        minutes = max(1, math.ceil(retry_after / 60))
        super().__init__(
            "rate-limited",
            "Te veel pogingen vanaf dit netwerk. Probeer het over {minutes} minuten opnieuw.",
            minutes=minutes,
        )
        self.retry_after = retry_after


class Limiter:
    def __init__(self, redis: Redis) -> None:
        self.redis = redis
        self._hit = redis.register_script(_HIT)

    async def check(self, limit: Limit, client: str) -> None:
        """Refuse when the client has used up its attempts (without counting this one)."""
        key = keys.rate_key(limit.bucket, client)
        count = await self.redis.get(key)
        if count is not None and int(count) >= limit.allowed:
            ttl = await self.redis.ttl(key)
            raise RateLimited(max(int(ttl), 1))

    async def hit(self, limit: Limit, client: str) -> int:
        """Count one attempt; returns how many the client made in this window."""
        count, _ttl = await self._hit(keys=[keys.rate_key(limit.bucket, client)], args=[limit.window])
        return int(count)

    async def spend(self, limit: Limit, client: str) -> None:
        """Count one attempt and refuse it if it is over the limit."""
        count, ttl = await self._hit(keys=[keys.rate_key(limit.bucket, client)], args=[limit.window])
        if int(count) > limit.allowed:
            raise RateLimited(max(int(ttl), 1))


async def guarded_join(
    store: RoomStore, limiter: Limiter, client: str, code: str, name: object, browser: str | None = None,
    role: object = None,
) -> Participant:
    """Join a room; an unknown code counts against the client's address, a success never does."""
    await limiter.check(JOIN_FAILURES, client)
    try:
        return await store.join(code, name, browser=browser, role=role)
    except RoomNotFound:
        await limiter.hit(JOIN_FAILURES, client)
        raise
