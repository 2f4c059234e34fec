"""Rate limits in Redis, per client address, so room codes cannot be guessed and rooms not spammed.

Only what an attacker does is counted: failed joins (unknown codes), room creations and wrong
admin passwords. Successful joins never are: a whole room of phones on one municipal Wi-Fi shares
one public address and must all get in.

Codes: an address that named too many unknown codes (``JOIN_FAILURES``) is refused further look-ups
for a while, right code or wrong, so the answer tells a guesser nothing. But a room this address
has already reached (someone behind it joined, created it, opened its host page, its screen or its
handout: ``remember``) is never refused: it is the venue's own room, and 300 phones behind one
NAT with 60 typos all get in. Whoever reaches it learns nothing new. Joins through the QR code
(whose link carries a key only the app can make) are never limited at all.
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
# the rooms an address reached: never limited for it, for this long after the last time
KNOWN_ROOMS = Limit("known", 0, 12 * 3600)


class RateLimited(Rejected):
    def __init__(self, retry_after: int) -> None:
        minutes = max(1, math.ceil(retry_after / 60))
        super().__init__(
            "rate-limited",
            "Te veel pogingen vanaf dit netwerk. Probeer het over {minutes} minuten opnieuw.",
            minutes=minutes,
        )
        self.retry_after = retry_after


class CodesLimited(RateLimited):
    """Too many unknown codes from one address. Said so that someone who only mistyped looks again
    (or scans the QR code) instead of waiting; the same for a room as for none."""

    def __init__(self, retry_after: int) -> None:
        minutes = max(1, math.ceil(retry_after / 60))
        super(RateLimited, self).__init__(
            "rate-limited",
            "Te veel verkeerde codes vanaf dit netwerk. Kijk de code op het scherm nog eens na, scan de QR-code, "
            "of probeer het over {minutes} minuten opnieuw.",
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
            raise (CodesLimited if limit is JOIN_FAILURES else RateLimited)(max(int(ttl), 1))

    async def hit(self, limit: Limit, client: str) -> int:
        """Count one attempt; returns how many the client made in this window."""
        count, _ttl = await self._hit(keys=[keys.rate_key(limit.bucket, client)], args=[limit.window])
        return int(count)

    async def known(self, client: str, code: str) -> bool:
        """Whether someone behind this address reached this room before (``remember``)."""
        return bool(await self.redis.sismember(keys.rate_key(KNOWN_ROOMS.bucket, client), code))

    async def remember(self, client: str, code: str) -> None:
        """Someone behind this address reached this room: its code is never limited for the address."""
        key = keys.rate_key(KNOWN_ROOMS.bucket, client)
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.sadd(key, code)
            pipe.expire(key, KNOWN_ROOMS.window)
            await pipe.execute()

    async def before_lookup(self, client: str, code: str) -> None:
        """Before a code someone named is looked up: refused while the address is over its wrong
        codes, unless it is a room the address reached before."""
        if not await self.known(client, code):
            await self.check(JOIN_FAILURES, client)

    async def after_lookup(self, client: str, code: str, found: bool) -> None:
        """A code found is remembered for the address; one not found counts as a wrong code."""
        if found:
            await self.remember(client, code)
        else:
            await self.hit(JOIN_FAILURES, client)

    async def spend(self, limit: Limit, client: str) -> None:
        """Count one attempt and refuse it if it is over the limit."""
        count, ttl = await self._hit(keys=[keys.rate_key(limit.bucket, client)], args=[limit.window])
        if int(count) > limit.allowed:
            raise RateLimited(max(int(ttl), 1))


async def guarded_join(
    store: RoomStore, limiter: Limiter, client: str, code: str, name: object, browser: str | None = None,
    role: object = None, *, keyed: bool = False,
) -> Participant:
    """Join a room; an unknown code counts against the client's address, a success never does.
    ``keyed``: the phone came through the QR code's link (its key checked): never limited."""
    if not keyed:
        await limiter.before_lookup(client, code)
    try:
        participant = await store.join(code, name, browser=browser, role=role)
    except RoomNotFound:
        if not keyed:
            await limiter.after_lookup(client, code, found=False)
        raise
    await limiter.remember(client, code)
    return participant
