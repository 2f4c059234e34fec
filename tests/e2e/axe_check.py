"""axe-core, injected into a page by the browser tests (installed from npm by .ci/run)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page

AXE = Path(__file__).resolve().parent / "axe" / "node_modules" / "axe-core" / "axe.min.js"


def findings(page: Page) -> list[str]:
    """Serious and critical axe findings on the page as it is now."""
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: npm ci --prefix tests/e2e/axe (.ci/run does)")
    page.add_script_tag(path=str(AXE))
    result: dict[str, Any] = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    out = []
    for violation in result["violations"]:
        if violation["impact"] in {"serious", "critical"}:
            targets = [" ".join(map(str, node["target"])) + " " + node["html"][:90] for node in violation["nodes"][:3]]
            out.append(f"{violation['id']} ({violation['impact']}): {violation['help']} → {targets}")
    return out
