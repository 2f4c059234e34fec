"""Who may see and do what: host token, admin password, forged events, cookies and secrets."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from functools import partial
from pathlib import Path

import pytest
from nicegui.testing import User

from rooms import keys
from tests.helpers import eventually
from tests.ui.simulate import act, by_testid, join, need, visible_text
from tests.ui.test_programme import has, shows
from workshop.services import ready, services
from workshop.settings import Settings

HOST_ONLY = ["start-vijf-schuiven", "next-activity", "lock", "reveal", "reveal-mode", "move-who", "move-submit",
             "timer-start", "export-json", "delete-room", "screen-mode"]


async def test_host_page_and_api_refuse_without_the_token(user: User, create_user: Callable[[], User]) -> None:
    svc = await ready()
    code, token = await svc.store.create_room(svc.template)
    for path in (f"/host/{code}", f"/host/{code}?t=wrong"):
        visitor = create_user()
        await visitor.open(path)
        await visitor.should_see("alleen voor de begeleider")
        assert all(by_testid(visitor, testid) is None for testid in HOST_ONLY)
    for headers in ({}, {"X-Host-Token": "wrong"}, {"X-Host-Token": token.upper()}):
        response = await user.http_client.get(f"/api/rooms/{code}", headers=headers)
        assert response.status_code == 403, headers
    response = await user.http_client.get(f"/api/rooms/{code}", headers={"X-Host-Token": token})
    assert response.status_code == 200 and response.json()["state"]["code"] == code
    assert token not in response.text  # the API never echoes the token either


async def test_the_token_never_reaches_phones_or_the_screen(user: User, create_user: Callable[[], User]) -> None:
    svc = await ready()
    code, token = await svc.store.create_room(svc.template)
    phone, screen = create_user(), create_user()
    await join(phone, code, "Anna")
    await screen.open(f"/screen/{code}")
    # the host opens last: the simulation sends a stray redirect to whoever opened a page last
    await user.open(f"/host/{code}?t={token}")
    act(user, "start-casus").click()
    await eventually(partial(has, phone, "activity-title"), what="the phone follows the host")
    for visitor in (phone, screen):
        assert token not in visible_text(visitor)
        assert visitor.client is not None
        assert all(token not in str(e.props) for e in visitor.client.elements.values())
        assert all(by_testid(visitor, testid) is None for testid in HOST_ONLY)
    html = await user.http_client.get(f"/screen/{code}")
    assert html.status_code == 200 and token not in html.text


async def test_a_forged_event_cannot_reach_the_hosts_controls(user: User, create_user: Callable[[], User]) -> None:
    """A phone's socket can only address the phone's own elements, whatever ids it sends."""
    svc = await ready()
    code, token = await svc.store.create_room(svc.template)
    await svc.store.start(code, "vijf-schuiven")
    await user.open(f"/host/{code}?t={token}")
    lock_id = need(user, "lock").id
    listeners = list(need(user, "lock")._event_listeners.values())  # before the simulation's stray redirect
    phone = create_user()
    await join(phone, code, "Mallory")
    assert phone.client is not None
    for listener in listeners:
        # the id is looked up among the phone's own elements only: at most one of its own is hit
        with contextlib.suppress(KeyError):
            phone.client.handle_event({"id": lock_id, "type": listener.type, "listener_id": listener.id, "args": []})
    await asyncio.sleep(0.3)
    state = await svc.store.load(code)
    assert state is not None and state.status["vijf-schuiven"] == "open"


async def test_creating_a_room_asks_for_the_admin_password_when_set(
    user: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    svc = await ready()
    monkeypatch.setattr(svc.settings, "admin_password", "geheim-wachtwoord")
    await user.open("/")
    act(user, "admin-password").type("fout")
    act(user, "create-room").click()
    await eventually(partial(shows, user, "create-error", "klopt niet"), what="a wrong password is refused")
    for _ in range(5):
        act(user, "create-room").click()
        await asyncio.sleep(0.05)
    await eventually(partial(shows, user, "create-error", "Te veel pogingen"), what="then rate-limited")
    redis = services().redis
    await redis.delete(*[k async for k in redis.scan_iter(match=keys.rate_key("admin-fail", "*"))])
    need(user, "admin-password").value = "geheim-wachtwoord"  # type: ignore[attr-defined]
    act(user, "create-room").click()
    await eventually(partial(has, user, "room-code"), what="the right password creates the room")


async def test_session_cookies_are_httponly_and_samesite(user: User) -> None:
    response = await user.http_client.get("/")
    cookies = response.headers.get_list("set-cookie")
    assert cookies, "the page sets its session cookie"
    for cookie in cookies:
        lowered = cookie.lower()
        assert "httponly" in lowered and "samesite=lax" in lowered, cookie


def test_the_storage_secret_is_generated_per_installation(tmp_path: Path) -> None:
    first = Settings(data=tmp_path / "a", storage_secret=None)
    secret = first.secret()
    assert len(secret) >= 40 and first.secret() == secret  # stable across starts
    assert (tmp_path / "a" / "storage-secret").stat().st_mode & 0o777 == 0o600
    assert Settings(data=tmp_path / "b", storage_secret=None).secret() != secret
    assert Settings(data=tmp_path / "c", storage_secret="from-the-environment").secret() == "from-the-environment"
