import pytest
import yaml

from rooms.templates import DEFAULT_TEMPLATE, TemplateError, load_template, parse_template

DIMENSIONS = ["positionering-intern", "proces-gemeente", "proces-bewoners", "bestuur-politiek", "communicatie"]


def test_default_template_holds_the_five_sliders() -> None:
    template = load_template()
    activity = template.activity("vijf-schuiven")
    assert activity is not None
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
