#!/usr/bin/env python
"""How much the content script costs while someone scrolls X, in real Chromium with the built extension.

Opens the saved home timeline (answered by request interception), then scrolls the way X's virtual
list does: new tweet cells appear in bursts and old ones are removed, for `--seconds`. Reads the
content script's own counters (longest MutationObserver callback, longest reading slice, batches
sent) from its isolated world over CDP, and counts the page's long tasks (> 50 ms on the main thread).
A real `rapport serve` receives the batches. Prints a table, then one JSON line. Not a test: nothing
here passes or fails on speed.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from tests.conftest import Companion  # noqa: E402

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
EXTENSION = REPO / "extension" / "dist" / "chrome"
HOME = REPO.parent / "shared" / "x-dom" / "home-timeline-fullpage__ibbi_twooter__Home_X.html"
FRAME_MS = 16.7

# X's virtual list, imitated: clone a tweet cell with a fresh status id and a new author (the worst
# case for badge lookups: every name unseen), add a burst at the bottom, drop as many from the top.
SCROLL = """([burst, round]) => {
  const cells = [...document.querySelectorAll('[data-testid="cellInnerDiv"]')];
  const template = window.__rapportBenchTemplate ??=
    cells.find((c) => c.querySelector('article[data-testid="tweet"]'));
  const author = template.querySelector('[data-testid="User-Name"] a[href]').getAttribute('href').replace(/^.*\\//, '');
  const list = template.parentElement;
  for (let i = 0; i < burst; i += 1) {
    const cell = template.cloneNode(true);
    const n = round * 1000 + i;
    const id = String(1900000000000000000n + BigInt(n));
    for (const link of cell.querySelectorAll('a[href*="/status/"]')) {
      link.setAttribute("href", link.getAttribute("href").replace(/status\\/\\d+/, `status/${id}`));
    }
    for (const link of cell.querySelectorAll(`a[href$="/${author}"]`)) link.setAttribute("href", `/bench_${n}`);
    list.appendChild(cell);
    const first = list.querySelector('[data-testid="cellInnerDiv"]');
    if (first && first !== template && list.children.length > 40) first.remove();
  }
  return list.children.length;
}"""

LONG_TASKS = """() => {
  window.__rapportLongTasks = [];
  new PerformanceObserver((list) => { for (const e of list.getEntries()) window.__rapportLongTasks.push(e.duration); })
    .observe({ type: "longtask", buffered: false });
}"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=20.0, help="how long to scroll")
    # A fast human scroll: about seven new tweets a second.
    parser.add_argument("--burst", type=int, default=1, help="tweet cells per burst")
    parser.add_argument("--interval-ms", type=int, default=150, help="time between bursts")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    work = Path(tempfile.mkdtemp(prefix="rapport-content-bench-"))
    (work / "data").mkdir()
    companion = Companion(work / "data").start()
    try:
        with sync_playwright() as playwright:
            context = playwright.chromium.launch_persistent_context(
                str(work / "profile"), executable_path=CHROMIUM, headless=True,
                args=[f"--disable-extensions-except={EXTENSION}", f"--load-extension={EXTENSION}", "--no-sandbox",
                      "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                      "--disable-sync", "--no-first-run"])
            home = HOME.read_bytes()
            context.route("https://x.com/**", lambda route: route.fulfill(
                status=200 if route.request.url.rstrip("/").endswith("/home") else 404,
                body=home if route.request.url.rstrip("/").endswith("/home") else b"",
                headers={"content-type": "text/html; charset=utf-8"}))
            deadline = time.monotonic() + 10
            while not context.service_workers and time.monotonic() < deadline:
                time.sleep(0.05)
            worker = context.service_workers[0]
            worker.evaluate("([url, token]) => chrome.storage.local.set({companion_url: url, companion_token: token})",
                            [companion.base, companion.token])
            page = context.new_page()
            cdp = context.new_cdp_session(page)
            worlds: dict[str, int] = {}
            cdp.on("Runtime.executionContextCreated", lambda event: worlds.update(
                {event["context"]["name"]: event["context"]["id"]}))
            cdp.send("Runtime.enable")
            page.goto("https://x.com/home")
            page.wait_for_timeout(1500)
            context_id = worlds.get("Rapport")
            if context_id is None:
                raise SystemExit(f"the content script's world was not found (worlds: {sorted(worlds)})")

            def agent_stats() -> dict:
                answer = cdp.send("Runtime.evaluate", {
                    "expression": "JSON.stringify({...globalThis.__rapportContentScript.agent.stats, "
                                  "chips: globalThis.__rapportContentScript.chips.stats, "
                                  "badges: globalThis.__rapportContentScript.store.stats})",
                    "contextId": context_id, "returnByValue": True})
                return json.loads(answer["result"]["value"])

            page.evaluate(LONG_TASKS)
            before = agent_stats()
            rounds = int(args.seconds * 1000 / args.interval_ms)
            started = time.monotonic()
            for n in range(rounds):
                page.evaluate(SCROLL, [args.burst, n])
                page.wait_for_timeout(args.interval_ms)
            elapsed = time.monotonic() - started
            page.wait_for_timeout(2500)  # the last batch goes out
            after = agent_stats()
            background = worker.evaluate("globalThis.rapportStats()")
            long_tasks = page.evaluate("window.__rapportLongTasks")
            context.close()
    finally:
        companion.stop()
        shutil.rmtree(work, ignore_errors=True)

    sent = after["sent"] - before["sent"]
    cells = rounds * args.burst
    result = {
        "content_longest_callback_ms": round(after["longest_callback_ms"], 2),
        "content_longest_slice_ms": round(after["longest_slice_ms"], 2),
        "content_batches_per_s": round(sent / elapsed, 2),
        "content_tweets_read": after["scraped"] - before["scraped"],
        "content_long_tasks": len(long_tasks),
        "chips_longest_slice_ms": round(after["chips"]["longest_slice_ms"], 2),
        "chips_created": after["chips"]["chips_created"] - before["chips"]["chips_created"],
        "badge_messages_per_s": round((after["badges"]["messages"] - before["badges"]["messages"]) / elapsed, 2),
        "badge_requests_per_s": round(background["badges"]["requests"] / elapsed, 2),
        "badge_handles_asked": background["badges"]["handles_requested"],
    }
    rows = [
        ("tweet cells added while scrolling", f"{cells} in {elapsed:.1f} s", ""),
        ("longest MutationObserver callback", f"{result['content_longest_callback_ms']} ms",
         f"< {FRAME_MS} ms (a frame)"),
        ("longest reading slice", f"{result['content_longest_slice_ms']} ms", f"< {FRAME_MS} ms"),
        ("elements read", str(result["content_tweets_read"]), ""),
        ("batches sent to the background", f"{sent} ({result['content_batches_per_s']}/s)", "a few per second"),
        ("long tasks on the page (> 50 ms)", str(result["content_long_tasks"]), "0"),
        ("chips placed (one per new name)", str(result["chips_created"]), f"{cells}"),
        ("longest chip slice", f"{result['chips_longest_slice_ms']} ms", f"< {FRAME_MS} ms"),
        ("badge messages to the background", f"{result['badge_messages_per_s']}/s", "a few per second"),
        ("badge requests to the companion", f"{result['badge_requests_per_s']}/s "
         f"({result['badge_handles_asked']} handles)", "a few per second"),
    ]
    print(f"{'content script while scrolling':36} {'value':>22}  target")
    for name, value, target in rows:
        print(f"{name:36} {value:>22}  {target}")
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
