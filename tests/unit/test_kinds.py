"""Every kind of activity a programme can hold has its module in the app (``workshop/kinds``)."""

from __future__ import annotations

from typing import get_args

from rooms.templates import AnyActivity
from workshop.kinds.registry import KINDS


def test_every_kind_of_the_engine_has_its_phone_panel_host_card_and_screen_block() -> None:
    kinds = {model.model_fields["kind"].default for model in get_args(AnyActivity)}
    assert kinds == set(KINDS)
