"""Workshop programmes (templates): what activities a room runs, in which order.

A template is a YAML file validated by pydantic. It is copied into the room when
the room is created, so a room keeps working (and replaying) even if the file
changes later.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal, get_args

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from rooms.kept import KeptFor
from rooms.template_parts import (  # the parts every activity is made of
    DEFAULT_ROLES,
    REVEAL_MODES,
    Position,
    Reveal,
    Role,
    SliderItem,
    Slug,
    Suggestion,
    Text,
    _Activity,
)

DEFAULT_TEMPLATE = Path(__file__).resolve().parent.parent / "assets" / "templates" / "wijkgericht-werken.yaml"



class SlidersActivity(_Activity):
    """Participants place one or more markers on each slider, independently first."""

    kind: Literal["sliders"] = "sliders"
    positions: list[Position] = Field(min_length=1, max_length=3)
    items: list[SliderItem] = Field(min_length=1, max_length=12)
    reason: bool = False
    reveal: Reveal = "when-complete"
    threshold: int | None = Field(default=None, ge=1, le=100)
    rounds: bool = True  # whether a group may place again after talking
    # what the items' traits describe, shown above them (e.g. the right-hand end); none: they say it themselves
    traits_heading: Text | None = None
    suggests: Suggestion | None = None
    move: bool = False  # after the reveal the group picks one slider and writes what would move it
    # markers a member may add, not must: where someone else would put it (the alderman's view)
    perspectives: list[Position] = Field(default_factory=list, max_length=2)

    @model_validator(mode="after")
    def _unique_ids(self) -> SlidersActivity:
        _require_unique([p.id for p in self.all_positions()], f"activity {self.id}: position ids")
        _require_unique([i.id for i in self.items], f"activity {self.id}: item ids")
        return self

    def item(self, item_id: str) -> SliderItem | None:
        return next((i for i in self.items if i.id == item_id), None)

    def position_ids(self) -> list[str]:
        """The positions every member places (a slider counts as placed once all of them are)."""
        return [p.id for p in self.positions]

    def all_positions(self) -> list[Position]:
        """The positions, then the perspectives (optional markers, shown and spread alike)."""
        return [*self.positions, *self.perspectives]

    def all_position_ids(self) -> list[str]:
        return [p.id for p in self.all_positions()]


class TextField(BaseModel):
    """One field people write in."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: Slug
    label: Text
    hint: Text | None = None
    multiline: bool = True
    max_length: int = Field(default=1000, ge=10, le=4000)
    # activities whose results fill this field until someone writes in it (agenda)
    prefill: list[Slug] = Field(default_factory=list, max_length=10)


class TextActivity(_Activity):
    """Free text: per group (one shared text per trio, e.g. the case) or per member."""

    kind: Literal["text"] = "text"
    fields: list[TextField] = Field(min_length=1, max_length=10)
    scope: Literal["group", "member"] = "group"

    @model_validator(mode="after")
    def _unique_ids(self) -> TextActivity:
        _require_unique([f.id for f in self.fields], f"activity {self.id}: field ids")
        return self

    def field(self, field_id: str) -> TextField | None:
        return next((f for f in self.fields if f.id == field_id), None)


class Card(BaseModel):
    """A card of a deck, an item to sort, an option to choose, a step of a checklist."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: Slug
    label: Text
    explain: Text | None = None


class Notes(BaseModel):
    """Cards the group writes itself (e.g. the tensions felt in practice)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    label: Text
    hint: Text | None = None
    max: int = Field(default=12, ge=1, le=40)


class Rating(BaseModel):
    """Each member rates every category from 0 to 100 (e.g. how strong a building block is now)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    label: Text
    low: Text | None = None
    high: Text | None = None


RATING_POSITION = "rating"


class CardsActivity(_Activity):
    """Each member assigns cards to members of the group or to categories, independently first.

    The deck is fixed in the template, or written by the group (``notes``).
    """

    kind: Literal["cards"] = "cards"
    deck: list[Card] = Field(default_factory=list, max_length=120)
    notes: Notes | None = None
    targets: Literal["members", "categories"] = "members"
    categories: list[Card] = Field(default_factory=list, max_length=12)
    multiple: bool = True
    rating: Rating | None = None
    actions: TextField | None = None  # a group text after the assignment (e.g. actions)
    reveal: Reveal = "when-complete"
    # a hint for naming people outside the group per card (best persons are often residents or partners)
    outside: Text | None = None
    # after the individual round, the group settles each revealed card together (the workbook
    # plays the competence game as one conversation): one shared decision per card and group
    joint: bool = False

    @model_validator(mode="after")
    def _consistent(self) -> CardsActivity:
        if not self.deck and self.notes is None:
            raise ValueError(f"activity {self.id}: needs a deck or notes")
        if self.targets == "categories" and len(self.categories) < 2:
            raise ValueError(f"activity {self.id}: targets 'categories' needs at least two categories")
        if self.targets == "members" and self.categories:
            raise ValueError(f"activity {self.id}: categories only go with targets 'categories'")
        if self.rating is not None and not self.categories:
            raise ValueError(f"activity {self.id}: a rating needs categories")
        if self.outside is not None and (self.targets != "members" or not self.deck):
            raise ValueError(f"activity {self.id}: 'outside' goes with a fixed deck given to members")
        if self.joint and (self.targets != "members" or not self.deck):
            raise ValueError(f"activity {self.id}: 'joint' goes with a fixed deck given to members")
        _require_unique([c.id for c in self.deck], f"activity {self.id}: card ids")
        _require_unique([c.id for c in self.categories], f"activity {self.id}: category ids")
        return self

    def card(self, card_id: str) -> Card | None:
        return next((c for c in self.deck if c.id == card_id), None)

    def category(self, category_id: str) -> Card | None:
        return next((c for c in self.categories if c.id == category_id), None)

    def rating_sliders(self) -> SlidersActivity | None:
        """The rating as a sliders activity (one slider per category), so it shares the sliders' rules.

        One per activity object (activities are frozen): every phone's view asks for it, and the
        pages keep what they drew per activity object."""
        if self.rating is None:
            return None
        kept = _RATINGS.get(self)
        if kept is not None:
            return kept
        return _RATINGS.put(self, SlidersActivity(
            id=self.id,
            title=self.title,
            positions=[Position(id=RATING_POSITION, label=self.rating.label)],
            items=[SliderItem(id=c.id, label=c.label, low=self.rating.low, high=self.rating.high)
                   for c in self.categories],
            reveal=self.reveal,
            rounds=False,
        ))


_RATINGS: KeptFor[SlidersActivity] = KeptFor(1024)


class SortActivity(_Activity):
    """Each member puts every item in one of a few bins, independently first."""

    kind: Literal["sort"] = "sort"
    items: list[Card] = Field(min_length=1, max_length=30)
    bins: list[Card] = Field(min_length=2, max_length=4)
    reveal: Reveal = "when-complete"
    multiple: bool = False  # whether an item may go in more than one bin
    describe: Text | None = None  # a hint for a text the group writes per item ("explore and describe")

    @model_validator(mode="after")
    def _unique_ids(self) -> SortActivity:
        _require_unique([c.id for c in self.items], f"activity {self.id}: item ids")
        _require_unique([c.id for c in self.bins], f"activity {self.id}: bin ids")
        return self


class ChoiceActivity(_Activity):
    """Each member picks options (the group may add its own); the group writes texts together."""

    kind: Literal["choice"] = "choice"
    options: list[Card] = Field(min_length=1, max_length=30)
    own: bool = False
    fields: list[TextField] = Field(default_factory=list, max_length=5)
    reveal: Reveal = "when-complete"

    @model_validator(mode="after")
    def _unique_ids(self) -> ChoiceActivity:
        _require_unique([c.id for c in self.options], f"activity {self.id}: option ids")
        _require_unique([f.id for f in self.fields], f"activity {self.id}: field ids")
        return self


class PracticeActivity(_Activity):
    """Practice in the group with rotating roles: some talk, one observes with a checklist."""

    kind: Literal["practice"] = "practice"
    steps: list[Card] = Field(min_length=1, max_length=12)
    round_minutes: int = Field(default=8, ge=1, le=60)
    tips: Text | None = None
    advice: list[Text] = Field(default_factory=list, max_length=12)  # how to hold the conversation, shown to all

    @model_validator(mode="after")
    def _unique_ids(self) -> PracticeActivity:
        _require_unique([c.id for c in self.steps], f"activity {self.id}: step ids")
        return self


ActionPart = Literal["what", "who", "with", "when", "measure"]
ACTION_PARTS: tuple[ActionPart, ...] = get_args(ActionPart)


class AgendaActivity(_Activity):
    """The group's work agenda: fields pre-filled from earlier results, and SMART actions."""

    kind: Literal["agenda"] = "agenda"
    fields: list[TextField] = Field(min_length=1, max_length=10)
    actions: bool = True
    suggest_from: Slug | None = None  # a cards activity (targets: members) that suggests who
    # earlier activities whose group actions text the agenda offers as proposed actions (one per line)
    actions_from: list[Slug] = Field(default_factory=list, max_length=5)

    @model_validator(mode="after")
    def _unique_ids(self) -> AgendaActivity:
        _require_unique([f.id for f in self.fields], f"activity {self.id}: field ids")
        return self

    def field(self, field_id: str) -> TextField | None:
        return next((f for f in self.fields if f.id == field_id), None)


Activity = Annotated[
    SlidersActivity | TextActivity | CardsActivity | SortActivity | ChoiceActivity | PracticeActivity
    | AgendaActivity,
    Field(discriminator="kind"),
]
AnyActivity = (
    SlidersActivity | TextActivity | CardsActivity | SortActivity | ChoiceActivity | PracticeActivity | AgendaActivity
)


class Template(BaseModel):
    """A whole programme."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: Slug
    title: Text
    group_size: int = Field(default=3, ge=2, le=6)
    threshold: int = Field(default=30, ge=1, le=100)
    activities: list[Activity] = Field(min_length=1, max_length=30)
    # what a participant may say about where they work, when joining (optional, one tap)
    roles: list[Role] = Field(default_factory=lambda: list(DEFAULT_ROLES), max_length=8)
    # the ids of the workbook's programme (METHOD.md) are a contract; a custom template picks its own

    @model_validator(mode="after")
    def _unique_activities(self) -> Template:
        from rooms.kinds import registry  # the kinds build on these models

        _require_unique([a.id for a in self.activities], "activity ids")
        _require_unique([r.id for r in self.roles], "role ids")
        ids = {a.id for a in self.activities}
        for activity in self.activities:
            suggests = getattr(activity, "suggests", None)
            if suggests is not None and not {suggests.low, suggests.high} <= ids:
                raise ValueError(f"activity {activity.id}: suggests an activity that is not in the programme")
        for index, activity in enumerate(self.activities):
            registry.kind_of(activity).check(activity, list(self.activities[:index]))
        return self

    def activity(self, activity_id: str) -> AnyActivity | None:
        return next((a for a in self.activities if a.id == activity_id), None)

    def next_after(self, activity_id: str | None) -> AnyActivity | None:
        ids = [a.id for a in self.activities]
        if activity_id is None:
            return self.activities[0]
        if activity_id not in ids:
            return None
        index = ids.index(activity_id) + 1
        return self.activities[index] if index < len(ids) else None


def _require_unique(ids: list[str], what: str) -> None:
    seen: set[str] = set()
    for i in ids:
        if i in seen:
            raise ValueError(f"{what}: '{i}' appears twice")
        seen.add(i)


class TemplateError(ValueError):
    """A template that cannot be used, with where and why."""

    def __init__(self, source: str, problems: list[str]) -> None:
        self.source = source
        self.problems = problems
        super().__init__(f"{source}: " + "; ".join(problems))


TEMPLATE_MAX_BYTES = 256_000
# A programme nests seven deep (activities, an activity, its items, an item, its traits, a text);
# deeper is an attack on the parser (a 200 kB ``[[[[…`` took seconds and ended in RecursionError).
TEMPLATE_MAX_DEPTH = 32


def _nesting(text: str) -> int:
    """How deep the YAML nests, counted from the parser's events (no recursion, stops early)."""
    depth = deepest = 0
    for event in yaml.parse(text, Loader=yaml.SafeLoader):
        if isinstance(event, yaml.SequenceStartEvent | yaml.MappingStartEvent):
            depth += 1
            deepest = max(deepest, depth)
            if deepest > TEMPLATE_MAX_DEPTH:
                break
        elif isinstance(event, yaml.SequenceEndEvent | yaml.MappingEndEvent):
            depth -= 1
    return deepest


def parse_template(text: str, source: str = "<template>") -> Template:
    """Parse and validate a template; raise TemplateError naming the field and the reason."""
    if len(text.encode("utf-8")) > TEMPLATE_MAX_BYTES:
        raise TemplateError(source, [f"the file is larger than {TEMPLATE_MAX_BYTES // 1000} kB"])
    try:
        if _nesting(text) > TEMPLATE_MAX_DEPTH:
            raise TemplateError(source, [f"the file nests deeper than {TEMPLATE_MAX_DEPTH} levels"])
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise TemplateError(source, [f"not valid YAML: {exc}"]) from None
    except RecursionError:  # a last guard; the depth check above comes first
        raise TemplateError(source, ["the file nests too deeply"]) from None
    if not isinstance(data, dict):
        raise TemplateError(source, ["the file must hold a mapping with id, title and activities"])
    try:
        return Template.model_validate(data)
    except RecursionError:
        raise TemplateError(source, ["the file nests too deeply"]) from None
    except ValidationError as exc:
        problems = [
            f"{'.'.join(str(p) for p in err['loc']) or '(top)'}: {err['msg']}" for err in exc.errors()
        ]
        raise TemplateError(source, problems) from None


def load_template(path: Path | str = DEFAULT_TEMPLATE) -> Template:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise TemplateError(str(path), [f"cannot read the file: {exc.strerror}"]) from None
    return parse_template(text, str(path))


__all__ = [  # the parts (rooms.template_parts) are imported from here too
    "DEFAULT_ROLES", "DEFAULT_TEMPLATE", "REVEAL_MODES", "AnyActivity", "Position", "Reveal", "Role", "SliderItem",
    "Suggestion", "Template", "TemplateError", "Text", "load_template", "parse_template",
]
