"""``/metrics`` counts the time the garbage collector takes, per generation."""

from __future__ import annotations

import gc

from workshop import metrics


def gc_seconds(generation: str) -> float:
    value = metrics.REGISTRY.get_sample_value("werkplaats_gc_seconds_total", {"generation": generation})
    return value or 0.0


def test_each_collection_is_timed_under_its_generation() -> None:
    metrics.install()
    metrics.install()  # once per process: a second call adds no second timer
    assert gc.callbacks.count(metrics._gc_timer) == 1
    before = [gc_seconds(str(g)) for g in range(3)]
    keep = [[i] for i in range(20_000)]  # something for the collector to walk
    gc.collect(2)
    assert gc_seconds("2") > before[2]
    gc.collect(0)
    assert gc_seconds("0") > before[0]
    del keep
