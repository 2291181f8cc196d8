// Edits made in the overlay (notes, tags, a stage, a logged call or meeting), kept in
// storage.local until the companion confirms them: an edit made while the companion is down, or
// before the browser restarts, is sent when it is back, in the order it was made.
//
// - An answer that keeps it (policy.js: no answer, 5xx, 408/425/429, 401 not paired, 403/405 or
//   a redirect) keeps the edit and stops: it goes out later.
// - Another 4xx means the companion will never take it: it is dropped and the error reported.
// - A person the companion has never seen is created by their first edit (POST /people), then
//   the edit is applied.

import { keeps } from "./policy.js";

export const MAX_PENDING = 500;

/**
 * @param {object} env
 * @param {{get: Function, set: Function}} env.storage storage.local
 * @param {string} env.key the storage key (settings KEYS.edits)
 * @param {ReturnType<import("./client.js").createClient>} env.client
 * @param {() => string} env.newId
 * @param {(item: object, body: object) => void} [env.onSaved] the companion took an edit
 * @param {(pending: number) => void} [env.onChange]
 */
export function createEdits({ storage, key, client, newId, onSaved = () => {}, onChange = () => {} }) {
  let chain = Promise.resolve();
  const serial = (fn) => {
    const run = chain.then(fn);
    chain = run.catch(() => {});
    return run;
  };

  const read = async () => {
    const list = (await storage.get(key))[key];
    return Array.isArray(list) ? list : [];
  };
  const write = async (list) => {
    await storage.set({ [key]: list });
    onChange(list.length);
  };

  /** Create the person with what this edit carries (notes, tags, next step), then apply the rest. */
  async function createThen(item) {
    const body = { handle: item.handle };
    if (item.display_name) body.display_name = item.display_name;
    const change = item.kind === "edit" ? { ...item.change } : {};
    for (const field of ["notes", "tags", "next_step"]) {
      if (change[field] !== undefined && change[field] !== null) {
        body[field] = change[field];
        delete change[field];
      }
    }
    if (body.notes) body.notes = Object.fromEntries(Object.entries(body.notes).filter(([, v]) => v !== null));
    const created = await client.createPerson(body);
    if (!created.ok) return created;
    if (item.kind === "log") return client.logEvent(item.handle, item.event);
    return Object.keys(change).length ? client.editPerson(item.handle, change) : created;
  }

  async function send(item) {
    // A conversation starter belongs to someone the companion knows: a 404 means it was handled already.
    if (item.kind === "starter") return client.actOnSuggestion(item.handle, item.suggestion, item.action);
    const answer = item.kind === "log" ? await client.logEvent(item.handle, item.event) : await client.editPerson(item.handle, item.change);
    return answer.status === 404 && answer.type === "not_found" ? createThen(item) : answer;
  }

  /** Send what waits, oldest first; stops at the first edit that must wait. Answers per id. */
  function flush() {
    return serial(async () => {
      const outcomes = new Map();
      let list = await read();
      while (list.length) {
        const item = list[0];
        const answer = await send(item);
        if (!answer.ok && keeps(answer.kind)) {
          outcomes.set(item.id, { queued: true, status: answer.status, message: answer.message });
          break;
        }
        list = (await read()).filter((other) => other.id !== item.id);
        await write(list);
        if (answer.ok) {
          outcomes.set(item.id, { saved: true, body: answer.body });
          onSaved(item, answer.body);
        } else {
          outcomes.set(item.id, { dropped: true, status: answer.status, message: answer.message ?? `HTTP ${answer.status}` });
        }
      }
      return { outcomes, pending: list.length };
    });
  }

  return {
    /** Keep an edit and try to send it: {saved, body} | {queued} | {dropped, message}, and what still waits. */
    async add(item) {
      const entry = { ...item, id: newId(), at: new Date().toISOString() };
      const full = await serial(async () => {
        const list = await read();
        if (list.length >= MAX_PENDING) return true;
        await write([...list, entry]);
        return false;
      });
      if (full) return { dropped: true, message: `${MAX_PENDING} edits already wait for the companion: start it (rapport serve) first.`, pending: MAX_PENDING };
      const { outcomes, pending } = await flush();
      return { ...(outcomes.get(entry.id) ?? { queued: true }), pending };
    },
    flush,
    /** The edits waiting for `handle` (the overlay shows them while the companion is away). */
    async pendingFor(handle) {
      return (await read()).filter((item) => item.handle.toLowerCase() === handle.toLowerCase());
    },
    async count() {
      return (await read()).length;
    },
  };
}
