"""The parts a programme's activities are made of: texts in two languages, slider items and
their positions, roles, reveal modes, and what every activity has (``_Activity``). Re-exported by
``rooms.templates``."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

Slug = Annotated[str, Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", min_length=1, max_length=40)]

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


class Role(BaseModel):
    """Where a participant works: trios mix these (the workbook puts a neighbourhood civil servant
    beside colleagues from the social and the physical domain)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: Slug
    label: Text


DEFAULT_ROLES: tuple[Role, ...] = (
    Role(id="wijk", label=Text(nl="Wijk", en="Neighbourhood")),
    Role(id="sociaal", label=Text(nl="Sociaal domein", en="Social domain")),
    Role(id="fysiek", label=Text(nl="Fysiek domein", en="Physical domain")),
    Role(id="anders", label=Text(nl="Anders", en="Other")),
)


Reveal = Literal["when-complete", "live", "host"]
REVEAL_MODES: tuple[str, ...] = ("when-complete", "live", "host")


class _Activity(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    id: Slug
    title: Text
    intro: Text | None = None
    minutes: int | None = Field(default=None, ge=1, le=240)  # suggested time; the host's timer starts with it
    facilitator_notes: Text | None = None  # for the host only: what to watch for, how to introduce it
    debrief: list[Text] = Field(default_factory=list, max_length=10)  # questions for the plenary afterwards
    # a model the exercise follows, shown with it on phones (e.g. the five steps of an agile approach)
    guide_title: Text | None = None
    guide: list[Text] = Field(default_factory=list, max_length=10)


class Suggestion(BaseModel):
    """Which later exercise fits a room whose mean lies at the low or the high end of the first slider
    (the workbook: sliders suit pioneers, building blocks suit reflective thinkers)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    low: Slug
    high: Slug
