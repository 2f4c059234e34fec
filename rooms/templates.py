"""Workshop programmes (templates): what activities a room runs, in which order.

A template is a YAML file validated by pydantic. It is copied into the room when
the room is created, so a room keeps working (and replaying) even if the file
changes later.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

Slug = Annotated[str, Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", min_length=1, max_length=40)]

DEFAULT_TEMPLATE = Path(__file__).resolve().parent.parent / "assets" / "templates" / "wijkgericht-werken.yaml"


class Text(BaseModel):
    """A piece of text people see: Dutch first, English second."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    nl: str = Field(min_length=1, max_length=2000)
    en: str = Field(default="", max_length=2000)

    def get(self, lang: str) -> str:
        return self.en if lang == "en" and self.en else self.nl


class Position(BaseModel):
    """One marker a participant places on a slider (e.g. *nu* or *beoogd*)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: Slug
    label: Text
    short: Text | None = None  # a word for tight places (the screen's figures)

    def short_label(self) -> Text:
        return self.short or self.label


class SliderItem(BaseModel):
    """One slider (a dimension), with its poles and help texts."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: Slug
    label: Text
    low: Text | None = None
    high: Text | None = None
    traits: list[Text] = Field(default_factory=list, max_length=20)
    questions: list[Text] = Field(default_factory=list, max_length=20)


class SlidersActivity(BaseModel):
    """Participants place one or more markers on each slider, independently first."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    kind: Literal["sliders"] = "sliders"
    id: Slug
    title: Text
    intro: Text | None = None
    positions: list[Position] = Field(min_length=1, max_length=3)
    items: list[SliderItem] = Field(min_length=1, max_length=12)
    reason: bool = False
    reveal: Literal["when-complete", "host"] = "when-complete"
    threshold: int | None = Field(default=None, ge=1, le=100)

    @model_validator(mode="after")
    def _unique_ids(self) -> SlidersActivity:
        _require_unique([p.id for p in self.positions], f"activity {self.id}: position ids")
        _require_unique([i.id for i in self.items], f"activity {self.id}: item ids")
        return self

    def item(self, item_id: str) -> SliderItem | None:
        return next((i for i in self.items if i.id == item_id), None)

    def position_ids(self) -> list[str]:
        return [p.id for p in self.positions]


Activity = SlidersActivity


class Template(BaseModel):
    """A whole programme."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: Slug
    title: Text
    group_size: int = Field(default=3, ge=2, le=6)
    threshold: int = Field(default=30, ge=1, le=100)
    activities: list[Activity] = Field(min_length=1, max_length=30)

    @model_validator(mode="after")
    def _unique_activities(self) -> Template:
        _require_unique([a.id for a in self.activities], "activity ids")
        return self

    def activity(self, activity_id: str) -> Activity | None:
        return next((a for a in self.activities if a.id == activity_id), None)

    def next_after(self, activity_id: str | None) -> Activity | None:
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


def parse_template(text: str, source: str = "<template>") -> Template:
    """Parse and validate a template; raise TemplateError naming the field and the reason."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise TemplateError(source, [f"not valid YAML: {exc}"]) from None
    if not isinstance(data, dict):
        raise TemplateError(source, ["the file must hold a mapping with id, title and activities"])
    try:
        return Template.model_validate(data)
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
