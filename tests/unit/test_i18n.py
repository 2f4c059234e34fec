"""Every message the app shows comes with its English from ``assets/i18n/en.json``."""

from __future__ import annotations

import ast
import string
from pathlib import Path

from workshop.i18n import Tr, english

ROOT = Path(__file__).resolve().parents[2] / "workshop"


def messages_in_code() -> dict[str, str]:
    """Dutch messages passed to a translator (``t(...)``, ``tr(...)``, ``self.t(...)``), with where."""
    found: dict[str, str] = {}
    for path in ROOT.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            func = node.func
            name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
            if name in {"t", "tr"} and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str):
                found[node.args[0].value] = f"{path.relative_to(ROOT.parent)}:{node.lineno}"
            # lookups through a table of Dutch messages
    return found


def table_messages() -> set[str]:
    from workshop.components.exports_panel import FORMAT_LABELS
    from workshop.pages.host import REVEAL_TEXT, STATUS_TEXT

    return {*FORMAT_LABELS.values(), *REVEAL_TEXT.values(), *STATUS_TEXT.values()}


def fields(text: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(text) if f}


def test_every_message_has_its_english_with_the_same_placeholders() -> None:
    catalogue = english()
    used = {**messages_in_code(), **{m: "a table" for m in table_messages()}}
    missing = {m: where for m, where in used.items() if m not in catalogue}
    assert not missing, f"messages without English: {missing}"
    unused = set(catalogue) - set(used)
    assert not unused, f"English for messages the code no longer has: {unused}"
    for dutch, en in catalogue.items():
        assert en.strip(), f"empty English for {dutch!r}"
        assert fields(dutch) == fields(en), f"placeholders differ: {dutch!r} / {en!r}"


def test_the_translator() -> None:
    assert Tr("en")("Groep {group}", group=3) == "Group 3"
    assert Tr("nl")("Groep {group}", group=3) == "Groep 3"
    assert Tr("fr").lang == "nl"
