"""Every message the app and the engine show comes with its English from ``assets/i18n/en.json``."""

from __future__ import annotations

import ast
import string
from collections.abc import Iterator
from pathlib import Path

from rooms.commands import Rejected
from rooms.i18n import translate
from rooms.limits import RateLimited
from workshop.i18n import Tr, english

ROOT = Path(__file__).resolve().parents[2]
SOURCES = ("workshop", "rooms")
#: where a translator call has its message: the app's ``t("…")``, the engine's ``translate(lang, "…")``,
#: a rejection's ``Rejected(code, "…")`` (and a subclass's ``super().__init__(code, "…")``), a refused
#: import's ``ImportError_(code, "…")``, a refused text update's ``BadUpdate(code, "…")``
MESSAGE_AT = {"t": 0, "tr": 0, "translate": 1, "Rejected": 1, "__init__": 1, "ImportError_": 1, "BadUpdate": 1}


def translator_calls() -> Iterator[tuple[ast.Call, ast.expr, str]]:
    """Every call of a translator in the app and the engine: the call, its message argument, and where."""
    for source in SOURCES:
        for path in (ROOT / source).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text())):
                if not isinstance(node, ast.Call):
                    continue
                func = node.func
                name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
                at = MESSAGE_AT.get(name)
                if at is None or len(node.args) <= at:
                    continue
                if name in {"Rejected", "__init__", "ImportError_"} and not is_text(node.args[0]):
                    continue  # another class's __init__, not a rejection with its code first
                yield node, node.args[at], f"{path.relative_to(ROOT)}:{node.lineno}"


def is_text(node: ast.expr) -> bool:
    return isinstance(node, ast.Constant) and isinstance(node.value, str)


def messages_in_code() -> dict[str, str]:
    """Dutch messages passed to a translator, with where."""
    return {message.value: where for _, message, where in translator_calls()
            if isinstance(message, ast.Constant) and isinstance(message.value, str)}


def table_messages() -> set[str]:
    # lookups through a table of Dutch messages
    from rooms.exports import HEADERS
    from rooms.kinds.agenda import PART_LABELS
    from workshop.components.exports_panel import FORMAT_LABELS
    from workshop.pages.host import REVEAL_TEXT, STATUS_TEXT

    return {*FORMAT_LABELS.values(), *REVEAL_TEXT.values(), *STATUS_TEXT.values(), *HEADERS.values(),
            *PART_LABELS.values()}


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


def test_every_message_is_one_the_check_can_read() -> None:
    """A message built in code (an f-string, a concatenation) would never reach the catalogue, and
    one whose placeholders and parameters differ would show its braces or fail when shown."""
    built = [where for _, message, where in translator_calls() if isinstance(message, (ast.JoinedStr, ast.BinOp))]
    assert not built, f"messages built in code instead of named placeholders: {built}"
    mismatched = []
    for call, message, where in translator_calls():
        if not isinstance(message, ast.Constant) or not isinstance(message.value, str):
            continue  # a table lookup
        if any(k.arg is None for k in call.keywords):
            continue  # parameters passed on as a whole (``**params``)
        if fields(message.value) != {k.arg for k in call.keywords}:
            mismatched.append(where)
    assert not mismatched, f"placeholders and parameters differ: {mismatched}"


def test_the_translator() -> None:
    assert Tr("en")("Groep {group}", group=3) == "Group 3"
    assert Tr("nl")("Groep {group}", group=3) == "Groep 3"
    assert Tr("fr").lang == "nl"
    assert translate("en", "Groep {group}", group=3) == "Group 3"


def test_a_rejection_speaks_the_language_of_the_person_who_asked() -> None:
    rejected = Rejected("too-long", "Dat is te lang: hooguit {limit} tekens.", limit=40)
    assert rejected.reason == "too-long"
    assert rejected.text("nl") == "Dat is te lang: hooguit 40 tekens."
    assert rejected.text("en") == "That is too long: at most 40 characters."
    assert RateLimited(130).text("en") == "Too many attempts from this network. Please try again in 3 minutes."
