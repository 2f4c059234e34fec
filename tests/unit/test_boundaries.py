"""The import boundaries of docs/DESIGN.md, checked on the source: the engine stays free of the app
(an RQ worker or another front end loads it without NiceGUI), and pages only compose components."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def imports(path: Path) -> set[str]:
    """Every module ``path`` imports, at the top or inside a function, relative ones resolved."""
    package = ".".join(path.relative_to(ROOT).with_suffix("").parts[:-1])
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parts, base] if base else parts)
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return found


def modules(folder: str) -> list[Path]:
    paths = sorted((ROOT / folder).rglob("*.py"))
    assert paths, f"no modules under {folder}"
    return paths


def within(name: str, package: str) -> bool:
    return name == package or name.startswith(package + ".")


def test_the_engine_imports_neither_nicegui_nor_the_app() -> None:
    crossing = {
        str(path.relative_to(ROOT)): sorted(n for n in imports(path) if within(n, "nicegui") or within(n, "workshop"))
        for path in modules("rooms")
    }
    assert not {k: v for k, v in crossing.items() if v}


def test_no_page_imports_another_page() -> None:
    crossing = {}
    for path in modules("workshop/pages"):
        pages = sorted(n for n in imports(path) if within(n, "workshop.pages") and n != "workshop.pages")
        if pages:
            crossing[str(path.relative_to(ROOT))] = pages
    assert not crossing, f"pages compose components and kinds, never another page: {crossing}"


def test_components_and_kinds_import_no_page() -> None:
    crossing = {
        str(path.relative_to(ROOT)): sorted(n for n in imports(path) if within(n, "workshop.pages"))
        for path in [*modules("workshop/components"), *modules("workshop/kinds")]
    }
    assert not {k: v for k, v in crossing.items() if v}


def test_the_scan_sees_a_crossing() -> None:
    """The checks above pass for the right reason: the scan finds imports, relative ones too."""
    found = imports(ROOT / "workshop" / "app.py")
    assert "workshop.pages.host" in found  # imported inside a function
    assert "nicegui" in found
