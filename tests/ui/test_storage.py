"""NiceGUI's per-browser storage does not pile up for requests without a cookie (issue 14)."""

from __future__ import annotations

from nicegui import app
from nicegui.persistence.pseudo_persistent_dict import PseudoPersistentDict
from nicegui.testing import User

from tests.ui.simulate import by_testid
from workshop.security import prune_idle_user_storage


async def test_idle_empty_user_storage_is_dropped_and_what_was_stored_stays(user: User) -> None:
    """Every request without a cookie costs NiceGUI a user storage in memory (issue 14's cookie-less
    ``?lang=`` requests): the empty, idle ones are dropped; a browser's remembered language is kept."""
    users = app.storage._users
    for n in range(50):
        users[f"crawler-{n}"] = PseudoPersistentDict()
    kept = users["kept"] = PseudoPersistentDict()
    kept["lang"] = "en"
    assert prune_idle_user_storage() >= 50
    assert not any(sid.startswith("crawler-") for sid in users) and users["kept"]["lang"] == "en"
    await user.open("/?lang=en")  # and pages still work afterwards
    assert by_testid(user, "join-name") is not None
    users.pop("kept")
