"""Input at the edge: plain text, names and slider values made safe, and the rejection a person
sees when they cannot be (a code for the program, a message in their language)."""

from __future__ import annotations

import math
import re
import unicodedata

from rooms.i18n import translate
from rooms.models import NAME_MAX
from rooms.templates import AnyActivity, Template


class Rejected(Exception):
    """A command that cannot be carried out: ``reason`` is the code for the program; the Dutch
    ``message`` (the catalogue's key, with named placeholders) and its ``params`` are for the
    person who asked, in their language through ``text(lang)``."""

    def __init__(self, reason: str, message: str, /, **params: object) -> None:
        super().__init__(reason)
        self.reason = reason
        self.message = message
        self.params = params

    def text(self, lang: str = "nl") -> str:
        return translate(lang, self.message, **self.params)

    @property
    def nl(self) -> str:
        return self.text("nl")

    @property
    def en(self) -> str:
        return self.text("en")


_SPACE = re.compile(r"\s+")


# What a text may not hold: control characters (but new line and tab), lone surrogates, and the
# bidirectional overrides and isolates that can make a name read backwards. Format characters
# such as the zero-width joiner stay (they hold emoji like a family together), and so do
# characters this Python's Unicode tables do not know yet (a newer emoji is still an emoji).
_BIDI = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def visible(raw: str) -> str:
    """``raw`` without what a text may not hold, surrounding space trimmed."""
    if raw.replace("\n", "").replace("\t", "").isprintable():  # the usual case, without a look per letter
        return raw.strip()
    return "".join(ch for ch in raw
                   if ch in "\n\t" or (unicodedata.category(ch) not in ("Cc", "Cs") and ch not in _BIDI)).strip()


def clean_text(raw: object, limit: int) -> str:
    """Plain text: control characters removed, surrounding space trimmed, bounded."""
    if not isinstance(raw, str):
        raise Rejected("not-text", "Dat is geen tekst.")
    text = visible(raw)
    if len(text) > limit:
        raise Rejected("too-long", "Dat is te lang: hooguit {limit} tekens.", limit=limit)
    return text


# Format characters a name keeps: the joiner that holds an emoji together, and the tags of a flag
# like Scotland's. Any other (zero-width space, soft hyphen, direction marks) is invisible in a
# name: it would make a name of nothing, or a second "Anna" that reads the same as the first.
_NAME_FORMAT = frozenset("\u200d") | frozenset(map(chr, range(0xE0020, 0xE0080)))


def clean_name(raw: object) -> str:
    if not isinstance(raw, str):
        raise Rejected("not-text", "Vul een naam in.")
    text = clean_text(raw.replace("\n", " "), 10_000)
    if not text.isprintable():
        text = "".join(ch for ch in text if ch in _NAME_FORMAT or unicodedata.category(ch) != "Cf")
    name = _SPACE.sub(" ", text).strip()
    if not name:
        raise Rejected("name-empty", "Vul een naam in.")
    if len(name) > NAME_MAX:
        raise Rejected("name-too-long", "Die naam is te lang: hooguit {limit} tekens.", limit=NAME_MAX)
    return name


def unique_name(name: str, taken: set[str]) -> str:
    """The name itself, or with a suffix (" 2", " 3", …) if someone in the room already has it."""
    lowered = {t.casefold() for t in taken}
    if name.casefold() not in lowered:
        return name
    n = 2
    while True:
        suffix = f" ({n})"
        candidate = name[: NAME_MAX - len(suffix)] + suffix
        if candidate.casefold() not in lowered:
            return candidate
        n += 1


def clean_value(raw: object) -> int:
    """A slider value: a whole number from 0 to 100."""
    if isinstance(raw, bool):
        raw = None
    value: float | None
    if isinstance(raw, int | float):
        value = float(raw)
    elif isinstance(raw, str):
        try:
            value = float(raw.strip().replace(",", "."))
        except ValueError:
            value = None
    else:
        value = None
    if value is None or not math.isfinite(value):
        raise Rejected("not-a-number", "Vul een getal van 0 tot 100 in.")
    if not 0 <= value <= 100:
        raise Rejected("out-of-range", "Kies een waarde van 0 tot 100.")
    return round(value)


def any_activity(template: Template, activity_id: object) -> AnyActivity:
    activity = template.activity(activity_id) if isinstance(activity_id, str) else None
    if activity is None:
        raise Rejected("no-activity", "Deze oefening bestaat niet.")
    return activity
