"""What every kind's phone panel shares (the panels themselves live in ``workshop/kinds/``).

A panel builds its elements once per activity and then only updates them in place from the
participant's view (``rooms.views``). The helpers here send nothing when nothing changes: a flush
follows every event of the group, and most of them change little on a given phone."""

from __future__ import annotations

from typing import Protocol

from nicegui import ui

from rooms.views import ParticipantView
from workshop.components.shared_text import TextActions


class Actions(TextActions, Protocol):
    async def place(self, item: str, position: str, value: object) -> None: ...
    async def write_reason(self, item: str, text: str) -> None: ...
    async def assign(self, card: str, targets: list[str]) -> None: ...
    async def settle(self, card: str, targets: list[str]) -> None: ...
    async def take_proposal(self, key: str, avoid: list[str]) -> None: ...
    async def choose(self, options: list[str]) -> None: ...
    async def next_round(self) -> None: ...


class Panel(Protocol):
    def update(self, view: ParticipantView, editable: bool) -> None: ...


def set_countdown(element: ui.element, ends_at: float | None) -> None:
    """Point a countdown at ``ends_at``; sends nothing when it already is (flushes run often)."""
    value = str(ends_at or 0)
    if element.props.get("data-ends") != value:
        element.props(f"data-ends={value}")


def enable(element: ui.element, on: bool) -> None:
    """``set_enabled`` that sends nothing when nothing changes."""
    if getattr(element, "enabled", True) != on:
        element.set_enabled(on)  # type: ignore[attr-defined]


def press(button: ui.button, on: bool, editable: bool) -> None:
    """Show a toggle button as pressed or not; sends nothing when it already is."""
    if button.props.get("aria-pressed") != ("true" if on else "false"):
        button.props(f"aria-pressed={'true' if on else 'false'}")
        button.props(remove="outline" if on else "unelevated")
        button.props("unelevated" if on else "outline")
    enable(button, editable)
