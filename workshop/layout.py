"""The frame every page shares."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from nicegui import app, ui

ASSETS = Path(__file__).resolve().parent.parent / "assets"


def setup_static() -> None:
    app.add_static_files("/assets", str(ASSETS / "css"))


def head() -> None:
    ui.add_head_html('<link rel="stylesheet" href="/assets/werkplaats.css">')


@contextmanager
def frame(title: str, *, wide: bool = False) -> Iterator[None]:
    head()
    ui.page_title(f"{title} · Werkplaats")
    with ui.header().classes("items-center justify-between bg-white text-black shadow-sm"):
        ui.label("Werkplaats").classes("text-lg font-bold text-[#0b5cad]")
        ui.label(title).classes("text-base")
    with ui.column().classes(("wp-wide" if wide else "wp-page") + " p-3 gap-4"):
        yield


def browser_id() -> str:
    """The browser's session id (signed cookie): who a phone is, across reloads and replicas."""
    return str(app.storage.browser["id"])


def error_block(message: str, testid: str = "page-error") -> ui.label:
    return ui.label(message).classes("wp-error").props(f"data-testid={testid} role=alert")
