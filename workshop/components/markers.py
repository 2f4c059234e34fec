"""HTML for markers on a track: positions of a group's members, as plain escaped text."""

from __future__ import annotations

from html import escape

from rooms.views import Marker


def initials(name: str) -> str:
    parts = [p for p in name.replace("(", " ").replace(")", " ").split() if p]
    if not parts:
        return "?"
    if len(parts) == 1:
        return parts[0][:2]
    return (parts[0][0] + parts[-1][0]).upper()


def marker_css(index: int) -> str:
    """A position's colour: the first (now), the second (goal), then a perspective."""
    return ("now", "goal")[index] if index < 2 else "persp"


def track(markers: list[Marker], position: str, css: str) -> str:
    dots = []
    lane, lanes, previous = 0, 0, -100
    for m in sorted(markers, key=lambda m: m.values.get(position, 0)):
        if position not in m.values:
            continue
        value = m.values[position]
        # near-equal markers stack instead of hiding each other
        lane = lane + 1 if value - previous < 12 else 0  # a dot is ~11 points of a phone track wide
        lanes, previous = max(lanes, lane), value
        label = escape(f"{m.name}: {value}")
        # ``data-p``: the person, so that a phone marks its own dots (the HTML is the trio's, shared)
        dots.append(
            f'<span class="wp-dot {css}" data-p="{m.number}" style="left:{value}%;bottom:{-12 + lane * 28}px"'
            f' title="{label}" aria-label="{label}">{escape(initials(m.name))}</span>'
        )
    spoken = ", ".join(f"{m.name}: {m.values[position]}" for m in markers if position in m.values)
    height = f' style="height:{34 + lanes * 28}px"' if lanes else ""
    return (f'<div class="wp-track"{height} role="img" aria-label="{escape(spoken or "–")}">'
            f'{"".join(dots)}</div>')


def reasons(markers: list[Marker], positions: list[str], empty: str, testid: str = "") -> str:
    """Each member's name, values and reason, as a list beside the markers (``empty`` stands in
    for a reason nobody wrote)."""
    rows = []
    for m in markers:
        figures = " / ".join(str(m.values.get(p, "–")) for p in positions)
        said = escape(m.reason) if m.reason.strip() else f"<i>{escape(empty)}</i>"
        rows.append(f'<li><b>{escape(m.name)}</b> <span class="wp-figs">{figures}</span>: '
                    f'<span class="wp-why">{said}</span></li>')
    attr = f' data-testid="{testid}"' if testid else ""
    return f'<ul class="wp-reasons"{attr}>{"".join(rows)}</ul>'
