// Fakes for the browser's pieces the background logic is given: storage.local, a clock, a
// validator generated exactly as the build generates it.

import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

import { validatorSource } from "../../build.mjs";

/**
 * storage.local's promise API over a Map. Values are stored as JSON, as the browsers do, so a
 * test sees what survives a restart. `failSet` makes the next set() calls reject (quota).
 */
export class FakeStorage {
  constructor() {
    this.data = new Map();
    this.failSet = 0;
    this.writes = 0;
  }

  async get(keys) {
    const list = keys === null || keys === undefined ? [...this.data.keys()] : Array.isArray(keys) ? keys : [keys];
    const out = {};
    for (const key of list) if (this.data.has(key)) out[key] = JSON.parse(this.data.get(key));
    return out;
  }

  async set(items) {
    if (this.failSet > 0) {
      this.failSet -= 1;
      throw new Error("QUOTA_BYTES quota exceeded");
    }
    this.writes += 1;
    for (const [key, value] of Object.entries(items)) {
      if (value === undefined) continue;
      this.data.set(key, JSON.stringify(value));
    }
  }

  async remove(keys) {
    for (const key of Array.isArray(keys) ? keys : [keys]) this.data.delete(key);
  }

  keys() {
    return [...this.data.keys()].sort();
  }

  /** Characters stored (roughly what the browser's quota counts). */
  bytes() {
    let total = 0;
    for (const [key, value] of this.data) total += key.length + value.length;
    return total;
  }
}

/** A clock the test moves by hand. */
export function fakeClock(start = Date.parse("2026-03-02T10:00:00Z")) {
  let t = start;
  return {
    now: () => t,
    advance: (ms) => {
      t += ms;
    },
  };
}

let cached = null;

/** The standalone scrape-batch validator, built as build.mjs builds it, imported as the background does. */
export async function standaloneValidators() {
  if (cached) return cached;
  const dir = mkdtempSync(join(tmpdir(), "rapport-validator-"));
  try {
    writeFileSync(join(dir, "package.json"), '{"type": "module"}\n');
    writeFileSync(join(dir, "validate.js"), validatorSource());
    cached = await import(pathToFileURL(join(dir, "validate.js")).href);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return cached;
}

/** The generated scrape-batch validator (the one the background imports). */
export async function standaloneValidator() {
  return (await standaloneValidators()).validateScrapeBatch;
}
