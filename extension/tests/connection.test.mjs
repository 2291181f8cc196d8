// src/background/connection.js: every connection state, from classified answers, a fake fetch and a real
// HTTP server on 127.0.0.1.

import assert from "node:assert/strict";
import { once } from "node:events";
import { createServer } from "node:http";
import { after, before, describe, test } from "node:test";

import { createClient } from "../src/background/client.js";
import { API_VERSION } from "../src/common/api.js";
import {
  checkConnection,
  classifyAuthProbe,
  classifyHealth,
  classifyNetworkError,
} from "../src/background/connection.js";
import { OVERDUE_COLOUR, STATE, STATE_INFO, badgeFor } from "../src/common/status.js";
import { makeAjv, validatorFor } from "./lib/shared.mjs";

const URL_ = "http://127.0.0.1:47600";
const HEALTH = { name: "rapport", api: 1, version: "0.1.0" };
const TOKEN = "tok_Abc-123_xyz";
const NOW = () => new Date("2026-03-02T10:00:00Z");

const json = (body, status = 200) => new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } });
const apiError = (status, type, message) => json({ error: { type, message } }, status);

/** A fetch that answers from `routes` ("METHOD path" -> Response | Error) and records calls. */
function fakeFetch(routes) {
  const calls = [];
  const fetch = async (url, init = {}) => {
    const method = init.method ?? "GET";
    calls.push({ url, method, init });
    const key = `${method} ${new URL(url).pathname}`;
    const answer = typeof routes[key] === "function" ? routes[key](init) : routes[key];
    if (answer === undefined) throw new Error(`unexpected request ${key}`);
    if (answer instanceof Error) throw answer;
    return answer;
  };
  return { fetch, calls };
}

const networkError = () => new TypeError("fetch failed");
const timeoutError = () => new DOMException("The operation was aborted due to timeout", "TimeoutError");

describe("classifyHealth", () => {
  test("Rapport speaking our API is ok, with its version", () => {
    assert.deepEqual(classifyHealth({ status: 200, body: HEALTH }), { ok: true, version: "0.1.0", live_port: null });
    assert.equal(classifyHealth({ status: 200, body: { ...HEALTH, live_port: 47601 } }).live_port, 47601);
    assert.equal(classifyHealth({ status: 200, body: { ...HEALTH, live_port: "47601" } }).live_port, null);
  });

  test("another product, a non-JSON page, a 404 or a redirect is the wrong server", () => {
    for (const answer of [
      { status: 200, body: { name: "jupyter", api: 1, version: "7" } },
      { status: 200, body: undefined },
      { status: 200, body: ["rapport"] },
      { status: 200, body: { api: 1 } },
      { status: 404, body: undefined },
      { status: 404, body: { detail: "Not Found" } },
      { status: 301, body: undefined },
      { status: 200, body: HEALTH, redirected: true },
    ]) {
      const result = classifyHealth(answer);
      assert.equal(result.ok, false, JSON.stringify(answer));
      assert.equal(result.state, STATE.WRONG_SERVER, JSON.stringify(answer));
    }
  });

  test("another product's name is shown, cut short", () => {
    const result = classifyHealth({ status: 200, body: { name: `ollama${"x".repeat(100)}` } });
    assert.match(result.detail, /"ollamax+"/);
    assert.ok(result.detail.length < 150);
  });

  test("Rapport with another API version is a version mismatch, with the right advice", () => {
    const newer = classifyHealth({ status: 200, body: { ...HEALTH, api: API_VERSION + 1, version: "2.0.0" } });
    assert.equal(newer.state, STATE.VERSION_MISMATCH);
    assert.match(newer.detail, /API 2/);
    assert.match(newer.detail, /update the extension/);
    assert.equal(newer.version, "2.0.0");
    for (const api of [0, "1", null, 1.5]) {
      const older = classifyHealth({ status: 200, body: { ...HEALTH, api } });
      assert.equal(older.state, STATE.VERSION_MISMATCH, `api ${JSON.stringify(api)}`);
      assert.match(older.detail, /update the companion/);
    }
  });

  test("Rapport refusing the health check (its error shape) is a companion error", () => {
    const result = classifyHealth({ status: 403, body: { error: { type: "forbidden_host", message: "no" } } });
    assert.equal(result.state, STATE.COMPANION_ERROR);
    assert.match(result.detail, /403 forbidden_host/);
  });
});

describe("classifyAuthProbe", () => {
  test("2xx is connected, 401 is not paired", () => {
    assert.equal(classifyAuthProbe({ status: 200, body: { badges: {} } }).state, STATE.CONNECTED);
    assert.equal(classifyAuthProbe({ status: 401, body: { error: { type: "unauthorized", message: "x" } } }).state, STATE.NOT_PAIRED);
    assert.equal(classifyAuthProbe({ status: 401, body: undefined }).state, STATE.NOT_PAIRED);
  });

  test("a redirect is the wrong server; other failures are companion errors with the reason", () => {
    assert.equal(classifyAuthProbe({ status: 307, body: undefined }).state, STATE.WRONG_SERVER);
    assert.equal(classifyAuthProbe({ status: 200, body: {}, redirected: true }).state, STATE.WRONG_SERVER);
    const failed = classifyAuthProbe({ status: 507, body: { error: { type: "storage_failed", message: "disk full" } } });
    assert.equal(failed.state, STATE.COMPANION_ERROR);
    assert.match(failed.detail, /507 \(storage_failed: disk full\)/);
    assert.equal(classifyAuthProbe({ status: 500, body: undefined }).state, STATE.COMPANION_ERROR);
  });
});

describe("classifyNetworkError", () => {
  test("is offline, and says so differently for a timeout", () => {
    const refused = classifyNetworkError(networkError(), URL_);
    const slow = classifyNetworkError(timeoutError(), URL_, 5000);
    assert.equal(refused.state, STATE.OFFLINE);
    assert.equal(slow.state, STATE.OFFLINE);
    assert.match(refused.detail, /rapport serve/);
    assert.match(slow.detail, /within 5 s/);
  });
});

/** The background's one HTTP gateway over `fetch` (the check passes the address and token itself). */
const gateway = (fetch) => createClient({ fetch, settings: async () => ({ url: null, token: null }), validators: {} });

describe("checkConnection with a fake fetch", () => {
  const check = (routes, options = {}) => {
    const fake = fakeFetch(routes);
    return checkConnection({ url: URL_, token: TOKEN, client: gateway(fake.fetch), now: NOW, ...options }).then((result) => ({ result, calls: fake.calls }));
  };

  test("connected: health, then one authenticated call that carries the token", async () => {
    const { result, calls } = await check({ "GET /api/v1/health": json(HEALTH), "POST /api/v1/badges": json({ badges: {} }) });
    assert.deepEqual(result, {
      state: STATE.CONNECTED,
      detail: result.detail,
      url: URL_,
      server_version: "0.1.0",
      checked_at: "2026-03-02T10:00:00.000Z",
      live_port: null,
    });
    assert.deepEqual(calls.map((c) => `${c.method} ${c.url}`), [`GET ${URL_}/api/v1/health`, `POST ${URL_}/api/v1/badges`]);
    assert.equal(calls[0].init.headers, undefined, "the health check sends no token");
    assert.equal(calls[1].init.headers.Authorization, `Bearer ${TOKEN}`);
    for (const call of calls) {
      assert.equal(call.init.redirect, "manual", "redirects are never followed");
      assert.equal(call.init.credentials, "omit");
      assert.ok(call.init.signal instanceof AbortSignal, "every request has a timeout");
    }
  });

  test("the authenticated call's body is a valid badges request", async () => {
    const { calls } = await check({ "GET /api/v1/health": json(HEALTH), "POST /api/v1/badges": json({ badges: {} }) });
    const validate = validatorFor(makeAjv(), "badges-request");
    const body = JSON.parse(calls[1].init.body);
    assert.ok(validate(body), JSON.stringify(validate.errors));
    assert.deepEqual(body, { handles: [] });
  });

  test("offline when nothing answers, or nothing answers in time", async () => {
    const refused = await check({ "GET /api/v1/health": networkError() });
    assert.equal(refused.result.state, STATE.OFFLINE);
    assert.equal(refused.calls.length, 1);
    const slow = await check({ "GET /api/v1/health": timeoutError() });
    assert.equal(slow.result.state, STATE.OFFLINE);
    assert.match(slow.result.detail, /within/);
  });

  test("offline when the companion goes away between the two calls", async () => {
    const { result } = await check({ "GET /api/v1/health": json(HEALTH), "POST /api/v1/badges": networkError() });
    assert.equal(result.state, STATE.OFFLINE);
  });

  test("wrong server: the token is never sent to it", async () => {
    for (const answer of [
      () => new Response("<html>Grafana</html>", { status: 200, headers: { "Content-Type": "text/html" } }),
      () => json({ name: "something-else", api: 1, version: "1" }),
      () => new Response("Not Found", { status: 404 }),
      () => new Response(null, { status: 302, headers: { Location: "http://evil.example/" } }),
    ]) {
      const { result, calls } = await check({ "GET /api/v1/health": answer() });
      assert.equal(result.state, STATE.WRONG_SERVER);
      assert.equal(result.server_version, null);
      assert.equal(calls.length, 1, "no authenticated call after a wrong health answer");
    }
  });

  test("version mismatch: reported with the companion's version, no authenticated call", async () => {
    const { result, calls } = await check({ "GET /api/v1/health": json({ ...HEALTH, api: 2, version: "2.0.0" }) });
    assert.equal(result.state, STATE.VERSION_MISMATCH);
    assert.equal(result.server_version, "2.0.0");
    assert.equal(calls.length, 1);
  });

  test("not paired without a token: no authenticated call is made", async () => {
    for (const token of [null, ""]) {
      const { result, calls } = await check({ "GET /api/v1/health": json(HEALTH) }, { token });
      assert.equal(result.state, STATE.NOT_PAIRED);
      assert.match(result.detail, /no token/);
      assert.equal(calls.length, 1);
    }
  });

  test("not paired when the companion answers 401", async () => {
    const { result } = await check({
      "GET /api/v1/health": json(HEALTH),
      "POST /api/v1/badges": apiError(401, "unauthorized", "send a token"),
    });
    assert.equal(result.state, STATE.NOT_PAIRED);
    assert.match(result.detail, /revoked/);
  });

  test("companion error when the authenticated call fails otherwise", async () => {
    const { result } = await check({
      "GET /api/v1/health": json(HEALTH),
      "POST /api/v1/badges": apiError(500, "internal", "boom"),
    });
    assert.equal(result.state, STATE.COMPANION_ERROR);
    assert.equal(result.server_version, "0.1.0");
  });

  test("no access: the browser withholds the host permission, so nothing is fetched", async () => {
    const { result, calls } = await check({}, { hasAccess: false });
    assert.equal(result.state, STATE.NO_ACCESS);
    assert.equal(calls.length, 0);
  });

  test("never throws, even if fetch itself is broken", async () => {
    const { result } = await check({ "GET /api/v1/health": () => { throw new RangeError("bad init"); } });
    assert.equal(result.state, STATE.OFFLINE);
  });
});

describe("checkConnection against a real HTTP server on 127.0.0.1", () => {
  let server;
  let url;
  let mode = "rapport";
  const seen = [];

  before(async () => {
    server = createServer((req, res) => {
      seen.push({ method: req.method, path: req.url, auth: req.headers.authorization ?? null });
      const send = (status, body) => {
        res.writeHead(status, { "Content-Type": "application/json" });
        res.end(JSON.stringify(body));
      };
      if (mode === "hang") return; // never answers
      if (mode === "other") return send(200, { status: "ok" });
      if (req.method === "GET" && req.url === "/api/v1/health") return send(200, HEALTH);
      if (req.method === "POST" && req.url === "/api/v1/badges") {
        if (req.headers.authorization !== `Bearer ${TOKEN}`) return send(401, { error: { type: "unauthorized", message: "token" } });
        return send(200, { badges: {} });
      }
      return send(404, { error: { type: "not_found", message: req.url } });
    });
    server.listen(0, "127.0.0.1");
    await once(server, "listening");
    url = `http://127.0.0.1:${server.address().port}`;
  });

  after(() => {
    server.closeAllConnections();
    server.close();
  });

  const real = (token, timeoutMs = 2000) => checkConnection({ url, token, client: gateway(globalThis.fetch), timeoutMs });

  test("connected with the right token, not paired with a wrong one", async () => {
    mode = "rapport";
    seen.length = 0;
    assert.equal((await real(TOKEN)).state, STATE.CONNECTED);
    assert.equal((await real("wrong-token")).state, STATE.NOT_PAIRED);
    assert.deepEqual(seen.map((r) => `${r.method} ${r.path} ${r.auth}`), [
      "GET /api/v1/health null",
      `POST /api/v1/badges Bearer ${TOKEN}`,
      "GET /api/v1/health null",
      "POST /api/v1/badges Bearer wrong-token",
    ]);
  });

  test("wrong server when another program answers on the port", async () => {
    mode = "other";
    assert.equal((await real(TOKEN)).state, STATE.WRONG_SERVER);
  });

  test("offline when the server does not answer in time", async () => {
    mode = "hang";
    const started = Date.now();
    const result = await real(TOKEN, 200);
    assert.equal(result.state, STATE.OFFLINE);
    assert.match(result.detail, /within/);
    assert.ok(Date.now() - started < 2000);
  });

  test("offline when nothing listens on the port", async () => {
    const closed = createServer();
    closed.listen(0, "127.0.0.1");
    await once(closed, "listening");
    const port = closed.address().port;
    closed.close();
    await once(closed, "close");
    const result = await checkConnection({ url: `http://127.0.0.1:${port}`, token: TOKEN, client: gateway(globalThis.fetch) });
    assert.equal(result.state, STATE.OFFLINE);
    assert.match(result.detail, /Nothing answers/);
  });
});

describe("badgeFor", () => {
  test("every state has a short badge text, a colour and a title naming it", () => {
    for (const state of Object.values(STATE)) {
      const badge = badgeFor({ state, detail: "why", url: URL_, server_version: "0.1.0" });
      const info = STATE_INFO[state];
      assert.ok(info, `no STATE_INFO for ${state}`);
      assert.ok(badge.text.length >= 1 && badge.text.length <= 4, `${state}: "${badge.text}"`);
      assert.match(badge.colour, /^#[0-9A-F]{6}$/i);
      assert.ok(badge.title.startsWith(`Rapport: ${info.label}`), badge.title);
    }
  });

  test("the states look different from each other", () => {
    const looks = Object.values(STATE).map((state) => JSON.stringify([STATE_INFO[state].badge, STATE_INFO[state].colour]));
    assert.equal(new Set(looks).size, looks.length);
  });

  test("connected names the companion version and address; other states give the reason", () => {
    assert.equal(badgeFor({ state: STATE.CONNECTED, url: URL_, server_version: "0.1.0" }).title,
      `Rapport: Connected to the companion 0.1.0 at ${URL_}`);
    assert.equal(badgeFor({ state: STATE.OFFLINE, detail: "Nothing answers.", url: URL_ }).title,
      "Rapport: Companion offline. Nothing answers.");
  });

  test("while connected the icon counts the people overdue; the other states keep their own codes", () => {
    const connected = { state: STATE.CONNECTED, url: URL_, server_version: "0.1.0" };
    assert.deepEqual(badgeFor(connected, 3), { text: "3", colour: OVERDUE_COLOUR,
      title: `Rapport: Connected to the companion 0.1.0 at ${URL_}. 3 people to get back to (Keep in touch)` });
    assert.equal(badgeFor(connected, 1).title.endsWith("1 person to get back to (Keep in touch)"), true);
    assert.equal(badgeFor(connected, 250).text, "99+");
    assert.equal(badgeFor(connected, 0).text, STATE_INFO[STATE.CONNECTED].badge);
    for (const state of Object.values(STATE).filter((s) => s !== STATE.CONNECTED)) {
      assert.equal(badgeFor({ state, url: URL_ }, 5).text, STATE_INFO[state].badge, state);
    }
  });

  test("no result, or an unknown state, shows as checking", () => {
    assert.equal(badgeFor(undefined).text, STATE_INFO[STATE.CHECKING].badge);
    assert.equal(badgeFor({ state: "bogus" }).text, STATE_INFO[STATE.CHECKING].badge);
  });
});
