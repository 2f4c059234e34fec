"""The owner the competence game proposes for an action: the member whose cards fit its words."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from rooms.owners import AGREED, MENTIONED, Member, Strength, Task, fit, propose
from rooms.templates import load_template

DECK = {c.id: c for c in load_template().activity("competentiespel").deck}  # type: ignore[union-attr]


def card(card_id: str, weight: int = AGREED) -> Strength:
    spec = DECK[card_id]
    words = spec.label.nl + " " + (spec.explain.nl if spec.explain else "")
    return Strength(label=spec.label.nl, words=words, weight=weight)


TEAM = [
    Member("a", "Anna", [card("verbinden"), card("humor")]),
    Member("b", "Bram", [card("netwerken"), card("presenteren")]),
    Member("c", "Cem", [card("structuur"), card("schrijven")]),
]


def test_bringing_residents_together_in_a_network_goes_to_the_networker() -> None:
    found = propose([Task("action-1", "bewoners samenbrengen in een netwerk")], TEAM)
    assert found["action-1"].member == "b"
    assert (found["action-1"].name, found["action-1"].card) == ("Bram", "Netwerken")


def test_each_action_gets_the_member_whose_card_fits_it() -> None:
    found = propose([Task("action-1", "Een plan met stappen schrijven voor de wijkaanpak"),
                     Task("action-2", "Het verhaal presenteren in de raad")], TEAM)
    assert found["action-1"].name == "Cem"
    assert (found["action-2"].name, found["action-2"].card) == ("Bram", "Presenteren")


def test_an_action_no_card_fits_gets_no_proposal_nor_one_without_words() -> None:
    assert propose([Task("action-1", "Koffie"), Task("action-2", "")], TEAM) == {}


def test_a_card_the_whole_group_gave_weighs_more_than_one_some_gave() -> None:
    team = [Member("a", "Anna", [card("netwerken", MENTIONED)]), Member("b", "Bram", [card("netwerken", AGREED)])]
    assert propose([Task("action-1", "Ons netwerk uitbreiden")], team)["action-1"].name == "Bram"


def test_a_tie_goes_to_whoever_has_fewest_actions() -> None:
    team = [Member("a", "Anna", [card("netwerken")]), Member("b", "Bram", [card("netwerken")])]
    tasks = [Task("action-1", "Netwerk van ondernemers", who="Anna"), Task("action-2", "Netwerk van scholen"),
             Task("action-3", "Netwerk van kerken")]
    found = propose(tasks, team)
    assert found["action-2"].name == "Bram"  # Anna has action 1 already
    assert found["action-3"].name == "Anna"  # now each has one; the order of the group decides
    assert found["action-1"].name == "Bram"  # a proposal is also made beside a wie that is filled


def test_a_dutch_compound_fits_the_words_it_is_made_of_less_than_the_same_word() -> None:
    assert fit(frozenset({"samenbrengen"}), frozenset({"samen", "brengen"})) == 1
    assert fit(frozenset({"netwerk", "samenbrengen"}), frozenset({"netwerk"})) == 2
    assert fit(frozenset({"koffie"}), frozenset({"netwerk"})) == 0


WORDS = sorted({w for c in DECK.values() for w in (c.label.nl + " " + (c.explain.nl if c.explain else "")).split()})


@given(
    st.lists(st.tuples(st.sampled_from(sorted(DECK)), st.sampled_from([AGREED, MENTIONED])), max_size=6).map(
        lambda cards: [card(c, w) for c, w in cards]),
    st.integers(min_value=0, max_value=4),
    st.lists(st.tuples(st.lists(st.sampled_from(WORDS), max_size=6), st.sampled_from(["", "Anna", "Zoë", "x"])),
             max_size=6),
)
def test_never_proposes_anyone_outside_the_group(strengths: list[Strength], size: int,
                                                 actions: list[tuple[list[str], str]]) -> None:
    names = ["Anna", "Bram", "Cem", "Dewi"][:size]
    members = [Member(f"p{i}", name, strengths[i::size] if size else []) for i, name in enumerate(names)]
    tasks = [Task(f"action-{i + 1}", " ".join(words), who) for i, (words, who) in enumerate(actions)]
    found = propose(tasks, members)
    by_id = {m.id: m for m in members}
    for action_id, proposal in found.items():
        assert proposal.member in by_id and by_id[proposal.member].name == proposal.name
        assert proposal.card in {s.label for s in by_id[proposal.member].strengths}
        assert action_id in {t.id for t in tasks if t.what}
