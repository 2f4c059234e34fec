"""Language: Dutch by default, English on request (``?lang=en``)."""

from __future__ import annotations

from rooms.templates import Text

LANGS = ("nl", "en")


def pick(lang: str | None) -> str:
    return lang if lang in LANGS else "nl"


class Tr:
    """``t("Dutch", "English")`` returns the text in the page's language."""

    def __init__(self, lang: str | None) -> None:
        self.lang = pick(lang)

    def __call__(self, nl: str, en: str) -> str:
        return en if self.lang == "en" else nl

    def text(self, text: Text | None) -> str:
        return text.get(self.lang) if text is not None else ""
