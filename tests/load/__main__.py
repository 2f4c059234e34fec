"""The load harness: simulated phones speaking NiceGUI's own protocol (no browser), a screen per room.

    uv run python -m tests.load --phones 30 --rooms 1 --rate 1 --seconds 10 [--url URL] [--json PATH]
        [--floor] [--processes 2]

Without ``--url`` it starts ``workshop`` itself on a free loopback port (against REDIS_URL, else
127.0.0.1:6379/9); with ``--processes N`` it starts N of them behind Debian's HAProxy, configured by
``deploy/haproxy.cfg`` (sticky cookie). Loopback only, bounded in count and time. Each phone opens
its room's page (where the QR code sends it), types its name into the page's own input, presses its
button, gets its phone view in the same page, places *Communicatie* once (so its trio is revealed),
then moves its *now* marker ``--rate`` times a second. ``--private``: no goal is placed, so
no trio is revealed and every move stays the phone's own (the phase before a reveal; no trio
latency then). Measured:

- trio latency: a placement → the other trio members' pages show that value or a newer one
  (visible latency, from the markers they receive);
- screen latency: a placement → the first render of the screen that includes it (each render
  says which room event it is up to, so a placement that leaves the rounded figures as they were
  still counts as shown); the screen coalesces to ~10 renders a second, so this includes up to
  ~100 ms of deliberate wait;
- join_all_s: all phones joining at once (cold burst): the form, its answer, the phone page and
  its socket; with ``--join-batch N`` they arrive N at a time instead (for the big rooms, whose
  steady state is the question);
- server CPU and RSS per connected phone (when the harness started the server).

See docs/benchmarks.md for the figures and ../shared/NICEGUI-LOAD-NOTES.md for the protocol.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import html
import json
import os
import random
import re
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp
import socketio

ELEMENTS = re.compile(r"parseElements\(String\.raw`(.*?)`\)", re.S)
QUERY = re.compile(r"'client_id': '([0-9a-f-]+)', 'next_message_id': (\d+)")
DIM = "communicatie"
VALUE_EVENTS = ("update:modelValue", "update:model-value", "update:value")


def parse_page(text: str) -> tuple[str, int, dict[str, Any]]:
    match, query = ELEMENTS.search(text), QUERY.search(text)
    if match is None or query is None:
        raise RuntimeError("not a NiceGUI page")
    raw = match.group(1)
    for entity, char in (("&#36;", "$"), ("&#96;", "`"), ("&gt;", ">"), ("&lt;", "<"), ("&amp;", "&")):
        raw = raw.replace(entity, char)
    return query.group(1), int(query.group(2)), json.loads(raw)


def by_testid(elements: dict[str, Any], testid: str) -> tuple[str, dict[str, Any]]:
    for element_id, element in elements.items():
        if isinstance(element, dict) and element.get("props", {}).get("data-testid") == testid:
            return element_id, element
    raise KeyError(testid)


def listener(element: dict[str, Any], *types: str) -> str:
    for event in element.get("events", []):
        if event["type"] in types:
            return str(event["listener_id"])
    raise KeyError(types)


DEFLATE = {"on": False}  # set by ``--deflate``


class Page:
    """One NiceGUI page over socket.io, as a browser would hold it."""

    def __init__(self, base: str, session: aiohttp.ClientSession, stats: Stats) -> None:
        self.base = base
        self.session = session
        self.stats = stats
        # a browser offers permessage-deflate on every websocket (Chromium: seen over CDP); with
        # ``--deflate`` the simulated pages do too, so the server pays what it pays then
        options = {"compress": 15} if DEFLATE["on"] else {}
        self.sio = socketio.AsyncClient(reconnection=False, websocket_extra_options=options)
        self.client_id = ""
        self.next_message_id = 0
        self.elements: dict[str, Any] = {}
        self.settled = False  # until then, updates are merged into ``elements`` (see ``element``)
        self._changed = asyncio.Event()
        self.on_update: Any = None
        self.sio.on("update", self._update)
        self.sio.on("disconnect", self._gone)
        self.closing = False

    async def open(self, path: str) -> None:
        async with self.session.get(self.base + path) as response:
            text = await response.text()
        self.client_id, self.next_message_id, self.elements = parse_page(text)
        query = (f"client_id={self.client_id}&next_message_id={self.next_message_id}&implicit_handshake=true"
                 f"&tab_id={uuid.uuid4()}&document_id={uuid.uuid4()}")
        # the socket carries the page's cookies, as a browser's does: behind the proxy the sticky
        # cookie sends it to the process that built the page
        cookies = "; ".join(f"{c.key}={c.value}" for c in self.session.cookie_jar)
        await self.sio.connect(f"{self.base}?{query}", socketio_path="/_nicegui_ws/socket.io",
                               transports=["websocket"], wait_timeout=60,
                               headers={"Cookie": cookies} if cookies else {})

    async def element(self, testid: str, within: float = 60.0) -> tuple[str, dict[str, Any]]:
        """An element, from the page's HTML or from the updates since: under load NiceGUI answers a
        page request after its response timeout with what is built so far, and sends the rest over
        the socket, as a browser would receive it."""
        deadline = time.perf_counter() + within
        while True:
            try:
                return by_testid(self.elements, testid)
            except KeyError:
                remaining = deadline - time.perf_counter()
                if remaining <= 0:
                    texts = sorted({str(e.get("text") or e.get("props", {}).get("data-testid"))[:60]
                                    for e in self.elements.values() if isinstance(e, dict)} - {"None"})
                    raise KeyError(f"{testid} not on the page, which shows: {texts[:8]}") from None
            self._changed.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._changed.wait(), remaining)

    async def _update(self, message: dict[str, Any]) -> None:
        now = time.perf_counter()
        if "_id" in message:
            self.next_message_id = int(message["_id"]) + 1
        if not self.settled:
            self.elements.update({k: v for k, v in message.items() if isinstance(v, dict)})
            self._changed.set()
        if self.on_update is not None:
            self.on_update(message, now)

    async def _gone(self, *_args: Any) -> None:
        if not self.closing:
            self.stats.dropped += 1

    async def emit(self, element_id: str, listener_id: str, *args: Any) -> None:
        await self.sio.emit("event", {"id": int(element_id), "client_id": self.client_id, "listener_id": listener_id,
                                      "args": [json.dumps(a) for a in args]})

    async def ack(self) -> None:
        if self.sio.connected:
            await self.sio.emit("ack", {"client_id": self.client_id, "next_message_id": self.next_message_id})

    async def close(self) -> None:
        self.closing = True
        await self.sio.disconnect()


@dataclass
class Stats:
    trio: list[float] = field(default_factory=list)
    screen: list[float] = field(default_factory=list)
    joins: list[float] = field(default_factory=list)
    errors: int = 0
    error_kinds: dict[str, int] = field(default_factory=dict)
    dropped: int = 0
    expected: int = 0
    delivered: int = 0


class Phone:
    def __init__(self, base: str, code: str, name: str, stats: Stats, *, via_start: bool = False) -> None:
        self.base, self.code, self.name, self.stats = base, code, name, stats
        self.via_start = via_start
        self.session = aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True))
        self.page = Page(base, self.session, stats)
        self.card = self.place = ""  # the slider card's element and its "act" listener
        self.sent: list[tuple[float, int]] = []  # (time, value) of this phone's now-placements
        self.group: list[Phone] = []
        self.seen: dict[str, int] = {}  # sender name -> latest value shown here
        self.goal = random.randint(60, 100)

    async def join(self) -> None:
        """As a phone that scanned the QR code: the room's page (a plain form), a name, "Meedoen",
        then the phone page it is sent to. ``via_start``: as a phone that typed the code on the
        start page (a NiceGUI page), which sends it on to the room's page."""
        started = time.perf_counter()
        if self.via_start:
            landing = Page(self.base, self.session, self.stats)
            landing.closing = True
            redirected = asyncio.Event()
            landing.sio.on("open", lambda *_: redirected.set())  # the server sends the browser to its room
            await landing.open(f"/?code={self.code}")
            await self.type_name(landing)
            await asyncio.wait_for(redirected.wait(), timeout=60)
            await landing.close()
            await self.page.open(f"/room/{self.code}")
        else:
            # the QR code's page is a plain form; its answer sends the browser to the phone page
            async with self.session.get(f"{self.base}/room/{self.code}") as form:
                assert 'data-testid="join-name"' in await form.text(), f"no name form: HTTP {form.status}"
            async with self.session.post(f"{self.base}/room/{self.code}/join", data={"name": self.name},
                                         allow_redirects=False) as answer:
                assert answer.status == 303, f"the join was refused: HTTP {answer.status}"
            await self.page.open(answer.headers["location"])
        self.card, card = await self.page.element(f"item-{DIM}")  # one element: slider_card.js
        self.place = listener(card, "act")
        self.page.settled = True
        self.page.on_update = self._update
        self.stats.joins.append(time.perf_counter() - started)

    async def type_name(self, page: Page) -> None:
        name_id, name_el = await page.element("join-name")
        submit_id, submit_el = await page.element("join-submit")
        await page.emit(name_id, listener(name_el, *VALUE_EVENTS), self.name)
        await page.emit(submit_id, listener(submit_el, "click"), None)

    def _update(self, message: dict[str, Any], now: float) -> None:
        element = message.get(self.card)
        if not element:
            return
        content = str(element.get("props", {}).get("markers", ""))
        for member in self.group:
            if member is self:
                continue
            found = re.search(re.escape(html.escape(member.name)) + r": (\d+) / ", content)
            if found is None:
                continue
            value = int(found.group(1))
            if self.seen.get(member.name) == value:
                continue
            self.seen[member.name] = value
            member.shown(self, value, now)

    def shown(self, receiver: Phone, value: int, now: float) -> None:
        """A member shows this phone's value: record the visible latency of every placement it covers."""
        key = f"_matched_{id(receiver)}"
        done = getattr(self, key, 0)
        index = None
        for i in range(len(self.sent) - 1, done - 1, -1):
            if self.sent[i][1] == value:
                index = i
                break
        if index is None:
            return
        for i in range(done, index + 1):
            self.stats.trio.append(now - self.sent[i][0])
            self.stats.delivered += 1
        setattr(self, key, index + 1)

    async def place_goal(self) -> None:
        await self.page.emit(self.card, self.place, {"kind": "place", "position": "goal", "value": self.goal})

    async def place_now(self, value: int) -> None:
        self.sent.append((time.perf_counter(), value))
        await self.page.emit(self.card, self.place, {"kind": "place", "position": "now", "value": value})


@dataclass
class ScreenClock:
    """A room's placements in the order they were sent, matched against what the screen shows.

    The screen marks each render with the room event it is up to (``data-seq``); during the
    measurement every event is a placement, so a render at seq S shows the first S − ``base`` of
    them, whether or not the rounded figures on the screen moved.
    """

    sent: list[float] = field(default_factory=list)
    seen: int = 0  # the latest seq the screen showed
    base: int | None = None  # the seq when the measurement started
    shown: int = 0

    def reset(self) -> None:
        self.sent.clear()
        self.base, self.shown = self.seen, 0

    def showing(self, seq: int, now: float, stats: Stats) -> None:
        self.seen = seq
        if self.base is None:
            return
        covered = min(seq - self.base, self.shown + len(self.sent))
        newly = max(0, covered - self.shown)
        stats.screen.extend(now - t for t in self.sent[:newly])
        del self.sent[:newly]
        self.shown += newly


async def screen_for(base: str, code: str, stats: Stats, clock: ScreenClock) -> Page:
    session = aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True))
    page = Page(base, session, stats)
    await page.open(f"/screen/{code}")

    def update(message: dict[str, Any], now: float) -> None:
        for element in message.values():
            if isinstance(element, dict) and element.get("props", {}).get("data-testid") == "screen-counts":
                clock.showing(int(element["props"].get("data-seq", 0)), now, stats)

    page.on_update = update
    return page


async def server_groups(redis_url: str, codes: list[str]) -> list[list[str]]:
    from redis.asyncio import Redis

    from rooms.store import RoomStore

    redis = Redis.from_url(redis_url, decode_responses=True)
    store = RoomStore(redis)
    out = []
    for code in codes:
        state = await store.load(code)
        assert state is not None
        out += [[m.name for m in state.members(g)] for g in state.groups()]
    await redis.aclose()
    return out


def percentiles(values: list[float]) -> dict[str, float | None]:
    if not values:
        return {"p50": None, "p95": None, "p99": None, "max": None}
    ordered = sorted(values)

    def at(q: float) -> float:
        return round(ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000, 2)

    return {"p50": at(0.50), "p95": at(0.95), "p99": at(0.99), "max": round(ordered[-1] * 1000, 2)}


def proc_stat(pid: int) -> tuple[float, int]:
    """(CPU seconds, RSS kB) of a process."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    ticks = os.sysconf("SC_CLK_TCK")
    cpu = (int(fields[11]) + int(fields[12])) / ticks
    rss = next(int(line.split()[1]) for line in Path(f"/proc/{pid}/status").read_text().splitlines()
               if line.startswith("VmRSS"))
    return cpu, rss


async def make_rooms(redis_url: str, count: int) -> list[str]:
    from redis.asyncio import Redis

    from rooms.store import RoomStore
    from rooms.templates import load_template

    redis = Redis.from_url(redis_url, decode_responses=True)
    store = RoomStore(redis)
    codes = []
    for _ in range(count):
        code, _ = await store.create_room(load_template())
        await store.start(code, "vijf-schuiven")
        codes.append(code)
    await redis.aclose()
    return codes


async def paced_values(rate: float, seconds: float) -> AsyncIterator[int]:
    """A phone's moves: a random start within the first period, then a new value (never the
    same twice in a row) ``rate`` times a second for ``seconds``."""
    await asyncio.sleep(random.random() / rate)
    end = time.perf_counter() + seconds
    last = -1
    while time.perf_counter() < end:
        last = random.choice([v for v in range(101) if v != last])
        yield last
        await asyncio.sleep(1 / rate)


async def in_batches(joins: list[Awaitable[None]], batch: int) -> list[object]:
    """Await the joins ``batch`` at a time (all at once: a cold burst); exceptions are returned."""
    results: list[object] = []
    size = batch or max(1, len(joins))
    for first in range(0, len(joins), size):
        results += await asyncio.gather(*joins[first:first + size], return_exceptions=True)
    return results


def procs_stat(pids: list[int]) -> tuple[float, int]:
    """(CPU seconds, RSS kB) summed over the server processes."""
    figures = [proc_stat(pid) for pid in pids]
    return sum(f[0] for f in figures), sum(f[1] for f in figures)


async def scrape(urls: Sequence[str]) -> dict[str, float]:
    """The servers' ``/metrics`` (each process directly, as Prometheus scrapes them), summed by sample name."""
    from prometheus_client.parser import text_string_to_metric_families

    totals: dict[str, float] = {}
    async with aiohttp.ClientSession() as session:
        for url in urls:
            async with session.get(f"{url}/metrics", timeout=aiohttp.ClientTimeout(total=10)) as response:
                text = await response.text()
            for family in text_string_to_metric_families(text):
                for sample in family.samples:
                    totals[sample.name] = totals.get(sample.name, 0.0) + sample.value
    return totals


async def run(args: argparse.Namespace, base: str, server_pids: list[int], redis_url: str,
              metric_urls: Sequence[str] = ()) -> dict[str, Any]:
    stats = Stats()
    codes = await make_rooms(redis_url, args.rooms)
    screen_clocks = {code: ScreenClock() for code in codes}
    screens = [await screen_for(base, code, stats, screen_clocks[code]) for code in codes]
    before = procs_stat(server_pids) if server_pids else None
    per_room = args.phones // args.rooms
    phones = [Phone(base, code, f"P{r}-{i}", stats, via_start=args.via == "start")
              for r, code in enumerate(codes) for i in range(per_room)]
    started = time.perf_counter()
    batch = args.join_batch or len(phones)  # default: everyone at once (the cold burst)
    async def acks() -> None:
        """As NiceGUI's browser code does every 3 s from page load: the server may then drop the
        messages it keeps for resending after a reconnect."""
        while True:
            await asyncio.sleep(3)
            await asyncio.gather(*(p.page.ack() for p in phones), *(s.ack() for s in screens),
                                 return_exceptions=True)

    ack_task = asyncio.create_task(acks())
    results = await in_batches([p.join() for p in phones], batch)
    join_all = time.perf_counter() - started
    stats.errors += sum(1 for r in results if isinstance(r, BaseException))
    for r in results:
        if isinstance(r, BaseException):
            kind = f"join: {type(r).__name__}: {str(r)[:80]}"
            stats.error_kinds[kind] = stats.error_kinds.get(kind, 0) + 1
    joined = [p for p, r in zip(phones, results, strict=True) if not isinstance(r, BaseException)]
    groups = await server_groups(redis_url, codes)  # the trios as the server formed them
    by_name = {p.name: p for p in joined}
    for members in groups:
        group = [by_name[n] for n in members if n in by_name]
        for p in group:
            p.group = group
    gc.freeze()  # the harness's own full collections would show up as latency: keep them to what is new
    # --private: nobody places the goal, so no trio is complete and every move stays private
    warm = [] if args.private else await asyncio.gather(*(p.place_goal() for p in joined), return_exceptions=True)
    warm += await asyncio.gather(*(p.place_now(random.randint(0, 100)) for p in joined), return_exceptions=True)
    stats.errors += sum(1 for r in warm if isinstance(r, BaseException))
    await asyncio.sleep(3.5)  # every trio complete and revealed, and every page acknowledged once
    # memory per phone as the phones are connected and settled (a page's first messages are kept
    # for a resend until the browser acknowledges them, every 3 s)
    after_join = procs_stat(server_pids) if server_pids else None
    stats.trio.clear()
    stats.delivered = 0
    for p in joined:
        p.sent.clear()
        for key in [k for k in vars(p) if k.startswith("_matched_")]:
            setattr(p, key, 0)
    for clock in screen_clocks.values():
        clock.reset()
    stats.screen.clear()
    cpu_start = procs_stat(server_pids)[0] if server_pids else 0.0
    metrics_before = await scrape(metric_urls) if metric_urls else {}
    window_start = time.perf_counter()


    async def phone_loop(phone: Phone) -> None:
        async for value in paced_values(args.rate, args.seconds):
            screen_clocks[phone.code].sent.append(time.perf_counter())
            try:
                await phone.place_now(value)
            except Exception:
                stats.errors += 1

    await asyncio.gather(*(phone_loop(p) for p in joined))
    await asyncio.sleep(1.5)  # let the last placements arrive
    ack_task.cancel()
    cpu_used = (procs_stat(server_pids)[0] - cpu_start) if server_pids else None
    metrics_after = await scrape(metric_urls) if metric_urls else {}
    window = time.perf_counter() - window_start  # the moves, their overrun when saturated, and the grace
    placements = sum(len(p.sent) for p in joined)
    stats.expected = 0 if args.private else sum(len(p.sent) * (len(p.group) - 1) for p in joined)
    # behind the proxy: which process each phone stuck to (its sticky cookie)
    replicas: dict[str, int] = {}
    for p in joined:
        cookie = next((c.value for c in p.session.cookie_jar if c.key == "werkplaats_replica"), "direct")
        replicas[cookie] = replicas.get(cookie, 0) + 1
    for page in [*(p.page for p in joined), *screens]:
        await page.close()
        await page.session.close()
    trio, screen = percentiles(stats.trio), percentiles(stats.screen)
    report: dict[str, Any] = {
        "phones": len(phones),
        "rooms": args.rooms,
        "processes": max(1, len(server_pids)),
        "rate_hz": args.rate,
        "seconds": args.seconds,
        "placements": placements,
        "trio_p50_ms": trio["p50"], "trio_p95_ms": trio["p95"], "trio_p99_ms": trio["p99"], "trio_max_ms": trio["max"],
        "screen_p50_ms": screen["p50"], "screen_p95_ms": screen["p95"], "screen_p99_ms": screen["p99"],
        "join_all_s": round(join_all, 2),
        "join_batch": batch,
        "via": args.via,
        "join_p50_ms": round(statistics.median(stats.joins) * 1000, 1) if stats.joins else None,
        "delivered": stats.delivered,
        "expected": stats.expected,
        "errors": stats.errors,
        "error_kinds": stats.error_kinds,
        "dropped": stats.dropped,
        "phones_per_process": replicas,
    }
    if metrics_after:  # what the processes' /metrics said while the phones were moving
        report["metrics"] = {
            "placements_counted": metrics_after.get("werkplaats_placements_total", 0.0)
            - metrics_before.get("werkplaats_placements_total", 0.0),
            "phones_connected": metrics_after.get("werkplaats_phones_connected"),
            "rooms_followed": metrics_after.get("werkplaats_rooms_followed"),
            "hub_lag_events": metrics_after.get("werkplaats_hub_lag_events"),
            "redis_up": metrics_after.get("werkplaats_redis_up"),
            "redis_rtt_ms": round(1000 * metrics_after.get("werkplaats_redis_rtt_seconds", 0.0), 2),
        }
        gc_seconds = (metrics_after.get("werkplaats_gc_seconds_total", 0.0)
                      - metrics_before.get("werkplaats_gc_seconds_total", 0.0))
        report["metrics"]["gc_ms_per_placement"] = round(1000 * gc_seconds / max(1, placements), 3)
        report["metrics"]["gc_pct"] = round(100 * gc_seconds / window, 1)  # of one core, summed
    if before and after_join:
        report["rss_kb_per_phone"] = round((after_join[1] - before[1]) / max(1, len(joined)), 1)
        report["server_rss_mb"] = round(after_join[1] / 1024, 1)
    if cpu_used is not None:
        report["server_cpu_pct"] = round(100 * cpu_used / window, 1)  # summed over the processes
        report["server_cpu_ms_per_placement"] = round(1000 * cpu_used / max(1, placements), 3)
    return report


async def run_floor(args: argparse.Namespace, base: str, pid: int | None = None) -> dict[str, Any]:
    """The same phones and rates against the floor app: phone slider → Redis → projector label.
    With the floor's ``pid``, its CPU per placement and memory per phone, measured as ours."""
    stats = Stats()
    sent: dict[str, list[tuple[float, int]]] = {}
    matched: dict[str, int] = {}
    latencies: list[float] = []
    screens = []
    for room in range(args.rooms):
        session = aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True))
        screen = Page(base, session, stats)
        await screen.open(f"/screen?room=r{room}")
        label_id, _ = await screen.element("floor-label")
        screen.settled = True

        def update(message: dict[str, Any], now: float, label_id: str = label_id) -> None:
            element = message.get(label_id)
            if not element or ":" not in str(element.get("text", "")):
                return
            name, value = str(element["text"]).split(":", 1)
            history = sent.get(name, [])
            index = next((i for i in range(len(history) - 1, matched.get(name, 0) - 1, -1)
                          if history[i][1] == int(value)), None)
            if index is None:
                return
            # one label for the whole room: a value another phone overtook is never shown, so only the
            # value on screen counts (its older, overtaken values are not latency, they are gone)
            latencies.append(now - history[index][0])
            matched[name] = index + 1

        screen.on_update = update
        screens.append(screen)
    per_room = args.phones // args.rooms
    pages: list[tuple[str, Page, str, str]] = []
    before = procs_stat([pid]) if pid else None

    async def join(room: int, i: int) -> None:
        page = Page(base, aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)), stats)
        name = f"F{room}-{i}"
        await page.open(f"/phone?room=r{room}&name={name}")
        slider_id, slider = await page.element("floor-slider")
        page.settled = True
        pages.append((name, page, slider_id, listener(slider, "change")))

    started = time.perf_counter()
    # the same arrivals as our run
    results = await in_batches([join(r, i) for r in range(args.rooms) for i in range(per_room)], args.join_batch)
    join_all = time.perf_counter() - started
    stats.errors += sum(1 for r in results if isinstance(r, BaseException))
    gc.freeze()  # as in our run: the harness's own collections are not the floor's latency
    await asyncio.sleep(1)
    after_join = procs_stat([pid]) if pid else None
    window_start = time.perf_counter()

    async def loop(name: str, page: Page, slider_id: str, listener_id: str) -> None:
        async for value in paced_values(args.rate, args.seconds):
            sent.setdefault(name, []).append((time.perf_counter(), value))
            try:
                await page.emit(slider_id, listener_id, value)
            except Exception:
                stats.errors += 1  # e.g. the floor dropped this phone under load: counted, not fatal

    await asyncio.gather(*(loop(*p) for p in pages))
    await asyncio.sleep(1.5)
    window = time.perf_counter() - window_start
    cpu_used = procs_stat([pid])[0] - after_join[0] if pid and after_join else None
    for _, page, _, _ in pages:
        await page.close()
        await page.session.close()
    for screen in screens:
        await screen.close()
        await screen.session.close()
    figures = percentiles(latencies)
    placed = sum(len(v) for v in sent.values())
    report: dict[str, Any] = {
        "p50_ms": figures["p50"], "p95_ms": figures["p95"], "p99_ms": figures["p99"], "max_ms": figures["max"],
        "join_all_s": round(join_all, 2), "errors": stats.errors, "dropped": stats.dropped,
        "shown": len(latencies), "sent": placed}
    if before and after_join:
        report["rss_kb_per_phone"] = round((after_join[1] - before[1]) / max(1, len(pages)), 1)
    if cpu_used is not None:
        report["cpu_pct"] = round(100 * cpu_used / window, 1)
        report["cpu_ms_per_placement"] = round(1000 * cpu_used / max(1, placed), 3)
    return report


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m tests.load", description=__doc__.split("\n")[0])
    parser.add_argument("--phones", type=int, default=30)
    parser.add_argument("--rooms", type=int, default=1)
    parser.add_argument("--rate", type=float, default=1.0, help="placements per phone per second")
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--url", default=None, help="a running workshop on loopback (default: start one)")
    parser.add_argument("--json", default=None, help="write the figures to this file")
    parser.add_argument("--floor", action="store_true", help="also run the minimal floor app, same load")
    parser.add_argument("--join-batch", type=int, default=0,
                        help="phones join this many at a time (default: all at once, a cold burst)")
    parser.add_argument("--via", choices=["qr", "start"], default="qr",
                        help="qr: phones open the room's page, as the QR code sends them; start: they type the "
                             "code on the start page, which sends them on to the room's page")
    parser.add_argument("--private", action="store_true",
                        help="moves before the reveal: no goal is placed, so the trio sees nothing (no trio latency)")
    parser.add_argument("--processes", type=int, default=1,
                        help="workshop processes sharing Redis; more than one runs behind HAProxy")
    parser.add_argument("--deflate", action="store_true",
                        help="the pages' websockets offer permessage-deflate, as browsers' do")
    args = parser.parse_args()
    DEFLATE["on"] = args.deflate
    bounded = (1 <= args.phones <= 2500 and 1 <= args.processes <= 4 and 1 <= args.rooms <= 100
               and 0 < args.seconds <= 600 and args.rate <= 20)
    if not bounded:
        parser.error("bounded: 1–2,500 phones, 1–4 processes, 1–100 rooms, ≤ 600 s, ≤ 20 Hz")
    redis_url = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/9")
    servers: list[Any] = []
    proxy = None
    if args.url:
        if not re.match(r"^http://(127\.0\.0\.1|localhost)(:\d+)?$", args.url):
            parser.error("loopback only: --url http://127.0.0.1:PORT")
        base = args.url
    else:
        from tests.e2e.conftest import free_port, start_proxy, start_server

        for _ in range(args.processes):
            servers.append(start_server(free_port(), tempfile.mkdtemp(prefix="werkplaats-load-"), redis_url,
                                        worker="off"))
        if args.processes > 1:  # behind Debian's HAProxy with the deploy config's sticky cookie
            proxy = start_proxy(servers)
        base = proxy.url if proxy else servers[0].url
    try:
        report = asyncio.run(run(args, base, [s.process.pid for s in servers], redis_url, [s.url for s in servers]))
    finally:
        from tests.e2e.conftest import stop_proxy, stop_server

        if proxy is not None:
            stop_proxy(proxy)
        for server in servers:
            stop_server(server)
    if args.json:  # our figures are kept even if the floor's run fails
        Path(args.json).write_text(json.dumps(report, indent=1) + "\n")
    if args.floor:
        from tests.e2e.conftest import free_port

        port = free_port()
        env = {**os.environ, "REDIS_URL": redis_url}
        env = {k: v for k, v in env.items() if not k.startswith("NICEGUI_") and k != "PYTEST_CURRENT_TEST"}
        import subprocess

        floor = subprocess.Popen([sys.executable, "-m", "tests.load.floor", "--port", str(port)], env=env,
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            base_floor = f"http://127.0.0.1:{port}"
            for _ in range(150):
                try:
                    import urllib.request

                    urllib.request.urlopen(base_floor + "/api/health", timeout=1)
                    break
                except OSError:
                    time.sleep(0.2)
            report["floor"] = asyncio.run(run_floor(args, base_floor, floor.pid))
        finally:
            floor.terminate()
            floor.wait(timeout=15)
        floor_p95 = report["floor"].get("p95_ms")
        if floor_p95 and report.get("trio_p95_ms") is not None:
            report["trio_p95_over_floor_p95"] = round(report["trio_p95_ms"] / floor_p95, 2)
    text = json.dumps(report, indent=1)
    print(text)
    if args.json:
        Path(args.json).write_text(text + "\n")
    sys.exit(0 if report["errors"] == 0 else 1)


if __name__ == "__main__":
    main()
