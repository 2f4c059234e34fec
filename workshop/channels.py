"""How the hub follows rooms' channels: plain pub/sub (one server, Sentinel) or sharded pub/sub
(Redis Cluster 7+: ``SSUBSCRIBE`` on the shard that holds the room's slot, so an announcement
travels only within that shard instead of over the whole cluster bus).

The hub asks for a room's channel by code and gets back ``(channel, data)`` of data messages only;
which commands that takes is decided here once.
"""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any

from rooms import keys

SHARD_POLL = 0.02  # sharded: seconds each shard's connection is waited on per round (a few shards)


class RoomChannels:
    def __init__(self, redis: Any, sharded: bool) -> None:
        self.redis = redis
        self.sharded = sharded
        self._pubsub: Any = None
        self._fresh_slots = True
        self.open()

    def open(self) -> None:
        """A fresh pub/sub (after a lost connection: subscribe again)."""
        if self._pubsub is not None:
            self._fresh_slots = False  # a shard was lost: ask the cluster again who holds which slot
        self._pubsub = self.redis.pubsub(ignore_subscribe_messages=True)

    @property
    def subscribed(self) -> bool:
        return bool(self._pubsub.subscribed)

    async def subscribe(self, code: str) -> None:
        if self.sharded:
            if self._fresh_slots:
                await self.redis.initialize()  # the slot map, to find the shard (once; a no-op after)
            else:  # after a failover: the promoted replica holds the slot now
                await self.redis.nodes_manager.initialize()
                self._fresh_slots = True
            await self._pubsub.ssubscribe(keys.channel(code))
        else:
            await self._pubsub.subscribe(keys.channel(code))

    async def unsubscribe(self, code: str) -> None:
        if self.sharded:
            await self._pubsub.sunsubscribe(keys.channel(code))
        else:
            await self._pubsub.unsubscribe(keys.channel(code))

    async def get_message(self, wait: float) -> tuple[str, str] | None:
        """The next announcement as ``(channel, data)``, or None after about ``wait`` seconds."""
        if not self.sharded:
            message = await self._pubsub.get_message(timeout=wait)
            if message is None or message.get("type") != "message":
                return None
            return str(message["channel"]), str(message["data"])
        deadline = asyncio.get_running_loop().time() + wait
        while True:  # one connection per shard: take turns, briefly each
            if not self._pubsub.subscribed:
                await asyncio.sleep(min(wait, 0.2))
                return None
            message = await self._pubsub.get_sharded_message(ignore_subscribe_messages=True, timeout=SHARD_POLL)
            if message is not None and message.get("type") == "smessage":
                return str(message["channel"]), str(message["data"])
            if asyncio.get_running_loop().time() >= deadline:
                return None

    async def aclose(self) -> None:
        with contextlib.suppress(Exception):
            await self._pubsub.aclose()
