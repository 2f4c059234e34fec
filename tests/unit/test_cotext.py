"""Shared texts as CRDT documents (issue 15): three editors' updates converge in every delivery
order, the fold merges them the same way, and bad updates change nothing."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pycrdt import Doc, Text

from rooms import cotext, layout
from rooms.commands import Rejected, clean_text, edit_text
from rooms.events import RoomCreated, TextEdited, TextWritten
from rooms.projection import fold
from rooms.templates import load_template

TEMPLATE = load_template()

# one editor's keystrokes: type a character at a place (as a fraction of the text), or delete one
keystroke = st.one_of(
    st.tuples(st.just("type"), st.floats(0, 1), st.sampled_from("abcdeé😀 .\n")),
    st.tuples(st.just("delete"), st.floats(0, 1)),
)


class Editor:
    """One phone's copy of the document (pycrdt here, Yjs in the browser: the same format)."""

    def __init__(self, client_id: int, start: bytes) -> None:
        self.doc: Doc[Text] = Doc(client_id=client_id)
        self.doc.apply_update(start)
        self.text = self.doc.get(cotext.ROOT, type=Text)
        self.updates: list[bytes] = []

    def press(self, key: tuple[object, ...]) -> None:
        before = self.doc.get_state()
        raw = str(self.text)
        at = int(float(key[1]) * len(raw))  # type: ignore[arg-type]
        offset = len(raw[:at].encode("utf-8"))  # pycrdt counts in UTF-8 bytes
        if key[0] == "type":
            self.text.insert(offset, str(key[2]))
        elif raw:
            at = min(at, len(raw) - 1)
            offset = len(raw[:at].encode("utf-8"))
            del self.text[offset:offset + len(raw[at].encode("utf-8"))]
        else:
            return
        self.updates.append(self.doc.get_update(before))

    def receive(self, update: bytes) -> None:
        self.doc.apply_update(update)


def interleavings(editors: list[Editor], rng: random.Random) -> list[tuple[int, bytes]]:
    """All editors' updates in one random order that keeps each editor's own order."""
    queues = [list(e.updates) for e in editors]
    out: list[tuple[int, bytes]] = []
    while any(queues):
        i = rng.choice([i for i, q in enumerate(queues) if q])
        out.append((i, queues[i].pop(0)))
    return out


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(keystroke, max_size=25), min_size=3, max_size=3), st.text(max_size=12),
       st.integers(0, 2**32))
def test_three_editors_converge_in_every_delivery_order(keys: list[list[tuple[object, ...]]], typed: str,
                                                        seed: int) -> None:
    start = clean_text(typed, 1000)  # the field's first text, as a phone's written text reaches the room
    base = cotext.seed(start)
    editors = [Editor(client_id, base) for client_id in (101, 202, 303)]
    for presses in zip(*[k + [()] * (25 - len(k)) for k in keys], strict=True):
        for editor, key in zip(editors, presses, strict=True):
            if key:
                editor.press(key)
    rng = random.Random(seed)
    texts = set()
    for _ in range(4):  # the three phones' updates interleaved at random (each phone's own in its order)
        doc: Doc[Text] = Doc()
        doc.apply_update(base)
        for _i, update in interleavings(editors, rng):
            doc.apply_update(update)
        texts.add(str(doc.get(cotext.ROOT, type=Text)))
    # the fold, fed the edits as the room's stream in orders that keep each phone's own order
    for _ in range(3):
        events: list[RoomCreated | TextWritten | TextEdited] = [
            RoomCreated(code="C", at=0, actor="host", title="t", template=TEMPLATE, group_size=3, threshold=50),
            TextWritten(code="C", at=1, actor="p", participant_id="p", activity="casus", owner="g1", field="titel",
                        text=start),
        ]
        for n, (i, update) in enumerate(interleavings(editors, rng)):
            events.append(TextEdited(code="C", at=2 + n, actor=f"p{i}", participant_id=f"p{i}", activity="casus",
                                     owner="g1", field="titel", update=cotext.b64(update)))
        state = fold(events)
        assert state is not None
        texts.add(cotext.text_of(layout.document(state.docs.get("casus", {}).get("g1", {}).get("titel"), start)))
        assert state.texts.get("casus", {}).get("g1", {}).get("titel", "") == cotext.plain(next(iter(texts)))
    # and each phone that gets everyone's updates shows the same text too
    for editor in editors:
        for other in editors:
            for update in other.updates:
                editor.receive(update)
        texts.add(str(editor.text))
    assert len(texts) == 1


@settings(max_examples=40, deadline=None)
@given(st.lists(st.text(alphabet="abcdefgh ", min_size=1, max_size=12), min_size=3, max_size=3), st.integers())
def test_each_typist_s_letters_arrive_in_their_order(words: list[str], seed: int) -> None:
    """Three people typing at once, each at their own place, offline from each other: every
    letter each typed is in the merged text, in the order they typed it."""
    editors = [Editor(client_id, cotext.EMPTY) for client_id in (7, 8, 9)]
    rng = random.Random(seed)
    for step in range(max(len(w) for w in words)):
        for editor, word in zip(editors, words, strict=True):
            if step < len(word):
                raw = str(editor.text)
                editor.press(("type", len(raw) / max(len(raw), 1), word[step]))
    state = cotext.EMPTY
    for _i, update in interleavings(editors, rng):
        state, _text = cotext.merge(state, update)
    text = cotext.text_of(state)
    assert sorted(text) == sorted("".join(words))
    for word in words:
        letters = iter(text)
        assert all(ch in letters for ch in word), (word, text)


def test_a_seed_is_the_same_document_everywhere_and_holds_its_text() -> None:
    assert cotext.seed("Skatebaan é 😀") == cotext.seed("Skatebaan é 😀")
    assert cotext.text_of(cotext.seed("Skatebaan é 😀")) == "Skatebaan é 😀"
    assert cotext.seed("") == cotext.EMPTY and cotext.text_of(cotext.EMPTY) == ""


@pytest.mark.parametrize(("old", "new"), [("", "abc"), ("Ideeën ok", "Ideeën oké!"), ("a😀b", "a😀😀b"),
                                          ("een twee", "een drie twee"), ("weg", "")])
def test_a_text_written_whole_becomes_one_editor_s_change(old: str, new: str) -> None:
    base = cotext.seed(old)
    _after, text = cotext.merge(base, cotext.replace(base, new, 4242))
    assert text == new


def _edit(update: object, text: str = "", doc: str | None = None,
          limit: int = 20) -> tuple[TextEdited, str, str] | None:
    return edit_text(TEMPLATE, "C", "p1", "g1", "casus", "titel", limit, update, doc, text, 1.0)


def _typed(text: str, base: bytes = cotext.EMPTY) -> bytes:
    editor = Editor(55, base)
    editor.press(("type", 1.0, text))
    return editor.updates[0]


def test_an_edit_is_refused_with_a_clear_message_when_it_is_bad() -> None:
    for bad in ("", "not base64!", 42, None, cotext.b64(b"\x05garbage")):
        with pytest.raises(Rejected) as refused:
            _edit(bad)
        assert refused.value.reason == "bad-update"
        assert "ververs de pagina" in refused.value.nl
    with pytest.raises(Rejected) as refused:
        _edit(cotext.b64(b"\x00" * (cotext.UPDATE_MAX + 10)))
    assert refused.value.reason == "update-too-large"
    with pytest.raises(Rejected) as refused:  # the field's cap holds for the merged text
        _edit(cotext.b64(_typed("x" * 21)))
    assert refused.value.reason == "text-full" and "hooguit 20 tekens" in refused.value.nl
    # an update that builds on letters the room's document does not have would hang there unseen
    editor = Editor(66, cotext.EMPTY)
    editor.press(("type", 0, "a"))
    editor.press(("type", 1, "b"))
    with pytest.raises(Rejected, match="bad-update"):
        _edit(cotext.b64(editor.updates[1]))
    # a document that holds anything but the one text
    other: Doc[Text] = Doc(client_id=77)
    other.get("elders", type=Text).insert(0, "verstopt")
    with pytest.raises(Rejected, match="bad-update"):
        _edit(cotext.b64(other.get_update()))


def test_an_edit_merges_into_the_document_and_a_repeat_is_no_change() -> None:
    result = _edit(cotext.b64(_typed("Skate")))
    assert result is not None
    event, doc, text = result
    assert text == "Skate" and event.owner == "g1" and event.field == "titel"
    assert _edit(event.update, "Skate", doc) is None  # sent again after a reconnect: nothing new
    more = _typed("baan", cotext.unb64(doc, cotext.DOC_MAX))
    again = _edit(cotext.b64(more), "Skate", doc)
    assert again is not None and again[2] == "Skatebaan"


def test_a_legacy_text_is_the_document_s_first_content() -> None:
    """A stored room's plain ``TextWritten``: the first edit builds on it, in the fold too."""
    events: list[RoomCreated | TextWritten | TextEdited] = [
        RoomCreated(code="C", at=0, actor="host", title="t", template=TEMPLATE, group_size=3, threshold=50),
        TextWritten(code="C", at=1, actor="p", participant_id="p", activity="casus", owner="g1", field="titel",
                    text="Skatebaan"),
    ]
    state = fold(events)
    assert state is not None and "casus" not in state.docs
    start = layout.document(None, "Skatebaan")
    events.append(TextEdited(code="C", at=2, actor="p", participant_id="p", activity="casus", owner="g1",
                             field="titel", update=cotext.b64(cotext.replace(start, "Skatebaan in Coevorden", 9))))
    state = fold(events)
    assert state is not None and state.texts["casus"]["g1"]["titel"] == "Skatebaan in Coevorden"
    # a crafted edit in a stream (an import) changes nothing and does not stop the fold
    events.append(TextEdited(code="C", at=3, actor="p", participant_id="p", activity="casus", owner="g1",
                             field="titel", update=cotext.b64(b"\x07nonsense")))
    later = fold(events)
    assert later is not None and later.texts["casus"]["g1"]["titel"] == "Skatebaan in Coevorden"


@pytest.mark.parametrize(("typed", "kept"), [
    ("gezin 👨\u200d👩\u200d👧", "gezin 👨\u200d👩\u200d👧"),  # the joiner holds the family together
    ("\U00018cd6 nieuw", "\U00018cd6 nieuw"),  # a character newer than this Python's tables stays
    ("An\x00na\x07", "Anna"), ("\u202eanna\u202c", "anna"), ("  regel\nregel\t ", "regel\nregel"),
])
def test_a_text_keeps_what_people_see_and_loses_controls_alike_whole_or_edited(typed: str, kept: str) -> None:
    assert clean_text(typed, 100) == kept
    assert cotext.plain(typed) == kept  # the same rule for a text typed in the shared editor
