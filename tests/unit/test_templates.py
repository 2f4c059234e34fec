import pytest
import yaml

from rooms.templates import DEFAULT_TEMPLATE, SlidersActivity, TemplateError, load_template, parse_template

DIMENSIONS = ["positionering-intern", "proces-gemeente", "proces-bewoners", "bestuur-politiek", "communicatie"]


def test_default_template_holds_the_five_sliders() -> None:
    template = load_template()
    activity = template.activity("vijf-schuiven")
    assert isinstance(activity, SlidersActivity)
    assert [i.id for i in activity.items] == DIMENSIONS
    assert activity.position_ids() == ["now", "goal"]
    assert activity.reason
    assert template.threshold == 30 and template.group_size == 3


def _default() -> dict:
    return yaml.safe_load(DEFAULT_TEMPLATE.read_text())


@pytest.mark.parametrize(
    "change, where",
    [
        (lambda d: d.pop("activities"), "activities"),
        (lambda d: d.update(group_size=7), "group_size"),
        (lambda d: d["activities"][0].update(id="Bad Id"), "activities.0"),
        (lambda d: d["activities"].append(d["activities"][0]), "activity ids"),
        (lambda d: d["activities"][2]["items"].append(d["activities"][2]["items"][0]), "item ids"),
        (lambda d: d["activities"][2].update(colour="red"), "colour"),
    ],
)
def test_bad_templates_are_refused_with_the_field(change, where: str) -> None:
    data = _default()
    change(data)
    with pytest.raises(TemplateError) as info:
        parse_template(yaml.safe_dump(data), "mine.yaml")
    assert "mine.yaml" in str(info.value)
    assert where in str(info.value)


def test_not_yaml_is_refused() -> None:
    with pytest.raises(TemplateError, match="not valid YAML"):
        parse_template("id: [unclosed", "x.yaml")
    with pytest.raises(TemplateError, match="mapping"):
        parse_template("- just a list", "x.yaml")


def _activity(data: dict, activity_id: str) -> dict:
    return next(a for a in data["activities"] if a["id"] == activity_id)


def test_default_template_holds_the_whole_programme_in_order() -> None:
    template = load_template()
    assert [(a.id, a.kind) for a in template.activities] == [
        ("casus", "text"), ("pionier-doordenker", "sliders"), ("spanningsvelden", "sliders"),
        ("vijf-schuiven", "sliders"), ("bouwstenen", "cards"), ("koppelkansen", "choice"),
        ("sociale-innovatie", "sort"), ("competentiespel", "cards"), ("best-persons", "cards"),
        ("goede-gesprek", "practice"), ("werkagenda", "agenda"),
    ]
    deck = template.activity("competentiespel").deck  # type: ignore[union-attr]
    assert len(deck) >= 40 and all(card.explain for card in deck)
    assert len(template.activity("bouwstenen").categories) == 7  # type: ignore[union-attr]


@pytest.mark.parametrize(
    "change, where",
    [
        (lambda d: _activity(d, "competentiespel").pop("deck"), "needs a deck or notes"),
        (lambda d: _activity(d, "bouwstenen").update(categories=[_activity(d, "bouwstenen")["categories"][0]]),
         "at least two categories"),
        (lambda d: _activity(d, "best-persons").update(categories=[{"id": "a", "label": {"nl": "A"}}] * 2),
         "categories only go with"),
        (lambda d: _activity(d, "sociale-innovatie").update(bins=[{"id": "a", "label": {"nl": "A"}}]), "bins"),
        (lambda d: _activity(d, "werkagenda")["fields"][0].update(prefill=["goede-gesprek", "later"]),
         "'later' is not an earlier activity"),
        (lambda d: _activity(d, "werkagenda").update(suggest_from="casus"), "suggest_from"),
        (lambda d: _activity(d, "casus").update(kind="poll"), "activities.0"),
        (lambda d: _activity(d, "goede-gesprek").update(steps=[]), "steps"),
        (lambda d: _activity(d, "koppelkansen")["options"].append({"id": "gezonde-wijk", "label": {"nl": "x"}}),
         "option ids"),
        (lambda d: _activity(d, "competentiespel")["deck"].append({"id": "lef", "label": {"nl": "x"}}), "card ids"),
        (lambda d: _activity(d, "vijf-schuiven").update(reveal="sometimes"), "reveal"),
        (lambda d: d.update(padding="x" * 300_000), "larger than"),
    ],
)
def test_each_kind_of_bad_activity_is_refused_with_the_reason(change, where: str) -> None:
    data = _default()
    change(data)
    with pytest.raises(TemplateError) as info:
        parse_template(yaml.safe_dump(data, allow_unicode=True), "copy.yaml")
    assert "copy.yaml" in str(info.value)
    assert where in str(info.value)


def test_a_custom_template_with_other_sliders_and_deck_loads() -> None:
    custom = parse_template(
        """
id: mijn-werkplaats
title: {nl: Mijn werkplaats}
group_size: 4
activities:
  - kind: sliders
    id: samenwerking
    title: {nl: Samenwerking}
    positions: [{id: nu, label: {nl: Nu}}]
    items: [{id: vertrouwen, label: {nl: Vertrouwen}}, {id: tempo, label: {nl: Tempo}}]
    reveal: live
  - kind: cards
    id: rollen
    title: {nl: Rollen}
    deck: [{id: trekker, label: {nl: Trekker}}, {id: remmer, label: {nl: Remmer}}]
""",
        "mijn.yaml",
    )
    assert [a.id for a in custom.activities] == ["samenwerking", "rollen"]


def test_every_text_of_the_default_programme_has_its_english() -> None:
    """Dutch first, English second: every text the workbook's programme shows exists in both."""
    from pydantic import BaseModel

    from rooms.templates import Text, load_template

    missing: list[str] = []
    seen: list[Text] = []

    def walk(node: object, where: str) -> None:
        if isinstance(node, Text):
            seen.append(node)
            if not node.en.strip():
                missing.append(f"{where}: {node.nl[:40]}")
        elif isinstance(node, BaseModel):
            for name in type(node).model_fields:
                walk(getattr(node, name), f"{where}.{name}")
        elif isinstance(node, (list, tuple)):
            for index, child in enumerate(node):
                walk(child, f"{where}[{index}]")

    walk(load_template(), "template")
    assert len(seen) > 200  # the walk reaches the cards, steps and help texts, not just the titles
    assert not missing, missing
