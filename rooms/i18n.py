"""Language: Dutch by default, English on request; the English comes from one catalogue.

A message is written in Dutch where it is made, with named placeholders:
``translate(lang, "Groep {group}", group=3)``. The Dutch text is the key into
``assets/i18n/en.json`` (gettext's way, with Dutch as the source language). The engine's texts
(rejections, summaries, room lines, replay sentences, the PDF report) and the app's
(``workshop.i18n.Tr``) go through this one function, so a report rendered by the RQ worker or
the CLI reads the same as the page. ``tests/unit/test_i18n.py`` checks that every message in
the code has its English and that the catalogue holds nothing unused.
Texts of a programme (titles, help, cards) come from its template, in both languages.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

LANGS = ("nl", "en")
CATALOGUE = Path(__file__).resolve().parent.parent / "assets" / "i18n" / "en.json"


def pick(lang: str | None) -> str:
    """A supported language: the one asked for, or Dutch."""
    return lang if lang in LANGS else "nl"


@lru_cache(maxsize=1)
def english() -> dict[str, str]:
    data = json.loads(CATALOGUE.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return {str(k): str(v) for k, v in data.items()}


def translate(lang: str, message: str, /, **params: object) -> str:
    """``message`` (Dutch, the key) in ``lang``, its placeholders filled from ``params``."""
    text = english().get(message, message) if lang == "en" else message
    return text.format(**params) if params else text
