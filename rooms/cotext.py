"""Shared texts as CRDT documents: a field a trio writes together is a Yjs ``Y.Text``.

The phones edit their own copy of the document (Yjs in the browser) and send each change as a
Yjs update; the engine (``pycrdt``, the Python bindings of Yrs, the same engine's Rust port)
merges the updates into the room's copy. Merging is commutative and idempotent: whatever the
order in which the updates arrive, every copy ends with the same text, and nothing anybody typed
is lost. The room keeps, per field, the document's state (the one update that holds everything)
and its text as a plain string, which is all that views, the gate, exports and the PDF read.

A field that has plain text but no document yet (a room written before the documents, or a
text written whole) starts from ``seed(text)``: one insert by a client id derived from the
text, the same bytes in every process, so the fold stays a pure function of the events.

Everything here is pure and raises ``BadUpdate`` (with a message for the person) on bad input.
"""

from __future__ import annotations

import base64
import binascii
import zlib
from collections import OrderedDict

from pycrdt import Doc, Text, get_update

from rooms.validate import Rejected, visible

ROOT = "t"  # the name of the Y.Text in every document (the browser's editor uses the same)
UPDATE_MAX = 32_768  # bytes of one update: a pasted page of text is ~3 kB
DOC_MAX = 262_144  # bytes of a document's whole state (every insert and delete it ever had)
EMPTY = b"\x00\x00"  # the state of a document with nothing in it


class BadUpdate(Rejected):
    """An update that cannot be taken: a rejection like any other (a code for the program, a
    Dutch message for the person)."""


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def unb64(raw: object, limit: int = UPDATE_MAX) -> bytes:
    """The bytes of an update sent as base64; refuses anything else, and anything over ``limit``."""
    if not isinstance(raw, str) or not raw:
        raise BadUpdate("bad-update", "Deze wijziging kon niet worden gelezen; ververs de pagina.")
    if len(raw) > (limit + 2) // 3 * 4:
        raise BadUpdate("update-too-large", "Deze wijziging is te groot: plak een kortere tekst.")
    try:
        data = base64.b64decode(raw, validate=True)
    except (binascii.Error, ValueError):
        raise BadUpdate("bad-update", "Deze wijziging kon niet worden gelezen; ververs de pagina.") from None
    if len(data) > limit:
        raise BadUpdate("update-too-large", "Deze wijziging is te groot: plak een kortere tekst.")
    return data


def plain(raw: str) -> str:
    """The text as the room shows it: control characters left out, surrounding space trimmed
    (the same rule as for a text written whole)."""
    return visible(raw)


def _seed_client(text: str) -> int:
    return (zlib.crc32(text.encode("utf-8")) & 0x3FFFFFFF) | 0x40000000


def seed(text: str) -> bytes:
    """The document that holds ``text`` and nothing else, the same bytes wherever it is made."""
    if not text:
        return EMPTY
    doc: Doc[Text] = Doc(client_id=_seed_client(text))
    doc.get(ROOT, type=Text).insert(0, text)
    return doc.get_update()


def _doc(state: bytes) -> tuple[Doc[Text], Text]:
    doc: Doc[Text] = Doc()
    doc.apply_update(state)
    return doc, doc.get(ROOT, type=Text)


def text_of(state: bytes) -> str:
    """The document's text, exactly as the editors show it."""
    return str(_doc(state)[1])


def merge(state: bytes, update: bytes) -> tuple[bytes, str]:
    """The document after ``update``: (its new state, its text as the editors show it).

    Refuses (``BadUpdate``) an update that cannot be decoded, that builds on changes the document
    does not have (it would hang there unseen), or that makes anything but the one text.
    """
    after, raw = merge_b64(b64(state), update)
    return base64.b64decode(after), raw


# Documents parsed from a state (base64), kept for the next update of the same field: parsing a
# document is most of an edit's cost (~0.6 ms for a page of text typed key by key), and the fold
# and the store merge update after update into the state the last one produced. Keyed by the
# state itself, so a hit is exactly the document a parse would give (the encoding is canonical).
_PARSED: OrderedDict[str, Doc[Text]] = OrderedDict()
_PARSED_MAX = 256


def merge_b64(state: str, update: bytes) -> tuple[str, str]:
    """``merge`` with the states in base64, as the room keeps them."""
    doc = _PARSED.pop(state, None)
    try:
        if doc is None:
            doc = _doc(base64.b64decode(state))[0]
        doc.apply_update(update)
        after = doc.get_update()
        unseen = get_update(update, doc.get_state())
        names = set(doc.keys())
        raw = str(doc.get(ROOT, type=Text))
    except Exception:  # pycrdt raises ValueError and Rust panics alike on garbage
        raise BadUpdate("bad-update", "Deze wijziging kon niet worden gelezen; ververs de pagina.") from None
    if unseen[:1] != b"\x00" or names - {ROOT}:
        raise BadUpdate("bad-update", "Deze wijziging past niet bij de tekst; ververs de pagina.")
    if len(after) > DOC_MAX:
        raise BadUpdate("doc-too-large", "Deze tekst is te vaak gewijzigd; vraag de begeleider om hulp.")
    encoded = b64(after)
    _PARSED[encoded] = doc
    while len(_PARSED) > _PARSED_MAX:
        _PARSED.popitem(last=False)
    return encoded, raw


def replace(state: bytes, new: str, client_id: int) -> bytes:
    """The update that turns the document's text into ``new`` (one delete and one insert where
    the two differ): how a text written whole (a new note, a host's correction typed on the
    server side) becomes one more editor's change."""
    editor: Doc[Text] = Doc(client_id=client_id)
    editor.apply_update(state)
    ytext = editor.get(ROOT, type=Text)
    old = str(ytext)
    if old == new:
        return EMPTY
    start = 0
    while start < min(len(old), len(new)) and old[start] == new[start]:
        start += 1
    end_old, end_new = len(old), len(new)
    while end_old > start and end_new > start and old[end_old - 1] == new[end_new - 1]:
        end_old -= 1
        end_new -= 1
    # pycrdt counts positions in UTF-8 bytes (the browser's Yjs in UTF-16 units; the stored
    # document is the same either way)
    at, gone = len(old[:start].encode("utf-8")), len(old[start:end_old].encode("utf-8"))
    before = editor.get_state()
    with editor.transaction():
        if gone:
            del ytext[at:at + gone]
        if end_new > start:
            ytext.insert(at, new[start:end_new])
    return editor.get_update(before)


def diff(state: bytes, state_vector: bytes) -> bytes:
    """What a copy with ``state_vector`` lacks of the document (for an editor that reconnects)."""
    return get_update(state, state_vector)
