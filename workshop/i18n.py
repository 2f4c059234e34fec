"""Language: Dutch by default, English on request; the English comes from a translation file.

A message is written in Dutch where it is used, with named placeholders:
``t("Groep {group}", group=3)``. The Dutch text is the key into ``assets/i18n/en.json``
(gettext's way, with Dutch as the source language). ``tests/unit/test_i18n.py`` checks
that every message in the code has its English and that the file holds nothing unused.
Texts of a programme (titles, help, cards) come from its template, in both languages.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

from rooms.templates import Text

LANGS = ("nl", "en")
CATALOGUE = Path(__file__).resolve().parent.parent / "assets" / "i18n" / "en.json"


def pick(lang: str | None) -> str:
    return lang if lang in LANGS else "nl"


@lru_cache(maxsize=1)
def english() -> dict[str, str]:
    data = json.loads(CATALOGUE.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return {str(k): str(v) for k, v in data.items()}


class Tr:
    """``t("Dutch {x}", x=…)`` returns the message in the page's language."""

    def __init__(self, lang: str | None) -> None:
        self.lang = pick(lang)

    def __call__(self, message: str, /, **values: Any) -> str:
        text = english().get(message, message) if self.lang == "en" else message
        return text.format(**values) if values else text

    def text(self, text: Text | None) -> str:
        return text.get(self.lang) if text is not None else ""
