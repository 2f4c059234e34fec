"""Co-editing a shared text through the store (issue 15): concurrent editors' updates all land,
a bad update changes nothing, a member's own document stays theirs, the host corrects as one more
editor, a stored plain text is a document's first content, and the replay shows the text as it was
at every moment."""

from __future__ import annotations

import asyncio

import pytest
from pycrdt import Doc, Text

from rooms import cotext, gate, layout
from rooms.commands import Rejected
from rooms.events import TextEdited, TextWritten
from rooms.exports import from_json, to_json
from rooms.layout import ops_for
from rooms.projection import fold
from rooms.replay import Replay
from rooms.store import RoomStore
from rooms.templates import Template, TextActivity, TextField
from rooms.templates import Text as Label
from rooms.views import participant_view
from tests.helpers import all_events
from tests.store.test_store import assert_live_equals_fold


class Phone:
    """A phone's editor: its own copy of the document, each keystroke one update."""

    def __init__(self, client_id: int, start: bytes) -> None:
        self.doc: Doc[Text] = Doc(client_id=client_id)
        self.doc.apply_update(start)
        self.text = self.doc.get(cotext.ROOT, type=Text)

    def type(self, chars: str, at: int | None = None) -> str:
        before = self.doc.get_state()
        raw = str(self.text)
        where = len(raw) if at is None else at
        self.text.insert(len(raw[:where].encode("utf-8")), chars)
        return cotext.b64(self.doc.get_update(before))


async def _room(store: RoomStore, template: Template, activity: str = "casus") -> tuple[str, list[str]]:
    code, _ = await store.create_room(template)
    people = [(await store.join(code, name)).id for name in ("Anna", "Bram", "Cem")]
    await store.start(code, activity)
    return code, people


async def test_three_phones_typing_at_once_all_land(store: RoomStore, template: Template) -> None:
    code, (anna, bram, cem) = await _room(store, template)
    phones = [Phone(n, cotext.EMPTY) for n in (11, 22, 33)]
    words = ["een twee drie", "vier vijf zes", "zeven acht"]

    async def typist(pid: str, phone: Phone, word: str) -> None:
        for ch in word:  # each at the end of its own copy: offline from each other, merged by the room
            await store.edit_text(code, pid, 1, "casus", "titel", phone.type(ch))

    await asyncio.gather(*(typist(p, ph, w) for p, ph, w in zip((anna, bram, cem), phones, words, strict=True)))
    state = await store.load(code)
    assert state is not None
    title = state.texts["casus"]["g1"]["titel"]
    assert sorted(title) == sorted("".join(words).strip()) or sorted(title.replace(" ", "")) == sorted(
        "".join(words).replace(" ", ""))
    for word in words:
        letters = iter(title)
        assert all(ch in letters for ch in word.strip())
    # a phone that loads now starts from the document and shows the same
    assert cotext.text_of(cotext.unb64(state.docs["casus"]["g1"]["titel"], cotext.DOC_MAX)).strip() == title
    view = participant_view(state, bram)
    assert view is not None and cotext.text_of(cotext.unb64(view.docs["titel"], cotext.DOC_MAX)).strip() == title
    await assert_live_equals_fold(store, code)


async def test_a_bad_or_oversized_update_changes_nothing(store: RoomStore, template: Template) -> None:
    code, (anna, _bram, _cem) = await _room(store, template)
    await store.edit_text(code, anna, 1, "casus", "titel", Phone(1, cotext.EMPTY).type("Skatebaan"))
    before = await store.load(code)
    count = len(await all_events(store, code))
    for bad, reason in [("bm9uc2Vuc2U=", "bad-update"), ("%%%", "bad-update"),
                        (cotext.b64(b"\x00" * (cotext.UPDATE_MAX + 1)), "update-too-large"),
                        (Phone(2, cotext.EMPTY).type("x" * 200), "text-full")]:
        with pytest.raises(Rejected) as refused:
            await store.edit_text(code, anna, 1, "casus", "titel", bad)
        assert refused.value.reason == reason
    with pytest.raises(Rejected, match="no-field"):  # a tick is not a text anyone edits
        await store.edit_text(code, anna, 1, "casus", "r1-step-x", Phone(3, cotext.EMPTY).type("x"))
    assert await store.load(code) == before
    assert len(await all_events(store, code)) == count
    # the same update again (a phone that reconnects and sends what it had pending): nothing new
    phone = Phone(4, cotext.unb64(before.docs["casus"]["g1"]["titel"], cotext.DOC_MAX))  # type: ignore[union-attr]
    update = phone.type("!")
    assert await store.edit_text(code, anna, 1, "casus", "titel", update) is not None
    assert await store.edit_text(code, anna, 1, "casus", "titel", update) is None
    assert len(await all_events(store, code)) == count + 1


async def test_a_text_written_whole_and_the_host_s_correction_are_edits_too(
    store: RoomStore, template: Template
) -> None:
    code, (anna, bram, _cem) = await _room(store, template)
    phone = Phone(5, cotext.EMPTY)
    await store.edit_text(code, anna, 1, "casus", "titel", phone.type("Skatebaan"))
    written = await store.write_text(code, bram, 1, "casus", "omschrijving", "Jongeren willen een skatbaan.")
    assert isinstance(written, TextEdited)
    state = await store.load(code)
    assert state is not None
    host = Phone(6, cotext.unb64(state.docs["casus"]["g1"]["omschrijving"], cotext.DOC_MAX))
    await store.correct_text(code, 1, "casus", "omschrijving", host.type("e", at=24))
    await store.lock(code, "casus")  # before the plenary: the host may still correct a typo
    await store.correct_text(code, 1, "casus", "titel", Phone(7, cotext.unb64(
        state.docs["casus"]["g1"]["titel"], cotext.DOC_MAX)).type(" in Coevorden"))
    with pytest.raises(Rejected):  # the phones may not, once it is locked
        await store.edit_text(code, anna, 1, "casus", "titel", phone.type("?"))
    state = await store.load(code)
    assert state is not None
    assert state.texts["casus"]["g1"] == {"titel": "Skatebaan in Coevorden",
                                          "omschrijving": "Jongeren willen een skatebaan."}
    await assert_live_equals_fold(store, code)


async def test_a_stored_plain_text_is_the_document_s_first_content(store: RoomStore, template: Template) -> None:
    code, (anna, _bram, _cem) = await _room(store, template)
    legacy = TextWritten(code=code, at=1.0, actor=anna, participant_id=anna, activity="casus", owner="g1",
                         field="titel", text="Skatebaan")
    await store._write(code, [legacy], [], ops_for(legacy, None))
    state = await store.load(code)
    assert state is not None and "casus" not in state.docs
    view = participant_view(state, anna)
    assert view is not None and view.texts["titel"] == "Skatebaan" and "titel" not in view.docs
    # the phone's editor starts from the seed of the plain text; its edit builds on it
    phone = Phone(8, layout.document(None, view.texts["titel"]))
    await store.edit_text(code, anna, 1, "casus", "titel", phone.type(" in Coevorden"))
    state = await store.load(code)
    assert state is not None and state.texts["casus"]["g1"]["titel"] == "Skatebaan in Coevorden"
    await assert_live_equals_fold(store, code)


async def test_a_member_s_own_document_reaches_nobody_else(store: RoomStore, template: Template) -> None:
    own = TextActivity(id="voor-jezelf", title=Label(nl="Voor jezelf"), scope="member",
                       fields=[TextField(id="notitie", label=Label(nl="Notitie"))])
    mine = Template.model_validate({**template.model_dump(), "activities": [*template.activities, own]})
    code, (anna, bram, _cem) = await _room(store, mine, "voor-jezelf")
    await store.edit_text(code, anna, 1, "voor-jezelf", "notitie", Phone(9, cotext.EMPTY).type("geheim"))
    state = await store.load(code)
    assert state is not None and state.texts["voor-jezelf"][anna]["notitie"] == "geheim"
    assert state.docs["voor-jezelf"][anna]["notitie"]
    for viewer in (gate.Member(bram), gate.Group(1), gate.Screen()):
        seen = gate.visible(state, viewer)
        assert anna not in seen.docs.get("voor-jezelf", {}) and anna not in seen.texts.get("voor-jezelf", {})
    assert participant_view(state, bram).docs == {}  # type: ignore[union-attr]
    assert participant_view(state, anna).docs.keys() == {"notitie"}  # type: ignore[union-attr]
    assert anna in gate.visible(state, gate.Host()).docs["voor-jezelf"]
    with pytest.raises(Rejected):  # the host corrects a group's text, not a member's own
        await store.correct_text(code, 1, "voor-jezelf", "notitie", Phone(10, cotext.EMPTY).type("x"))


async def test_the_replay_shows_the_text_as_it_was_while_typing(store: RoomStore, template: Template) -> None:
    code, (anna, _bram, _cem) = await _room(store, template)
    phone = Phone(12, cotext.EMPTY)
    for ch in "Skate":
        await store.edit_text(code, anna, 1, "casus", "titel", phone.type(ch))
    replay = Replay(await all_events(store, code))
    seen = [replay.state_after(n).texts.get("casus", {}).get("g1", {}).get("titel", "")
            for n in range(1, len(replay.events) + 1)]
    assert [t for i, t in enumerate(seen) if i == 0 or t != seen[i - 1]] == ["", "S", "Sk", "Ska", "Skat", "Skate"]


async def test_edits_survive_the_json_export_and_import(store: RoomStore, template: Template) -> None:
    code, (anna, bram, _cem) = await _room(store, template)
    phones = [Phone(13, cotext.EMPTY), Phone(14, cotext.EMPTY)]
    for ch in "Skate":
        await store.edit_text(code, anna, 1, "casus", "titel", phones[0].type(ch))
        await store.edit_text(code, bram, 1, "casus", "titel", phones[1].type(ch.upper()))
    events = await all_events(store, code)
    again = fold(from_json(to_json(events)))
    live = await store.load(code)
    assert again is not None and live is not None
    assert again.texts == live.texts and again.docs == live.docs
    assert sorted(live.texts["casus"]["g1"]["titel"]) == sorted("SkateSKATE")
