"""Values kept per object, by the object's identity: for results derived from objects that are never
changed (a frozen activity, the markers list the engine hands a group's members)."""

from __future__ import annotations

from collections.abc import Hashable
from typing import Generic, TypeVar

V = TypeVar("V")


class KeptFor(Generic[V]):
    """``get(owner, *key)`` / ``put(owner, value, *key)``. The owner is held beside its value, so its
    id cannot be reused by another object while the value is kept; cleared whole when ``limit``
    values are kept (what is still used is computed again once)."""

    def __init__(self, limit: int) -> None:
        self._limit = limit
        self._kept: dict[tuple[Hashable, ...], tuple[object, V]] = {}

    def get(self, owner: object, *key: Hashable) -> V | None:
        kept = self._kept.get((id(owner), *key))
        return kept[1] if kept is not None and kept[0] is owner else None

    def put(self, owner: object, value: V, *key: Hashable) -> V:
        if len(self._kept) >= self._limit:
            self._kept.clear()
        self._kept[(id(owner), *key)] = (owner, value)
        return value
