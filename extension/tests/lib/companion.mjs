// A small stand-in for the companion's HTTP API on 127.0.0.1 (health, ingest, pairing), real
// sockets and real fetch, so the client, queue and pairing tests exercise actual HTTP.

import { once } from "node:events";
import { createServer } from "node:http";

const json = (res, status, body) => {
  res.writeHead(status, { "Content-Type": "application/json" });
  res.end(JSON.stringify(body));
};
const error = (res, status, type, message) => json(res, status, { error: { type, message } });

export async function startCompanion({ port = 0 } = {}) {
  const state = {
    tokens: new Set(["tok_existing_0123456789"]),
    ingested: [], // accepted batches, in order
    batchIds: new Set(),
    requests: [], // "METHOD path auth"
    mode: "normal", // "normal" | "error500" | "reject400" | "too_large" | "hang"
    pairs: new Map(), // request_id -> {code, state, token, expires_at}
    pollIntervalMs: 100,
    ttlMs: 60000,
  };
  let counter = 0;

  const server = createServer((req, res) => {
    const chunks = [];
    req.on("data", (chunk) => chunks.push(chunk));
    req.on("end", () => {
      const auth = req.headers.authorization ?? null;
      state.requests.push(`${req.method} ${req.url} ${auth}`);
      if (state.mode === "hang") return;
      const body = Buffer.concat(chunks).toString("utf8");
      if (req.method === "GET" && req.url === "/api/v1/health") return json(res, 200, { name: "rapport", api: 1, version: "0.1.0" });

      if (req.method === "POST" && req.url === "/api/v1/pair") {
        let doc;
        try {
          doc = JSON.parse(body);
        } catch {
          return error(res, 400, "malformed_json", "bad json");
        }
        if (typeof doc?.client_name !== "string" || !doc.client_name.trim()) return error(res, 400, "invalid", "client_name");
        counter += 1;
        const requestId = `req_${String(counter).padStart(24, "0")}`;
        const code = ["ABCD-EFGH", "JKLM-NPQR", "STUV-WXYZ", "2345-6789"][(counter - 1) % 4];
        const expires = new Date(Date.now() + state.ttlMs).toISOString().replace(/\.\d+Z$/, "Z");
        state.pairs.set(requestId, { code, state: "pending", client_name: doc.client_name, expires_at: expires });
        return json(res, 201, { request_id: requestId, code, expires_at: expires, poll_interval_ms: state.pollIntervalMs });
      }
      const poll = /^\/api\/v1\/pair\/([^/]+)$/.exec(req.url);
      if (req.method === "GET" && poll) {
        const pair = state.pairs.get(decodeURIComponent(poll[1]));
        if (!pair) return error(res, 404, "not_found", "unknown pairing request");
        if (pair.state === "approved") {
          const token = `tok_${"x".repeat(20)}${counter}`;
          state.tokens.add(token);
          pair.state = "delivered";
          return json(res, 200, { state: "approved", code: pair.code, token });
        }
        return json(res, 200, { state: pair.state, code: pair.code });
      }

      if (!auth || !state.tokens.has(auth.replace(/^Bearer /, ""))) return error(res, 401, "unauthorized", "send a token");
      if (req.method === "POST" && req.url === "/api/v1/badges") return json(res, 200, { badges: {} });
      if (req.method === "POST" && req.url === "/api/v1/ingest") {
        if (state.mode === "error500") return error(res, 500, "internal", "boom");
        if (state.mode === "too_large") return error(res, 413, "too_large", "the body is larger than 4096 KiB");
        let batch;
        try {
          batch = JSON.parse(body);
        } catch {
          return error(res, 400, "malformed_json", "bad json");
        }
        if (state.mode === "reject400") return error(res, 400, "invalid", "/page/url: bad");
        const duplicate = state.batchIds.has(batch.batch_id);
        if (!duplicate) {
          state.batchIds.add(batch.batch_id);
          state.ingested.push(batch);
        }
        return json(res, 200, { ok: true, batch_id: batch.batch_id, duplicate });
      }
      return error(res, 404, "not_found", req.url);
    });
  });
  server.listen(port, "127.0.0.1");
  await once(server, "listening");
  const url = `http://127.0.0.1:${server.address().port}`;

  return {
    url,
    port: server.address().port,
    state,
    /** What `rapport pair approve CODE` does. */
    approve(code) {
      for (const pair of state.pairs.values()) if (pair.code === code && pair.state === "pending") pair.state = "approved";
    },
    reject(code) {
      for (const pair of state.pairs.values()) if (pair.code === code && pair.state === "pending") pair.state = "rejected";
    },
    async close() {
      server.closeAllConnections();
      server.close();
      await once(server, "close");
    },
  };
}
