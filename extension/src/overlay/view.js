// The overlay card's read-only parts, built from a person (shared_schema/person.schema.json) with
// the vocabulary of stages.json. Pure DOM building on the document it is given (jsdom in tests).
// Every value from the companion is scraped or typed text: only ever textContent, never markup.

import { shortDate, timeAgo } from "../common/time.js";

const el = (doc, tag, { className, text } = {}) => {
  const node = doc.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined && text !== null) node.textContent = text;
  return node;
};

/** Only links to X itself are shown as links (a scraped URL could be anything). */
export function safeXLink(url) {
  try {
    const parsed = new URL(url);
    return parsed.protocol === "https:" && ["x.com", "twitter.com", "mobile.x.com"].includes(parsed.hostname) ? parsed.href : null;
  } catch {
    return null;
  }
}

/** A link to X with `text` (opening in the page, not the card), or the text alone for any other address. */
function xLinkOr(doc, url, text) {
  const link = url ? safeXLink(url) : null;
  if (!link) return el(doc, "span", { text });
  const a = el(doc, "a", { text });
  a.href = link;
  a.target = "_top";
  a.rel = "noopener";
  return a;
}

function compact(n) {
  if (!Number.isFinite(n)) return null;
  if (n >= 1e6) return `${(n / 1e6).toFixed(n >= 1e7 ? 0 : 1)}M`;
  if (n >= 1e4) return `${Math.round(n / 1e3)}K`;
  return n.toLocaleString("en");
}

/** "Berlin · 1,234 followers · follows you" */
export function profileMeta(profile, withLocation = true) {
  const parts = [];
  if (profile.location && withLocation) parts.push(profile.location); // else the place line says where
  if (Number.isFinite(profile.followers)) parts.push(`${compact(profile.followers)} followers`);
  if (profile.follows_me === true) parts.push("follows you");
  if (profile.i_follow === true) parts.push("you follow them");
  return parts.join(" · ");
}

/**
 * Where the card says they are: "Lives in Boston, MA" (or your correction), "lately in Lisbon (a post,
 * 20 Nov)", and the link to who else you know there ({text, path} for the dashboard, or null).
 */
export function placeLines(place, whereabouts = []) {
  const home = place?.corrected?.none ? null : place?.corrected ?? place?.resolved ?? null;
  const parts = [];
  if (home) parts.push(`Lives in ${home.label}${place.corrected ? " (your correction)" : ""}`);
  const lately = whereabouts[0];
  if (lately) parts.push(`lately in ${lately.label} (a post, ${shortDate(lately.at)})`);
  const also = place?.also_here;
  const others = also && also.people > 0
    ? { text: `Also in ${also.name}: ${also.people} ${also.people === 1 ? "person" : "people"} you know`,
        path: `/meetups?geonameid=${encodeURIComponent(also.geonameid)}#near` }
    : null;
  const text = parts.join(" · ");
  return { text: text ? text.charAt(0).toUpperCase() + text.slice(1) : "", others };
}

/**
 * One conversation starter as a list item: "Mentioned reading Project Hail Mary — 12 Mar (post)", its words,
 * and Add / Dismiss buttons (data-suggestion, data-action) for the panel to wire.
 */
export function starterItem(doc, suggestion, noteLabel) {
  const li = el(doc, "li");
  li.dataset.suggestion = suggestion.id;
  const head = el(doc, "p");
  head.append(el(doc, "span", { text: `${suggestion.label} — ` }));
  head.append(xLinkOr(doc, suggestion.source_url, `${shortDate(suggestion.at)} (${suggestion.source})`));
  li.append(head, el(doc, "p", { className: "muted", text: `“${suggestion.words}”` }));
  const row = el(doc, "div", { className: "row" });
  for (const [action, text] of [["accept", `Add to ${noteLabel}`], ["dismiss", "Dismiss"]]) {
    const button = el(doc, "button", { text });
    button.type = "button";
    button.dataset.action = action;
    button.dataset.suggestion = suggestion.id;
    row.append(button);
  }
  li.append(row);
  return li;
}

/** One interaction as a list item: label, date, quoted text, place and note, a link to the post. */
export function interactionItem(doc, item, kinds, now = Date.now()) {
  const li = el(doc, "li");
  const label = item.label ?? kinds[item.kind]?.label ?? item.kind;
  const head = xLinkOr(doc, item.url, label);
  const origin = item.source === "archive" ? " · from your X archive" : "";
  li.append(head, doc.createTextNode(" "), el(doc, "span", { className: "when", text: `${shortDate(item.at, now)} · ${timeAgo(item.at, now)}${origin}` }));
  for (const extra of [item.place ? `at ${item.place}` : null, item.note, item.text]) {
    if (extra) li.append(el(doc, "span", { className: "quote", text: extra }));
  }
  return li;
}

/**
 * The card's keep-in-touch line: "Overdue by 12 days · last in touch 42 days ago, every 30 days (your own)",
 * "Snoozed until 2026-12-20 · …", "Due 2026-12-20 · …", or why there is no reminder.
 */
export function keepStatus(keep) {
  const status = keep.status;
  if (!status) return keep.cadence_days === 0 ? "No reminders for them." : "No cadence: no reminder. Choose one below.";
  const days = (n) => `${n} day${n === 1 ? "" : "s"}`;
  const head = status.bucket === "overdue" ? `Overdue by ${days(status.days_overdue)}`
    : status.bucket === "snoozed" ? `Snoozed until ${status.snooze_until}`
      : status.days_until === 0 ? "Due today" : `Due ${status.due_at}, in ${days(status.days_until)}`;
  return `${head} · ${status.why.replace(/; snoozed until .*$/, "")}`;
}

/** The card's give-and-take lines: how it goes lately, and who starts. */
export function giveAndTakeLines(gt) {
  const trend = { warming: "Warming", cooling: "Cooling", steady: "Steady", quiet: "Quiet" }[gt.trend] ?? gt.trend;
  const who = gt.starts.who.charAt(0).toUpperCase() + gt.starts.who.slice(1);
  return { lately: `${trend} · ${gt.recent.explained} (${gt.before.total} in the ${gt.window_days} days before)`,
    starts: `Who starts: ${who} (${gt.starts.explained})` };
}

/** Bars for interactions per month (heights in tenths of the busiest month), oldest first. */
export function monthBars(doc, months) {
  const top = Math.max(0, ...months.map((m) => m.count));
  return months.map((m) => {
    const li = el(doc, "li");
    li.title = `${m.month}: ${m.count}`;
    const bar = el(doc, "span", { className: `bar h${top ? Math.round((10 * m.count) / top) : 0}` });
    li.append(bar);
    return li;
  });
}

/** The stage ladder 1–4, the current one filled with its colour. */
export function ladderItems(doc, stages, current) {
  return stages.filter((s) => s.id > 0).map((stage) => {
    const li = el(doc, "li");
    li.style.setProperty("--stage", stage.colour);
    if (stage.id <= current) li.classList.add("reached");
    if (stage.id === current) {
      li.classList.add("current");
      li.setAttribute("aria-current", "step");
    }
    li.title = stage.description;
    li.append(el(doc, "span", { className: "n", text: String(stage.id) }), el(doc, "span", { text: stage.name }));
    return li;
  });
}

/** Why the person is at their stage: by hand (with the reason) or by evidence. */
export function stageWhy(stage, now = Date.now()) {
  if (stage.manual) {
    const at = stage.manual.at ? ` (${timeAgo(stage.manual.at, now)})` : "";
    return `Set by hand${at}: ${stage.manual.reason}`;
  }
  if (stage.current === 0) return "No conversation seen yet.";
  return "From what Rapport has seen:";
}

/** Profile changes over time: each snapshot that differs from the one before, and handle changes. */
/** First-strong isolates around text from x.com inside a line of plain text. */
export const isolate = (text) => `\u2068${text}\u2069`;

export function historyItems(doc, person, now = Date.now()) {
  const items = [];
  const snapshots = person.profile_history ?? [];
  for (let i = 1; i < snapshots.length; i += 1) {
    const before = snapshots[i - 1].profile;
    const after = snapshots[i].profile;
    for (const [field, label] of [["bio", "Bio"], ["display_name", "Name"], ["location", "Location"], ["followers", "Followers"]]) {
      if (after[field] === undefined || after[field] === before[field]) continue;
      const li = el(doc, "li");
      li.append(el(doc, "span", { text: `${label} changed` }), doc.createTextNode(" "),
        el(doc, "span", { className: "when", text: shortDate(snapshots[i].at, now) }));
      // Two values from x.com in one line: each a bidi isolate, so an override in one cannot reorder the other.
      const from = isolate(before[field] ?? "—");
      li.append(el(doc, "span", { className: "quote", text: `${from} → ${isolate(after[field] ?? "—")}` }));
      items.push({ at: snapshots[i].at, li });
    }
  }
  const handles = person.handle_history ?? [];
  for (let i = 1; i < handles.length; i += 1) {
    const li = el(doc, "li");
    li.append(el(doc, "span", { text: `Handle changed from @${handles[i - 1].handle} to @${handles[i].handle}` }), doc.createTextNode(" "),
      el(doc, "span", { className: "when", text: shortDate(handles[i].first_seen_at, now) }));
    items.push({ at: handles[i].first_seen_at, li });
  }
  return items.sort((a, b) => (a.at < b.at ? 1 : -1)).map((i) => i.li);
}

/** The person's own labels, each with a dot in its colour (`colours`: id -> hex from stages.json). */
export function labelItems(doc, labels, colours = {}) {
  return (Array.isArray(labels) ? labels : []).map((label) => {
    const item = el(doc, "span", { className: "own-label" });
    const dot = el(doc, "span", { className: "dot" });
    dot.setAttribute("aria-hidden", "true");
    if (colours[label.colour]) dot.style.setProperty("--label", colours[label.colour]);
    item.append(dot, doc.createTextNode(label.name));
    return item;
  });
}
