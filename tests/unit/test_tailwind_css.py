"""The prebuilt Tailwind CSS (assets/css/tailwind.css, scripts/build-tailwind.sh) has a rule for
every Tailwind class the pages write: the app runs without NiceGUI's runtime Tailwind, so a class
added to a page without rebuilding the CSS would render unstyled."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CSS = ROOT / "assets" / "css" / "tailwind.css"

# Classes the pages write that are not Tailwind's: Quasar's, and the parts of our own (werkplaats.css)
# that are named without the wp- prefix inside a wp- block (the fader's knobs and bands, the tracks).
NOT_TAILWIND = {"row", "no-wrap", "band", "knob", "person", "track", "me", "now", "goal", "fill", "label", "name", "n"}
OWN_PREFIXES = ("wp-", "q-", "nicegui-")

# .classes("…"), .classes(add="…"), .classes(replace="…") and class="…" in HTML the pages build;
# f-strings are read up to their first placeholder
LITERALS = [
    re.compile(r"""\.classes\(\s*(?:add=|replace=)?\(?\s*f?(["'])(.*?)\1"""),
    re.compile(r"""class=(["'])(.*?)\1"""),
]


def written_classes() -> dict[str, str]:
    """Each class written in workshop/, with a file that writes it."""
    found: dict[str, str] = {}
    for path in sorted((ROOT / "workshop").rglob("*.py")):
        text = path.read_text()
        for pattern in LITERALS:
            for match in pattern.finditer(text):
                for name in match.group(2).split("{")[0].split():
                    found.setdefault(name, str(path.relative_to(ROOT)))
    return found


def built_classes() -> set[str]:
    css = CSS.read_text()
    utilities = css[css.index("@layer utilities"):]
    return {re.sub(r"\\(.)", r"\1", name) for name in re.findall(r"\.((?:\\.|[A-Za-z0-9_-])+)", utilities)}


def test_every_tailwind_class_the_pages_write_is_in_the_prebuilt_css() -> None:
    written = written_classes()
    assert len(written) > 40  # the scan finds the pages' classes at all
    built = built_classes()
    missing = {name: where for name, where in written.items()
               if name not in built and name not in NOT_TAILWIND and not name.startswith(OWN_PREFIXES)}
    assert not missing, f"not in {CSS.name}: run scripts/build-tailwind.sh (or list a run-time class in " \
        f"tools/tailwind/safelist.txt): {missing}"


def test_the_prebuilt_css_keeps_nicegui_s_layers_and_its_rotate_fix() -> None:
    css = CSS.read_text()
    # the page declares the order theme, base, quasar, nicegui, components, utilities, overrides:
    # Tailwind's preflight stays under Quasar, its utilities over it, as with the runtime Tailwind
    for layer in ("@layer theme{", "@layer base{", "@layer utilities{", "@layer overrides{"):
        assert layer in css
    assert ".rotate-180" in css.split("@layer overrides{")[1]  # Quasar's rotate classes turn once
