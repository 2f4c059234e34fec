"""Language: Dutch by default, English on request; the English comes from a translation file.

A message is written in Dutch where it is used, with named placeholders:
``t("Groep {group}", group=3)``. The catalogue and the translation are the engine's
(``rooms.i18n``), shared with the texts the engine renders itself (rejections, summaries,
replay sentences, the PDF report); ``Tr`` binds them to a page's language.
"""

from __future__ import annotations

from typing import Any

from rooms.i18n import CATALOGUE, LANGS, english, pick, translate
from rooms.templates import Text

__all__ = ["CATALOGUE", "LANGS", "Tr", "english", "pick"]


class Tr:
    """``t("Dutch {x}", x=…)`` returns the message in the page's language."""

    def __init__(self, lang: str | None) -> None:
        self.lang = pick(lang)

    def __call__(self, message: str, /, **values: Any) -> str:
        return translate(self.lang, message, **values)

    def text(self, text: Text | None) -> str:
        return text.get(self.lang) if text is not None else ""
