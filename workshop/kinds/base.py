"""What a kind's module gives the app (``KindUI``), with the parts most kinds share as defaults:
their result shown as the engine's summary lines, no hotspots, no rounds."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, Protocol, TypeVar

from rooms.views import GroupView, HostView, ScreenView
from workshop.components.lines import LinesScreen, group_lines_html
from workshop.components.panels import Actions, Panel
from workshop.components.spotlight import HotspotEntry
from workshop.i18n import Tr

A = TypeVar("A")


class ScreenBlock(Protocol):
    """A kind's part of the screen, built once per activity and updated in place."""

    def update(self, view: ScreenView) -> None: ...


def lines_host_block(group: GroupView, activity: object, t: Tr) -> str:
    return group_lines_html(group)


def lines_screen_block(activity: object, t: Tr) -> ScreenBlock:
    return LinesScreen(t)


def no_hotspots(view: HostView, activity: object, t: Tr) -> list[HotspotEntry]:
    return []


def no_rounds(activity: object) -> bool:
    return False


@dataclass(frozen=True)
class KindUI(Generic[A]):
    """A kind as the app shows it; ``A`` is the kind's activity model from ``rooms.templates``."""

    panel: Callable[[A, Tr, Actions], Panel]  # the phone's part, built in the page's body
    host_block: Callable[[GroupView, A, Tr], str] = lines_host_block  # HTML inside a group's card
    screen_block: Callable[[A, Tr], ScreenBlock] = lines_screen_block  # built in the screen's body
    hotspots: Callable[[HostView, A, Tr], list[HotspotEntry]] = no_hotspots  # above the host's group cards
    has_rounds: Callable[[A], bool] = no_rounds  # whether the host may start a group's next round
