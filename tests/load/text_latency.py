"""Keystroke → other phone latency of a shared text (issue 15), in real browsers.

``python -m tests.load.text_latency --url http://127.0.0.1:8511 --keys 60 --delay 200``: creates
a room through the host page, joins two phones (Chromium, one browser), starts the case, and
has Anna type into the title while Bram's page watches the field. Each key's latency is the
time from Anna's keydown (``Date.now()`` in her page) to the moment Bram's field shows that
character (``Date.now()`` in a MutationObserver-free polling loop of ``requestAnimationFrame``
in his page; both pages run on this machine's clock). Prints the median, p95 and max in ms.
"""

from __future__ import annotations

import argparse
import asyncio
import re
import statistics

from playwright.async_api import async_playwright, expect

from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS
from tests.e2e.test_coediting import join

WATCH = """() => {
  window.__seen = [];
  const box = document.querySelector('[data-testid=text-titel]');
  let last = box.value.length;
  const tick = () => {
    if (box.value.length !== last) { last = box.value.length; window.__seen.push([last, Date.now()]); }
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
}"""

STAMP = """() => {
  window.__sent = [];
  const box = document.querySelector('[data-testid=text-titel]');
  box.addEventListener('keydown', () => window.__sent.push(Date.now()), true);
}"""


async def measure(url: str, keys: int, delay: float) -> list[float]:
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        host = await (await browser.new_context()).new_page()
        await host.goto(url + "/")
        await host.get_by_text("Zelf een sessie begeleiden").click()
        await host.get_by_test_id("create-room").click()
        await host.wait_for_url(re.compile(r"/host/"))
        code = (await host.get_by_test_id("room-code").inner_text()).strip()
        (_a, anna), (_b, bram) = [await join(browser, url, code, name) for name in ("Anna", "Bram")]
        await host.get_by_test_id("start-casus").click()
        await expect(bram.get_by_test_id("text-titel")).to_be_visible()
        await expect(anna.get_by_test_id("text-titel")).to_be_visible()
        await bram.evaluate(WATCH)
        await anna.evaluate(STAMP)
        box = anna.get_by_test_id("text-titel")
        await box.click()
        await anna.keyboard.type("abcdefghij" * (keys // 10 + 1), delay=delay)
        await asyncio.sleep(2)
        sent: list[int] = (await anna.evaluate("() => window.__sent"))[:keys]
        seen = dict(await bram.evaluate("() => window.__seen"))
        await browser.close()
    return [float(seen[n] - at) for n, at in enumerate(sent, start=1) if n in seen]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", required=True)
    parser.add_argument("--keys", type=int, default=60)
    parser.add_argument("--delay", type=float, default=200.0, help="ms between keys")
    args = parser.parse_args()
    latencies = asyncio.run(measure(args.url, args.keys, args.delay))
    ordered = sorted(latencies)
    p95 = ordered[max(0, round(0.95 * len(ordered)) - 1)]
    print(f"{len(ordered)} of {args.keys} keys seen on the other phone; latency ms: "
          f"median {statistics.median(ordered):.0f}, p95 {p95:.0f}, max {ordered[-1]:.0f}")


if __name__ == "__main__":
    main()
