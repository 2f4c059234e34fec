"""A programme upload is size-checked before it is read, and a hostile one gets a clear message
(issue 14: 150 MB were read into memory first; a 200 kB nested YAML raised RecursionError)."""

from __future__ import annotations

from dataclasses import dataclass

from nicegui import ui
from nicegui.elements.upload_files import FileUpload, SmallFileUpload
from nicegui.testing import User

from rooms.templates import TEMPLATE_MAX_BYTES
from tests.helpers import eventually
from tests.ui.simulate import by_testid


@dataclass
class HugeUpload(SmallFileUpload):
    """Says its size; reading it fails the test (it must be refused before)."""

    declared: int = 0

    def size(self) -> int:
        return self.declared

    async def read(self) -> bytes:
        raise AssertionError("a file larger than the limit was read")


def upload(user: User) -> ui.upload:
    element = next(e for e in user.find(ui.upload).elements if isinstance(e, ui.upload))
    return element


def error_text(user: User) -> str:
    return str(getattr(by_testid(user, "template-error"), "text", ""))


async def send(user: User, file: FileUpload) -> None:
    await upload(user).handle_uploads([file])


async def test_a_huge_upload_is_refused_unread(user: User) -> None:
    await user.open("/")
    await send(user, HugeUpload("big.yaml", "text/yaml", b"", declared=150_000_000))
    await eventually(lambda: f"{TEMPLATE_MAX_BYTES // 1000} kB" in error_text(user), what="the size is named")


async def test_a_deeply_nested_upload_gets_a_clear_message(user: User) -> None:
    await user.open("/")
    nested = ("[" * 100_000 + "]" * 100_000).encode()  # 200 kB
    await send(user, SmallFileUpload("nested.yaml", "text/yaml", nested))
    await eventually(lambda: "nests deeper" in error_text(user), within=15, what="a clear message")
    assert "Dit programma kunnen we niet gebruiken" in error_text(user)

