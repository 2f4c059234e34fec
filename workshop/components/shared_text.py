"""A text field the group writes together: each change is saved, others' changes appear at once.

Different fields never overwrite each other (each field is its own key). In the same
field the last write wins: the room's text replaces what is shown, except when it is
only our own earlier text coming back while we are still typing.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from nicegui import ui

WriteHandler = Callable[[str, str], Awaitable[None]]


class SharedText:
    def __init__(
        self, field: str, label: str, on_write: WriteHandler, *, multiline: bool = True, max_length: int = 1000,
        hint: str = "", testid: str | None = None, placeholder: str = "",
    ) -> None:
        self.known: str | None = None  # the room's text, as last seen
        self.sent: str | None = None  # the text this phone wrote last
        self._editable = True
        kind = ui.textarea if multiline else ui.input
        self.element = kind(label, placeholder=placeholder or None).props(
            f"data-testid={testid or 'text-' + field} maxlength={max_length} outlined"
            + (" autogrow" if multiline else "")
        ).classes("w-full")
        if hint:
            self.element.props(f'hint="{_attr(hint)}"')

        async def write() -> None:
            text = str(self.element.value or "")
            if text == (self.sent if self.sent is not None else self.known):
                return
            self.sent = text
            await on_write(field, text)

        self.element.on("update:model-value", write, throttle=0.6, leading_events=False)
        self.element.on("blur", write)

    def update(self, text: str, editable: bool) -> None:
        if text != self.known:
            self.known = text
            current = str(self.element.value or "")
            if text != current and text != self.sent:
                self.element.value = text
        if editable != self._editable:
            self._editable = editable
            self.element.set_enabled(editable)


def _attr(text: str) -> str:
    return text.replace("&", "&amp;").replace('"', "&quot;")
