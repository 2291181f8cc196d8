#!/usr/bin/env python
"""How much the content script costs while someone scrolls X, in real Chromium with the built extension.

Opens the saved home timeline (answered by request interception), then scrolls the way X's virtual
list does: new tweet cells appear in bursts and old ones are removed, for `--seconds`. Reads the
content script's own counters (longest MutationObserver callback, longest reading slice, batches
sent, and the p50/p99 of its slices and callbacks) from its isolated world over CDP, and counts the
page's long tasks (> 50 ms on the main thread) and its frame times. The same scrolling runs first
without the extension: the baseline, in the same run. A real `rapport serve` receives the batches.
Prints a table, then one JSON line. Not a test: nothing here passes or fails on speed.
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


FRAMES = """() => {
  window.__rapportFrames = [];
  let last = performance.now();
  const frame = (t) => { window.__rapportFrames.push(t - last); last = t; requestAnimationFrame(frame); };
  requestAnimationFrame(frame);
}"""


def percentile(values: list[float], p: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, max(0, -(-len(ordered) * p // 100) - 1))], 2)


def scroll(context, page, args) -> dict:
    """Scroll the page as X's list does; the page's long tasks and frame times while it ran."""
    page.evaluate(LONG_TASKS)
    page.evaluate(FRAMES)
    rounds = int(args.seconds * 1000 / args.interval_ms)
    started = time.monotonic()
    for n in range(rounds):
        page.evaluate(SCROLL, [args.burst, n])
        page.wait_for_timeout(args.interval_ms)
    elapsed = time.monotonic() - started
    frames = page.evaluate("window.__rapportFrames")[1:]
    return {"elapsed": elapsed, "cells": rounds * args.burst, "long_tasks": page.evaluate("window.__rapportLongTasks"),
            "frame_p50": percentile(frames, 50), "frame_p99": percentile(frames, 99)}


def launch(playwright, profile: Path, extension: bool):
    flags = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
             "--disable-sync", "--no-first-run"]
    if extension:
        flags = [f"--disable-extensions-except={EXTENSION}", f"--load-extension={EXTENSION}", *flags]
    context = playwright.chromium.launch_persistent_context(
        str(profile), executable_path=CHROMIUM, headless=True, args=flags)
    home = HOME.read_bytes()
    context.route("https://x.com/**", lambda route: route.fulfill(
        status=200 if route.request.url.rstrip("/").endswith("/home") else 404,
        body=home if route.request.url.rstrip("/").endswith("/home") else b"",
        headers={"content-type": "text/html; charset=utf-8"}))
    return context


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
            # The baseline: the same page and the same scrolling, without the extension.
            bare = launch(playwright, work / "bare-profile", extension=False)
            page = bare.new_page()
            page.goto("https://x.com/home")
            page.wait_for_timeout(1500)
            baseline = scroll(bare, page, args)
            bare.close()

            context = launch(playwright, work / "profile", extension=True)
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
                                  "timings: globalThis.__rapportContentScript.agent.timings(), "
                                  "chips: globalThis.__rapportContentScript.chips.stats, "
                                  "chip_timings: globalThis.__rapportContentScript.chips.timings(), "
                                  "badges: globalThis.__rapportContentScript.store.stats})",
                    "contextId": context_id, "returnByValue": True})
                return json.loads(answer["result"]["value"])

            before = agent_stats()
            run = scroll(context, page, args)
            page.wait_for_timeout(2500)  # the last batch goes out
            after = agent_stats()
            background = worker.evaluate("globalThis.rapportStats()")
            context.close()
    finally:
        companion.stop()
        shutil.rmtree(work, ignore_errors=True)

    elapsed = run["elapsed"]
    sent = after["sent"] - before["sent"]
    slices, callbacks, chip_slices = after["timings"]["slices"], after["timings"]["callbacks"], after["chip_timings"]
    ratio = (run["frame_p99"] / baseline["frame_p99"]) if baseline["frame_p99"] else None
    result = {
        "content_slice_p50_ms": slices["p50"], "content_slice_p99_ms": slices["p99"],
        "content_slice_max_ms": slices["max"],
        "content_callback_p50_ms": callbacks["p50"], "content_callback_p99_ms": callbacks["p99"],
        "content_callback_max_ms": callbacks["max"],
        "content_batches_per_s": round(sent / elapsed, 2),
        "content_tweets_read": after["scraped"] - before["scraped"],
        "content_long_tasks": len(run["long_tasks"]),
        "baseline_long_tasks": len(baseline["long_tasks"]),
        "frame_p99_ms": run["frame_p99"], "baseline_frame_p99_ms": baseline["frame_p99"],
        "frame_p99_ratio": round(ratio, 2) if ratio else None,
        "chips_slice_p50_ms": chip_slices["p50"], "chips_slice_p99_ms": chip_slices["p99"],
        "chips_created": after["chips"]["chips_created"] - before["chips"]["chips_created"],
        "badge_messages_per_s": round((after["badges"]["messages"] - before["badges"]["messages"]) / elapsed, 2),
        "badge_requests_per_s": round(background["badges"]["requests"] / elapsed, 2),
        "badge_handles_asked": background["badges"]["handles_requested"],
    }
    rows = [
        ("tweet cells added while scrolling", f"{run['cells']} in {elapsed:.1f} s", ""),
        ("reading slices p50 / p99 / max", f"{slices['p50']} / {slices['p99']} / {slices['max']} ms",
         f"p99 <= {FRAME_MS} ms (a frame)"),
        ("observer callbacks p50 / p99 / max", f"{callbacks['p50']} / {callbacks['p99']} / {callbacks['max']} ms",
         f"p99 <= {FRAME_MS} ms"),
        ("chip slices p50 / p99", f"{chip_slices['p50']} / {chip_slices['p99']} ms", f"p99 <= {FRAME_MS} ms"),
        ("elements read", str(result["content_tweets_read"]), ""),
        ("batches sent to the background", f"{sent} ({result['content_batches_per_s']}/s)", "a few per second"),
        ("long tasks (> 50 ms): with / without",
         f"{result['content_long_tasks']} / {result['baseline_long_tasks']}", "the same"),
        ("frame time p99: with / without", f"{run['frame_p99']} / {baseline['frame_p99']} ms",
         f"ratio {result['frame_p99_ratio']}"),
        ("chips placed (one per new name)", str(result["chips_created"]), f"{run['cells']}"),
        ("badge messages to the background", f"{result['badge_messages_per_s']}/s", "a few per second"),
        ("badge requests to the companion", f"{result['badge_requests_per_s']}/s "
         f"({result['badge_handles_asked']} handles)", "a few per second"),
    ]
    print(f"{'content script while scrolling':36} {'value':>26}  target")
    for name, value, target in rows:
        print(f"{name:36} {value:>26}  {target}")
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
