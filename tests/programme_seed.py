"""Plausible work for every group in an activity of the default programme, written through the
store as phones would: the layout and export tests fill whole programmes with it."""

from __future__ import annotations

import random

from rooms.kinds.practice import step_field, tips_field
from rooms.store import RoomStore
from rooms.templates import (
    AgendaActivity,
    CardsActivity,
    ChoiceActivity,
    PracticeActivity,
    SlidersActivity,
    SortActivity,
    TextActivity,
)


async def fill(store: RoomStore, code: str, activity_id: str, seed: int = 1, groups: int | None = None) -> None:
    """Every member of every group (of the first ``groups``) does the activity (the first member
    writes the group's texts)."""
    rnd = random.Random(seed)
    state = await store.load(code)
    assert state is not None
    act = state.template.activity(activity_id)
    for g in state.groups()[:groups]:
        members = state.members(g)
        first = members[0]
        for m in members:
            if isinstance(act, SlidersActivity):
                for item in act.items:
                    for p in act.positions:
                        await store.place(code, m.id, act.id, item.id, p.id, rnd.randint(5, 95))
                    if act.reason:
                        await store.write_reason(code, m.id, act.id, item.id, f"Omdat {m.name} het zo ziet")
            elif isinstance(act, CardsActivity):
                if act.notes is not None and m is first:
                    for n in range(1, 4):
                        await store.write_text(code, m.id, g, act.id, f"note-{n}", f"Spanning {n}: regels en ruimte")
                deck = [c.id for c in act.deck] or [f"note-{n}" for n in range(1, 4)]
                for card_id in deck:
                    if act.targets == "categories":
                        targets = rnd.sample([c.id for c in act.categories], 1)
                    else:
                        targets = rnd.sample([x.id for x in members], rnd.randint(1, 2))
                    await store.assign(code, m.id, g, act.id, card_id, targets)
                rating = act.rating_sliders()
                if rating is not None:
                    for item in rating.items:
                        for p in rating.positions:
                            await store.place(code, m.id, act.id, item.id, p.id, rnd.randint(5, 95))
                if act.actions is not None and m is first:
                    await store.write_text(code, m.id, g, act.id, act.actions.id, "Wekelijks overleg met de wijkteams")
            elif isinstance(act, SortActivity):
                for card in act.items:
                    await store.assign(code, m.id, g, act.id, card.id, [rnd.choice(act.bins).id])
            elif isinstance(act, ChoiceActivity):
                await store.choose(code, m.id, act.id, rnd.sample([o.id for o in act.options], 2))
                if m is first:
                    for f in act.fields:
                        await store.write_text(code, m.id, g, act.id, f.id, "Samen aan een gezonde, veilige wijk")
            elif isinstance(act, PracticeActivity) and m is first:
                for step in act.steps[:3]:
                    await store.write_text(code, m.id, g, act.id, step_field(1, step.id), "x")
                await store.write_text(code, m.id, g, act.id, tips_field(1), "Meer doorvragen, minder oordelen")
            elif isinstance(act, AgendaActivity) and m is first:
                for f in act.fields[2:4]:
                    await store.write_text(code, m.id, g, act.id, f.id, "Met de initiatiefnemers om tafel")
                for part, text in (("what", "Spreekuur in het dorpshuis"), ("who", m.name), ("when", "1 maart")):
                    await store.write_text(code, m.id, g, act.id, f"action-1-{part}", text)
            elif isinstance(act, TextActivity) and m is first:
                for f in act.fields:
                    text = f"Casus van groep {g}" if f.id == "titel" else f"Groep {g}: ideeën van inwoners lopen vast"
                    await store.write_text(code, m.id, g, act.id, f.id, text)
