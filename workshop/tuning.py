"""Process-wide speed-ups for NiceGUI, measured with the load harness (docs/benchmarks.md).

NiceGUI asks ``inspect.signature`` whether a handler takes arguments every time it wires one up:
three times for every element it creates (its props, classes and style each get a change handler)
and again on every event a page sends. Building a phone page made ~300 such calls; under a burst
of joins they were 15 % of the server's CPU (py-spy). A function's signature does not change, so
the answer is kept per function (weakly, so handlers of deleted pages still go).
"""

from __future__ import annotations

import types
import weakref
from collections.abc import Callable
from typing import Any

from nicegui import helpers

_original = helpers.expects_arguments
_functions: weakref.WeakKeyDictionary[Callable[..., Any], bool] = weakref.WeakKeyDictionary()
_methods: weakref.WeakKeyDictionary[Callable[..., Any], bool] = weakref.WeakKeyDictionary()


def expects_arguments(func: Callable[..., Any]) -> bool:
    """``nicegui.helpers.expects_arguments``, remembered per function (bound methods per class function)."""
    if isinstance(func, types.MethodType):
        cache, key = _methods, func.__func__  # a bound method's signature drops ``self``: its own cache
    elif isinstance(func, types.FunctionType):
        cache, key = _functions, func
    else:
        return _original(func)
    try:
        return cache[key]
    except KeyError:
        answer = cache[key] = _original(func)
        return answer


def install() -> None:
    """Patch NiceGUI's lookups (idempotent); every module reads it through ``helpers`` at call time."""
    helpers.expects_arguments = expects_arguments
