// content/scanner.js on a jsdom page: one MutationObserver and one idle scheduler for the page
// reader and the name badges, each subscriber with its own collected nodes, the one overflow rule
// (too many nodes: a full rescan), shadow roots for one subscriber alone, idle-time budgets.

import assert from "node:assert/strict";
import { describe, test } from "node:test";

import { JSDOM, VirtualConsole } from "jsdom";

import { SCANNER_DEFAULTS, createScanner } from "../src/content/scanner.js";
import { BADGE_HOST_ATTRIBUTE } from "../src/scrape/index.js";

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

/** A jsdom page whose idle callbacks the test runs by hand, counting the observers made. */
function page() {
  const dom = new JSDOM('<!doctype html><html><body><div id="list"><a id="link" href="/alice">Alice</a></div></body></html>', {
    url: "https://x.com/home", virtualConsole: new VirtualConsole(),
  });
  const win = dom.window;
  const idle = [];
  const made = [];
  const Native = win.MutationObserver;
  win.MutationObserver = class extends Native {
    constructor(callback) {
      super(callback);
      made.push(this);
    }
  };
  win.requestIdleCallback = (fn, options) => idle.push({ fn, options }) - 1;
  win.cancelIdleCallback = (id) => { idle[id] = null; };
  const runIdle = (deadline) => {
    const pending = idle.splice(0).filter(Boolean);
    for (const { fn } of pending) fn(deadline);
    return pending.length;
  };
  const doc = win.document;
  const add = (html, where = doc.getElementById("list")) => where.insertAdjacentHTML("beforeend", html);
  return { win, doc, idle, made, runIdle, add };
}

/** A subscriber that records what each slice was given. */
function recorder(scanner, spec = {}) {
  const slices = [];
  const sub = scanner.subscribe({
    budgetMs: 8,
    ...spec,
    slice: (work) => {
      const full = sub.takeRescan();
      slices.push({ full, nodes: full ? [] : sub.take(), budget: work.budget });
      return spec.more?.() ?? false;
    },
  });
  return { sub, slices };
}

describe("the scanner", () => {
  test("one observer and one idle callback serve both subscribers; each gets the nodes added, never our own badges", async () => {
    const { win, doc, idle, made, runIdle, add } = page();
    const scanner = createScanner({ win });
    const reader = recorder(scanner);
    const chips = recorder(scanner, { attributes: ["href"] });
    reader.sub.wake();
    chips.sub.wake();
    assert.equal(idle.length, 1, "one idle callback for both");
    runIdle();
    assert.deepEqual([reader.slices[0].full, chips.slices[0].full], [true, true], "each starts with the whole page");

    add('<div class="cell">one</div>');
    add(`<span ${BADGE_HOST_ATTRIBUTE}="">chip</span>`);
    await tick();
    assert.equal(runIdle(), 1);
    assert.deepEqual(reader.slices[1].nodes.map((n) => n.className), ["cell"]);
    assert.deepEqual(chips.slices[1].nodes.map((n) => n.className), ["cell"]);
    assert.equal(made.length, 1, "one MutationObserver");

    doc.getElementById("link").setAttribute("href", "/bob"); // X recycles a cell in place
    await tick();
    runIdle();
    assert.deepEqual(chips.slices[2].nodes.map((n) => n.id), ["link"], "the href change, to the subscriber that asked");
    assert.equal(reader.slices.length, 2, "nothing for the reader");
    assert.ok(scanner.stats.callbacks >= 2);
    assert.equal(scanner.timings().count, scanner.stats.callbacks);
  });

  test("too many nodes for one subscriber: its list is dropped and it reads the whole page once", async () => {
    const { win, runIdle, add } = page();
    const scanner = createScanner({ win, options: { maxPendingNodes: 5 } });
    const small = recorder(scanner);
    small.sub.wake();
    runIdle();
    add('<i></i>'.repeat(6));
    await tick();
    assert.equal(small.sub.pending, 0);
    assert.equal(scanner.stats.overflows, 1);
    runIdle();
    assert.deepEqual(small.slices.at(-1), { full: true, nodes: [], budget: 8 });
    add('<i></i>');
    await tick();
    runIdle();
    assert.equal(small.slices.at(-1).full, false, "once");
    assert.equal(small.slices.at(-1).nodes.length, 1);
    assert.equal(SCANNER_DEFAULTS.maxPendingNodes, 5000);
  });

  test("a shadow root one subscriber watches reaches it alone", async () => {
    const { win, doc, runIdle } = page();
    const scanner = createScanner({ win });
    const reader = recorder(scanner);
    const chips = recorder(scanner);
    reader.sub.wake();
    chips.sub.wake();
    runIdle();
    const host = doc.createElement("div");
    doc.body.append(host);
    const root = host.attachShadow({ mode: "open" });
    await tick();
    runIdle();
    reader.sub.watch(root);
    root.append(doc.createElement("section"));
    await tick();
    runIdle();
    assert.deepEqual(reader.slices.at(-1).nodes.map((n) => n.localName), ["section"]);
    assert.equal(chips.slices.flatMap((slice) => slice.nodes).some((n) => n.localName === "section"), false);
  });

  test("an inactive subscriber collects nothing and gets no slice; rescan() brings it back to the whole page", async () => {
    const { win, runIdle, add } = page();
    let visible = true;
    const scanner = createScanner({ win });
    const reader = recorder(scanner, { active: () => visible, everyChange: true });
    reader.sub.wake();
    runIdle();
    visible = false;
    reader.sub.cancel();
    add("<p>while hidden</p>");
    await tick();
    reader.sub.wake();
    assert.equal(runIdle(), 0, "no slice asked for");
    assert.equal(reader.sub.pending, 0);
    visible = true;
    reader.sub.rescan();
    runIdle();
    assert.equal(reader.slices.at(-1).full, true);
    assert.equal(reader.slices.length, 2);
  });

  test("a subscriber asking for every change gets a slice even when nothing was collected", async () => {
    const { win, doc, runIdle } = page();
    const scanner = createScanner({ win });
    const reader = recorder(scanner, { everyChange: true });
    const chips = recorder(scanner, { attributes: ["href"] });
    reader.sub.wake();
    chips.sub.wake();
    runIdle();
    doc.getElementById("link").setAttribute("href", "/bob"); // an attribute the reader does not watch
    await tick();
    runIdle();
    assert.deepEqual([reader.slices.length, chips.slices.length], [1, 2], "a change for the chips, not for the reader");
    doc.getElementById("link").remove(); // a removal adds nothing
    await tick();
    runIdle();
    assert.deepEqual([reader.slices.length, chips.slices.length], [2, 2]);
  });

  test("a slice's budget is its own size, but no more than the idle time left (at least 2 ms); a timed-out callback gets it all", () => {
    const { win, idle, runIdle } = page();
    const scanner = createScanner({ win });
    const reader = recorder(scanner, { budgetMs: 8 });
    const chips = recorder(scanner, { budgetMs: 6 });
    const again = () => {
      reader.sub.wake();
      chips.sub.wake();
    };
    again();
    assert.equal(idle[0].options.timeout, SCANNER_DEFAULTS.idleTimeoutMs);
    runIdle({ didTimeout: false, timeRemaining: () => 4 });
    again();
    runIdle({ didTimeout: false, timeRemaining: () => 0.5 });
    again();
    runIdle({ didTimeout: true, timeRemaining: () => 0 });
    assert.deepEqual(reader.slices.map((s) => s.budget), [4, 2, 8]);
    assert.deepEqual(chips.slices.map((s) => s.budget), [4, 2, 6]);
  });

  test("work left for another slice is served; put-back nodes come first; a slice that throws goes to its onError, the other still runs", async () => {
    const { win, runIdle, add } = page();
    const scanner = createScanner({ win });
    const errors = [];
    let left = 2;
    const busy = recorder(scanner, { more: () => (left -= 1) > 0 });
    const broken = scanner.subscribe({ budgetMs: 5, slice: () => { throw new Error("boom"); }, onError: (error) => errors.push(error.message) });
    broken.wake();
    busy.sub.wake();
    runIdle();
    runIdle();
    assert.equal(runIdle(), 0, "done when it says so; the one that threw waits for the next change");
    assert.equal(busy.slices.length, 2);
    assert.deepEqual(errors, ["boom"]);
    assert.equal(broken.stats.slices, 1);

    add("<b>late</b>");
    await tick();
    const early = win.document.createElement("u");
    busy.sub.putBack([early]);
    assert.deepEqual(busy.sub.take().map((n) => n.localName), ["u", "b"]);
  });

  test("the last subscriber out disconnects the observer and cancels the idle callback", async () => {
    const { win, idle, made, add } = page();
    const scanner = createScanner({ win });
    const a = recorder(scanner);
    const b = recorder(scanner);
    a.sub.wake();
    a.sub.close();
    add("<p>one</p>");
    await tick();
    assert.equal(b.sub.pending, 0, "b still had its rescan due: nothing collected");
    b.sub.close();
    assert.equal(idle.filter(Boolean).length, 0);
    assert.deepEqual(made[0].takeRecords(), []);
    const c = recorder(scanner);
    c.sub.wake();
    assert.equal(made.length, 2, "a new subscriber gets a new observer");
    assert.equal(c.sub.busy, true);
  });
});
