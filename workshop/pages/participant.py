"""``/room/{code}``: the participant's phone."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

from fastapi.responses import Response
from nicegui import Client, ui
from redis.exceptions import RedisError

from rooms.commands import Rejected
from rooms.events import Event, ReasonWritten, SliderPlaced, TextEdited
from rooms.models import group_owner
from rooms.views import current_activity, participant_view
from workshop.components.panels import Panel, set_countdown
from workshop.components.plain_join import entry_page
from workshop.components.shared_text import SharedText
from workshop.hub import RoomFeed, Throttle, backoff
from workshop.i18n import LANGS, Tr
from workshop.kinds.registry import build_panel
from workshop.layout import browser_id, choose_lang, client_address, error_block, frame
from workshop.phone_actions import PhoneActions
from workshop.services import ready, services

log = logging.getLogger(__name__)

# A phone hears only its own trio's events (a few a second): it flushes at most every 10 ms, so a
# member's move shows within a frame (30 ms cost 300-phone rooms ~10 ms at p95); the screen and the
# host keep coalescing at 10×/s (hub.FLUSH_INTERVAL).
PHONE_FLUSH_INTERVAL = 0.01


class PhoneView(PhoneActions):
    """Owns the phone's elements and updates them in place as the room changes."""

    def __init__(self, code: str, participant_id: str, t: Tr) -> None:
        self.code = code
        self.participant_id: str | None = participant_id
        self.pid = participant_id
        self.t = t
        self.feed: RoomFeed | None = None
        self.panel: Panel | None = None
        self.rendered_activity: str | None = "?"
        self.throttle = Throttle(self.flush, PHONE_FLUSH_INTERVAL)
        self.connected = True
        # One phone's placements must land in the order they were made; superseded ones are skipped.
        self._writes = asyncio.Lock()
        self._latest: dict[tuple[str, str], int] = {}
        self._counter = 0
        # the slider items events changed since the last flush; None: anything may have changed
        self._dirty: set[str] | None = None
        self.editors: dict[str, SharedText] = {}  # the shared texts of the activity shown, by field
        # Writes that could not reach Redis, the latest per thing written (a slider position, a
        # field, a card): kept here and written once Redis answers again, in this phone's order.
        self._pending: dict[tuple[str, ...], tuple[Callable[..., Awaitable[object]], tuple[object, ...]]] = {}
        self._retrying: asyncio.Task[None] | None = None
        self._redis_ok = True

    def build(self, feed: RoomFeed) -> None:
        self.feed = feed
        # the session's code is in the header already; every element costs memory per phone
        self.who = ui.label().classes("text-base").props("data-testid=who")
        with ui.row().classes("w-full items-center justify-between no-wrap"):
            self.group_line = ui.label().classes("text-sm wp-muted").props("data-testid=group")
            self.timer = ui.label().classes("text-xl font-bold wp-countdown").props("data-testid=timer")
        self.notice = ui.label().classes("text-base font-bold").props("data-testid=notice aria-live=polite")
        # what this phone did that is not saved yet, and when it is (the server is up, Redis is not)
        self.save_state = ui.label().classes("wp-save").props("data-testid=save-state role=status aria-live=polite")
        self.save_state.set_visibility(False)
        self.body = ui.column().classes("w-full gap-3")
        self.flush()

    def on_event(self, event: Event, feed: RoomFeed) -> None:
        if isinstance(event, TextEdited) and event.activity == self.rendered_activity:
            editor = self.editors.get(event.field)
            me = feed.state.participants.get(self.pid)
            if editor is not None and me is not None and event.owner in (group_owner(me.group), self.pid):
                editor.remote(event.update)  # the change itself, at once: not the whole text
        if isinstance(event, SliderPlaced | ReasonWritten) and self._dirty is not None:
            self._dirty.add(event.item)  # a trio's move redraws one slider card, not five
        else:
            self._dirty = None
        self.throttle.poke()

    def on_reloaded(self, feed: RoomFeed) -> None:
        self._dirty = None  # the whole page from the room as Redis has it
        self.throttle.poke()

    def on_deleted(self) -> None:
        self.feed = None
        self.body.clear()
        self.notice.text = self.t("De begeleider heeft deze sessie verwijderd. Bedankt voor het meedoen!")

    def flush(self) -> None:
        if self.feed is None:
            return
        t = self.t
        state = self.feed.state
        only, self._dirty = self._dirty, set()
        view = participant_view(state, self.pid, t.lang, only_items=only)
        if view is None:
            self.notice.text = t("Je staat niet (meer) in deze sessie.")
            return
        self.who.text = view.name
        others = [n for n in view.group_names if n != view.name]
        self.group_line.text = t("Groep {view_group}", view_group=view.group) + (
            t(" · met ") + ", ".join(others)
            if others
            else t(" · nog even wachten op je groep")
        )
        if view.activity != self.rendered_activity:
            self._rebuild(view.activity)
        editable = view.status == "open"
        if view.activity is None:
            self.notice.text = t("Je doet mee. Zodra de begeleider een oefening start, verschijnt die hier.")
        elif not editable:
            self.notice.text = t("De begeleider heeft deze oefening vergrendeld: je kunt nu niets meer wijzigen.")
        else:
            self.notice.text = ""
        set_countdown(self.timer, view.timer_ends)
        if self.panel is not None:
            self.panel.update(view, editable)

    def _rebuild(self, activity_id: str | None) -> None:
        assert self.feed is not None
        self.rendered_activity = activity_id
        self.panel = None
        self.editors = {}
        self.body.clear()
        activity = current_activity(self.feed.state)
        if activity is None:
            return
        t = self.t
        with self.body:
            # a new exercise opens at its top, not at the scroll position of the one before
            ui.run_javascript("window.scrollTo(0, 0)")
            ui.label(t.text(activity.title)).classes("text-2xl font-bold").props("data-testid=activity-title")
            if activity.intro:
                ui.label(t.text(activity.intro)).classes("text-base")
            if activity.guide:
                with ui.expansion(t.text(activity.guide_title) if activity.guide_title else t("Zo werk je")).classes(
                        "w-full").props("dense data-testid=activity-guide"):
                    for number, step in enumerate(activity.guide, 1):
                        ui.label(f"{number}. {t.text(step)}").classes("text-sm")
            self.panel = build_panel(activity, t, self)

    async def _run(self, command, *args, key: tuple[str, ...] = ()) -> bool:  # type: ignore[no-untyped-def]
        """Run a write in this phone's order; say so when it is refused. When Redis cannot be
        reached the write is kept (the latest per ``key``) and written as soon as it is back."""
        async with self._writes:
            return await self._write(key or (command.__name__, *map(str, args)), command, args)

    async def _write(self, key: tuple[str, ...], command: Callable[..., Awaitable[object]],
                     args: tuple[object, ...]) -> bool:
        if not self._redis_ok:  # known to be away: keep it at once instead of waiting for the retries
            self._keep(key, command, args)
            return False
        try:
            await command(*args)
        except Rejected as exc:
            self._pending.pop(key, None)
            ui.notify(exc.text(self.t.lang), type="negative")
            return False
        except (RedisError, OSError) as exc:
            log.warning("a write failed in room %s; kept to retry: %s", self.code, type(exc).__name__)
            services().hub.lost(exc)
            self._keep(key, command, args)
            return False
        self._pending.pop(key, None)  # an older value of the same thing, superseded by this one
        return True

    def _keep(self, key: tuple[str, ...], command: Callable[..., Awaitable[object]], args: tuple[object, ...]) -> None:
        self._pending.pop(key, None)
        self._pending[key] = (command, args)  # last in order, as it was made last
        self._show_saving(self.t("Nog niet opgeslagen: de server is even niet bereikbaar. "
                                 "We proberen het opnieuw zodra hij terug is."), "warn")
        if self._retrying is None or self._retrying.done():
            self._retrying = asyncio.create_task(self._retry(), name=f"werkplaats-retry-{self.code}")

    async def _retry(self) -> None:
        """Write what was kept once Redis answers, oldest first; back off while it still fails."""
        attempt = saved = 0
        while self._pending:
            await services().hub.redis_back()
            await asyncio.sleep(backoff(attempt))
            attempt += 1
            async with self._writes:
                for key, (command, args) in list(self._pending.items()):
                    if self._pending.get(key) != (command, args):
                        continue
                    try:
                        await command(*args)
                    except Rejected as exc:  # e.g. the host locked the exercise meanwhile
                        self._pending.pop(key, None)
                        with self.body:
                            ui.notify(exc.text(self.t.lang), type="negative")
                    except (RedisError, OSError) as exc:
                        services().hub.lost(exc)
                        break
                    else:
                        self._pending.pop(key, None)
                        saved += 1
        if not saved:
            self._show_saving("", "")
            return
        self._show_saving(self.t("Opgeslagen: wat je deed terwijl de server weg was, staat erin."), "ok")
        await asyncio.sleep(6)
        if not self._pending:
            self._show_saving("", "")

    def _show_saving(self, text: str, kind: str) -> None:
        self.save_state.text = text
        self.save_state.classes(replace=f"wp-save {kind}")
        self.save_state.set_visibility(bool(text))

    def on_health(self, redis_ok: bool) -> None:
        """The hub lost Redis or found it again (called for every open view)."""
        self._redis_ok = redis_ok
        if self._pending or not hasattr(self, "save_state"):
            return  # the pending state says more (and the retry says when it is saved), or not built yet
        if redis_ok:
            self._show_saving("", "")
        else:
            self._show_saving(self.t("De server kan de gegevens even niet bereiken. "
                                     "Wat je nu doet, wordt opgeslagen zodra hij terug is."), "warn")

    def stop_retrying(self) -> None:
        if self._retrying is not None:
            self._retrying.cancel()

    def _group(self) -> int:
        assert self.feed is not None
        me = self.feed.state.participants.get(self.pid)
        return me.group if me else 0

    async def place(self, item: str, position: str, value: object) -> None:
        if self.rendered_activity is None:
            return
        self._counter += 1
        mine = self._latest[(item, position)] = self._counter
        async with self._writes:
            if self._latest.get((item, position)) != mine:
                return  # a newer value for this slider is already queued
            activity = self.rendered_activity
            key = ("place", activity, item, position)
            if not self._redis_ok:  # known to be away: keep it at once
                self._keep(key, services().store.place, (self.code, self.pid, activity, item, position, value))
                return
            try:
                await services().store.place(self.code, self.pid, activity, item, position, value)
            except Rejected as exc:
                self._pending.pop(key, None)
                ui.notify(exc.text(self.t.lang), type="negative")
                card = getattr(self.panel, "cards", {}).get(item)
                if card is not None and self.feed is not None and hasattr(card, "put_back"):
                    placed = self.feed.state.placements.get(activity, {}).get(item, {})
                    card.put_back(position, placed.get(self.pid, {}).get(position))
            except (RedisError, OSError) as exc:
                # kept, and written when Redis is back; the slider stays where the finger put it
                # and its value label keeps showing what the room has until then
                log.warning("a placement failed in room %s; kept to retry: %s", self.code, type(exc).__name__)
                services().hub.lost(exc)
                self._keep(key, services().store.place, (self.code, self.pid, activity, item, position, value))
            else:
                self._pending.pop(key, None)


async def participant_page(code: str, client: Client, lang: str = "", k: str = "") -> Response | None:
    """A phone's page. A browser that has not joined yet (it came by the QR code) gets the name form
    as plain HTML (``components.plain_join``): the page a whole room opens at once paints without NiceGUI's
    bundle, and the form's answer sends it back here, joined. ``k``: the QR code's key
    (``links.join_key``): with it the phone is never rate-limited, however many at the venue
    mistyped a code."""
    svc = await ready()
    code = code.upper()
    entry = await svc.store.phone_entry(code, browser_id())
    pid = entry.participant
    t = Tr(choose_lang(lang, entry.lang))
    if pid is None:
        answer = await entry_page(code, t, client_address(client), title=entry.title, exists=entry.exists,
                                  asked_lang=lang if lang in LANGS else "", key=k)
        # no NiceGUI page: nothing to keep for a socket that will not come (past the response
        # timeout NiceGUI has deleted it itself, and this task was cancelled before getting here)
        if not client.is_deleted:
            client.delete()
        return answer
    with frame(t("Sessie {code}", code=code), client=client, lang=t.lang):
        place = ui.column().classes("w-full gap-4")
    await enter(place, client, code, pid, t)
    return None


async def enter(place: ui.column, client: Client, code: str, pid: str, t: Tr) -> None:
    """The phone view of participant ``pid``, built in ``place``, following the room from now on."""
    svc = services()
    view = PhoneView(code, pid, t)
    with place:
        feed = await svc.hub.attach(code, view)
        if feed is None:
            error_block(t("Deze sessie bestaat niet meer."))
            return
        view.build(feed)
    await svc.store.touch(code, [pid])

    async def gone() -> None:
        view.connected = False
        await services().store.gone(code, pid)

    async def back() -> None:
        view.connected = True
        await services().store.touch(code, [pid])

    async def deleted() -> None:
        view.stop_retrying()
        await services().hub.detach(code, view)

    client.on_disconnect(gone)
    client.on_connect(back)
    client.on_delete(deleted)
