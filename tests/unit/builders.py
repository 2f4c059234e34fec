"""Build room states from events, without Redis."""

from __future__ import annotations

from rooms import commands
from rooms.events import Event, RoomCreated
from rooms.models import RoomState
from rooms.projection import apply
from rooms.templates import Template


class RoomBuilder:
    def __init__(self, template: Template, group_size: int = 3, threshold: int = 30) -> None:
        self.clock = 1_000.0
        self.events: list[Event] = []
        self.state: RoomState = self._emit(
            RoomCreated(code="ABCDEF", at=self.clock, actor="host", title="Test", template=template,
                        group_size=group_size, threshold=threshold)
        )

    def _emit(self, event: Event) -> RoomState:
        self.clock += 1
        event = event.model_copy(update={"seq": len(self.events) + 1})
        self.events.append(event)
        self.state = apply(getattr(self, "state", None), event)
        return self.state

    def join(self, name: str, pid: str | None = None, role: str | None = None) -> str:
        pid = pid or f"p{len(self.state.participants) + 1}"
        for event in commands.join(self.state, pid, name, self.clock, role):
            self._emit(event)
        return pid

    def start(self, activity: str) -> None:
        self._emit(commands.start(self.state, activity, self.clock))

    def place(self, pid: str, item: str, now: int, goal: int | None = None, activity: str = "vijf-schuiven") -> None:
        self._emit(commands.place(self.state.template, "ABCDEF", pid, activity, item, "now", now, self.clock))
        if goal is not None:
            self._emit(commands.place(self.state.template, "ABCDEF", pid, activity, item, "goal", goal, self.clock))

    def reason(self, pid: str, item: str, text: str) -> None:
        self._emit(commands.write_reason(self.state.template, "ABCDEF", pid, "vijf-schuiven", item, text, self.clock))

    def emit(self, event: Event) -> None:
        self._emit(event)
