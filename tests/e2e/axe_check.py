"""axe-core, injected into a page by the browser tests.

It comes with the dev dependencies: the ``axe-playwright-python`` wheel on PyPI ships axe-core's
``axe.min.js`` (axe-core is MPL-2.0, the wheel MIT). Only the script is used, with our own call,
so the rules and the impact filter stay ours.
"""

from __future__ import annotations

import re
from importlib.resources import files
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page

AXE = Path(str(files("axe_playwright_python").joinpath("axe.min.js")))


def axe_version() -> str:
    """The version in the script's banner (``/*! axe v4.12.1``)."""
    found = re.search(r"axe v(\d+\.\d+\.\d+)", AXE.read_text(encoding="utf-8")[:200])
    return found.group(1) if found else "?"


def findings(page: Page) -> list[str]:
    """Serious and critical axe findings on the page as it is now."""
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: uv sync (axe-playwright-python is a dev dependency)")
    page.add_script_tag(path=str(AXE))
    result: dict[str, Any] = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    out = []
    for violation in result["violations"]:
        if violation["impact"] in {"serious", "critical"}:
            targets = [" ".join(map(str, node["target"])) + " " + node["html"][:90] for node in violation["nodes"][:3]]
            out.append(f"{violation['id']} ({violation['impact']}): {violation['help']} → {targets}")
    return out
