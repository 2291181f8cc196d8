// A real `rapport serve` (the Python companion from the repository's .venv) for the tests that
// must talk to the real thing: the overlay's edits, the live events, the Firefox end-to-end tests.

import { execFileSync, spawn } from "node:child_process";
import { existsSync, mkdtempSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");
export const PYTHON = join(ROOT, ".venv", "bin", "python");

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export async function waitFor(what, check, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const result = await check();
    if (result) return result;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

export function freePort() {
  return new Promise((resolve) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** The `rapport` command line, on `dataDir`. */
export function rapport(...args) {
  return execFileSync(PYTHON, ["-m", "companion", ...args], { cwd: ROOT, encoding: "utf8" });
}

/** A real `rapport serve` that can be stopped and started again on the same port and data. */
export class Companion {
  constructor(dataDir = join(mkdtempSync(join(tmpdir(), "rapport-companion-")), "data"), port = null) {
    if (!existsSync(PYTHON)) throw new Error(`${PYTHON} is missing: run \`make test\` (it creates the venv)`);
    this.dataDir = dataDir;
    this.port = port;
  }

  get base() {
    return `http://127.0.0.1:${this.port}`;
  }

  async start() {
    this.port ??= await freePort();
    this.proc = spawn(PYTHON, ["-m", "companion", "serve", "--port", String(this.port), "--live-port", "0", "--data-dir", this.dataDir],
      { cwd: ROOT, stdio: "ignore" });
    await waitFor("the companion", () => fetch(`${this.base}/api/v1/health`).then((r) => r.ok, () => false));
    return this;
  }

  async stop() {
    if (!this.proc || this.proc.exitCode !== null) return;
    const exited = new Promise((resolve) => this.proc.once("exit", resolve));
    this.proc.kill("SIGTERM");
    await exited;
  }

  /** A token of its own for the test's API calls (made with the CLI, as a user would). */
  get token() {
    this._token ??= rapport("token", "new", `test-${process.pid}-${Date.now()}`, "--data-dir", this.dataDir).trim();
    return this._token;
  }

  async call(method, path, body) {
    const answer = await fetch(`${this.base}/api/v1${path}`, {
      method,
      headers: { Authorization: `Bearer ${this.token}`, ...(body !== undefined ? { "Content-Type": "application/json" } : {}) },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await answer.text();
    return { status: answer.status, body: text ? JSON.parse(text) : undefined };
  }

  async api(path) {
    const { status, body } = await this.call("GET", path);
    if (status !== 200) throw new Error(`${path}: HTTP ${status} ${JSON.stringify(body)}`);
    return body;
  }
}
