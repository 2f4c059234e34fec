"""Themes: the room's reasons on one slider grouped by what they are about, with key phrases.

An aid for the facilitator, never a verdict: every theme lists the reasons it groups. Computed
here, on the server, with no network (``rooms.clustering``).

Which reasons go in is the caller's: a state the gate cut down (``rooms.gate``). A theme's
``key`` (its heaviest lemma) names it for the host's renames and merges, kept as room settings
(``theme-name:…``, ``theme-into:…``), so they survive recomputing as long as the theme does.
"""

from __future__ import annotations

import re

from pydantic import BaseModel

from rooms.clustering import MAX_THEMES, OTHER, STOPWORDS, group_texts, warm
from rooms.events import SettingChanged
from rooms.models import RoomState
from rooms.templates import SlidersActivity
from rooms.validate import Rejected, clean_text

__all__ = ["MAX_THEMES", "OTHER", "STOPWORDS", "Theme", "ThemeReason", "edit", "group_texts", "parse_mode",
           "reasons_of", "screen_mode", "setting_name", "themes", "warm"]


class ThemeReason(BaseModel):
    participant_id: str
    name: str
    group: int
    text: str


class Theme(BaseModel):
    key: str
    label: str
    phrases: list[str]
    reasons: list[ThemeReason]
    keys: list[str] = []  # the computed themes merged into this one (its own key first)


def reasons_of(state: RoomState, activity: SlidersActivity, item: str) -> list[ThemeReason]:
    """The reasons ``state`` holds for one slider (a state the gate cut down for its viewer)."""
    written = state.reasons.get(activity.id, {}).get(item, {})
    out = []
    for p in sorted(state.participants.values(), key=lambda p: p.number):
        text = written.get(p.id, "").strip()
        if text:
            out.append(ThemeReason(participant_id=p.id, name=p.name, group=p.group, text=text))
    return out


def themes(state: RoomState, activity: SlidersActivity, item: str, lang: str = "nl") -> list[Theme]:
    """The themes of one slider's reasons in ``state``, with the host's renames and merges applied."""
    reasons = reasons_of(state, activity, item)
    if not reasons:
        return []
    found: list[Theme] = []
    used: set[str] = set()
    for members, phrases in group_texts([r.text for r in reasons], lang):
        key = _key(phrases, used)
        label = phrases[0] if phrases else ""
        found.append(Theme(key=key, label=label, phrases=phrases, reasons=[reasons[i] for i in members], keys=[key]))
    return _edited(state, activity.id, item, found)


def _key(phrases: list[str], used: set[str]) -> str:
    base = re.sub(r"[^a-z0-9]+", "-", (phrases[0] if phrases else OTHER).lower()).strip("-")[:30] or OTHER
    key, n = base, 2
    while key in used:
        key, n = f"{base}-{n}", n + 1
    used.add(key)
    return key


LABEL_MAX = 60
PREFIX_MODE = "theme:"


def edit(state: RoomState, activity: str, item: str, key: object, *, label: object = None, into: object = None,
         now: float) -> SettingChanged:
    """The host renames a theme (``label``; empty: back to its key phrase) or merges it into
    another (``into``; empty: apart again). Kept as a room setting, so it replays and exports."""
    _slider(state, activity, item)
    if not isinstance(key, str) or not _KEY.match(key):
        raise Rejected("no-theme", "Dat thema bestaat niet.")
    if into is not None:
        if not isinstance(into, str) or (into and (not _KEY.match(into) or into == key)):
            raise Rejected("no-theme", "Dat thema bestaat niet.")
        name = setting_name("theme-into", activity, item, key)
        return SettingChanged(code=state.code, at=now, actor="host", name=name, value=into)
    text = clean_text(label, LABEL_MAX)
    name = setting_name("theme-name", activity, item, key)
    return SettingChanged(code=state.code, at=now, actor="host", name=name, value=text)


def _slider(state: RoomState, activity: str, item: str) -> SlidersActivity:
    from rooms.kinds import registry

    spec = state.template.activity(activity)
    sliders = registry.kind_of(spec).sliders(spec) if spec is not None else None
    if sliders is None or sliders.item(item) is None:
        raise Rejected("no-item", "Die schuif bestaat niet.")
    return sliders


def screen_mode(activity: str, item: str, key: str) -> str:
    """The screen's mode that shows one theme with its reasons."""
    return f"{PREFIX_MODE}{activity}:{item}:{key}"


def parse_mode(mode: str) -> tuple[str, str, str] | None:
    """(activity, item, key) of a theme's screen mode, or None."""
    match = _MODE.match(mode)
    return (match["activity"], match["item"], match["key"]) if match else None


_KEY = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
_MODE = re.compile(r"^theme:(?P<activity>[a-z0-9-]{1,40}):(?P<item>[a-z0-9-]{1,40}):(?P<key>[a-z0-9-]{1,40})$")


def setting_name(kind: str, activity: str, item: str, key: str) -> str:
    """The room setting that keeps a host's edit: ``theme-name`` (a label) or ``theme-into`` (a merge)."""
    return f"{kind}:{activity}:{item}:{key}"


def _edited(state: RoomState, activity: str, item: str, found: list[Theme]) -> list[Theme]:
    by_key = {t.key: t for t in found}

    def final(key: str) -> str:
        seen = {key}
        while (into := state.settings.get(setting_name("theme-into", activity, item, key))) in by_key:
            if into in seen:
                break
            seen.add(into)
            key = into
        return key

    for theme in list(found):
        target = by_key[final(theme.key)]
        if target is not theme:
            target.reasons = [*target.reasons, *theme.reasons]
            target.phrases = [*target.phrases, *(p for p in theme.phrases if p not in target.phrases)][:5]
            target.keys = [*target.keys, *theme.keys]
            found.remove(theme)
    for theme in found:
        label = state.settings.get(setting_name("theme-name", activity, item, theme.key))
        if label:
            theme.label = label
    return found
