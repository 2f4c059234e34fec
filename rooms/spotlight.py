"""The spotlight: the host puts one group's slider on the screen, with the reasons behind it.

The screen's mode names what it shows (``RoomState.screen``); a spotlight's mode is
``spotlight:<anon|names>:<group>:<activity>:<item>``, so the choice travels as one
``ScreenChanged`` event, replays as one, and the screen never needs to be told anything else.
Anonymised is the default: the room sees "Deelnemer A/B/C" beside the reasons unless the host
chose to show names. What the screen may know of it is decided by the gate
(``rooms.gate.Spotlight``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

PREFIX = "spotlight:"
_MODE = re.compile(r"^spotlight:(?P<names>anon|names):(?P<group>[0-9]{1,6}):(?P<activity>[a-z0-9-]{1,40}):"
                   r"(?P<item>[a-z0-9-]{1,40})$")


@dataclass(frozen=True)
class Spot:
    """One group's item of one sliders activity, shown with names or anonymised."""

    group: int
    activity: str
    item: str
    names: bool = False

    def mode(self) -> str:
        return f"{PREFIX}{'names' if self.names else 'anon'}:{self.group}:{self.activity}:{self.item}"


def parse(mode: str) -> Spot | None:
    """The spot a screen mode names, or None when the mode is no spotlight (or not a valid one)."""
    match = _MODE.match(mode)
    if match is None:
        return None
    return Spot(group=int(match["group"]), activity=match["activity"], item=match["item"],
                names=match["names"] == "names")


def letter(index: int) -> str:
    """The anonymous mark of the ``index``-th member of a group: A, B, C, …"""
    return chr(ord("A") + index) if index < 26 else str(index + 1)
