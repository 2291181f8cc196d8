// X's markup, in the shapes the real captures in shared/x-dom show (element nesting, testids,
// hrefs, <time datetime>, the connector bars of a thread), without X's atomic classes and
// styles. Tests and the synthetic pages build pages in any language from these pieces, so
// what is read comes from structure, never from English words.
//
// Shapes, as in profile-with_replies-…-april-21-2025.html and status-conversation-fragment-…:
//   article > div > div > [top region > top row: [avatar-wide column: bar | context icon], [context]]
//                         [main row: [avatar column: Tweet-User-Avatar, bar below?], [content column:
//                           User-Name, "Replying to" line?, tweetText, action bar]]

/** Icon path data as the captures draw them (SELECTORS.md; tweets.js reads the same prefixes). */
export const ICON = {
  repost: "M4.75 3.79l4.603 4.3-1.706 1.82L6 8.38v7.37c0 .97.784 1.75 1.75 1.75H13V20H7.75c-2.347 0-4.25-1.9-4.25-4.25V8.38L1.853 10.1.147 8.28l4.603-4.49z",
  pinned: "M7 4.5C7 3.12 8.12 2 9.5 2h5C15.88 2 17 3.12 17 4.5v5.26L20.12 16H13v5l-1 2-1-2v-5H3.88L7 9.76V4.5z",
  community: "M7.471 21H.472l.029-1.027c.184-6.618 3.736-8.977 7-8.977.963 0 1.95.212 2.87.672",
};

export const escapeHtml = (text) => String(text).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

/**
 * One tweet article.
 * @param {object} t
 * @param {string} t.handle @param {string} t.name @param {string} t.id @param {string} t.time ISO
 * @param {string} [t.shownTime] the visible date ("3h", "3月2日")
 * @param {boolean} [t.focused] tabindex=-1 (the focused post of a status page)
 * @param {boolean} [t.above] a connector bar above the avatar (joined to the post above)
 * @param {boolean} [t.below] a connector bar below the avatar (joined to the post below)
 * @param {{kind: "repost"|"pinned"|"community", text: string, href?: string}} [t.context]
 * @param {{words: string, handles: string[]}} [t.replyingTo] the translated "Replying to" and the handles
 * @param {string|null} [t.text] @param {string} [t.textLang]
 * @param {string[]} [t.mentions] handles linked at the end of the text
 * @param {string} [t.quote] markup of a quoted tweet (quoteCard())
 */
export function tweet(t) {
  const icon = t.context ? `<div><div><svg viewBox="0 0 24 24" aria-hidden="true"><g><path d="${ICON[t.context.kind]}"></path></g></svg></div></div>` : "";
  const topColumn = t.above ? "<div><div></div></div>" : icon;
  const contextLine = t.context
    ? `<div><div>${t.context.href ? `<a href="${t.context.href}" dir="ltr" role="link">` : ""}<span data-testid="socialContext">${escapeHtml(t.context.text)}</span>${t.context.href ? "</a>" : ""}</div></div>`
    : "";
  const replying = t.replyingTo
    ? `<div><div dir="auto">${escapeHtml(t.replyingTo.words)} ${t.replyingTo.handles.map((h) => `<div><a href="/${h}" dir="ltr" role="link"><span>@${h}</span></a></div>`).join(" ")}</div></div>`
    : "";
  const mentions = (t.mentions ?? []).map((h) => ` <div><span><a href="/${h}" dir="ltr" role="link">@${h}</a></span></div>`).join("");
  const text = t.text === null || t.text === undefined ? "" :
    `<div><div data-testid="tweetText" lang="${t.textLang ?? "en"}" dir="auto"><span>${escapeHtml(t.text)}</span>${mentions}</div></div>`;
  return `<article data-testid="tweet" tabindex="${t.focused ? "-1" : "0"}" role="article"><div><div>`
    + `<div><div>${topColumn}<div>${contextLine}</div></div></div>`
    + "<div><div>"
    + `<div data-testid="Tweet-User-Avatar"><div data-testid="UserAvatar-Container-${t.handle}"><a href="/${t.handle}" aria-hidden="true" role="link" tabindex="-1"><img alt="" src="https://pbs.twimg.com/profile_images/1/${t.handle}_x96.jpg"></a></div></div>`
    + `${t.below ? "<div></div>" : ""}</div>`
    + "<div>"
    + `<div><div data-testid="User-Name"><div><a href="/${t.handle}" role="link"><div dir="ltr"><span><span>${escapeHtml(t.name)}</span></span></div></a></div>`
    + `<div><div><a href="/${t.handle}" role="link" tabindex="-1"><div dir="ltr"><span>@${t.handle}</span></div></a></div>`
    + `<div aria-hidden="true"><span>·</span></div>`
    + `<div><a href="/${t.handle}/status/${t.id}" dir="ltr" role="link"><time datetime="${t.time}">${escapeHtml(t.shownTime ?? t.time.slice(0, 10))}</time></a></div></div></div></div>`
    + replying + text + (t.quote ?? "")
    + '<div role="group"><div><button data-testid="reply" type="button"></button></div><div><button data-testid="retweet" type="button"></button></div><div><button data-testid="like" type="button"></button></div></div>'
    + "</div></div></div></div></article>";
}

/** A cell of the virtualised list, optionally with X's separator at its foot. */
export const cell = (y, inner, { separator = false } = {}) =>
  `<div data-testid="cellInnerDiv" style="transform: translateY(${y}px); position: absolute; width: 100%;"><div><div>${inner}</div></div>`
  + `${separator ? '<div role="separator"></div>' : ""}</div>`;

/** Cells in order, each 150px below the previous (translateY, as X positions them). */
export const cells = (inners, { separators = false } = {}) =>
  inners.map((inner, i) => cell(i * 150, inner, { separator: separators && inner.startsWith("<article") })).join("");

/** A "Show replies" / "Show more replies" button cell (its words translated). */
export const showReplies = (words) => `<div role="button" tabindex="0"><div><div><span>${escapeHtml(words)}</span></div></div></div>`;

/** A post in a thread that is gone: X keeps its place with a notice and no article. */
export const tombstone = (words) => `<div><div><div><span>${escapeHtml(words)}</span> <a href="https://help.x.com/rules-and-policies/notices-on-x" role="link"><span>…</span></a></div></div></div>`;

/** A section heading ("Discover more", "More posts"). */
export const heading = (words) => `<div><h2 role="heading" aria-level="2"><span>${escapeHtml(words)}</span></h2></div>`;

/**
 * A whole page.
 * @param {{lang?: string, dir?: string, title?: string, me?: string, timeline: string, cells: string, header?: string}} p
 */
export function page(p) {
  const nav = p.me
    ? `<header role="banner"><nav role="navigation"><a href="/home" data-testid="AppTabBar_Home_Link" role="link"></a><a href="/${p.me}" data-testid="AppTabBar_Profile_Link" role="link"></a></nav></header>`
    : "";
  return `<!DOCTYPE html><html lang="${p.lang ?? "en"}" dir="${p.dir ?? "ltr"}"><head><meta charset="utf-8"><title>${escapeHtml(p.title ?? "X")}</title></head>`
    + `<body><div id="react-root"><div>${nav}<main role="main"><div data-testid="primaryColumn">${p.header ?? ""}<section role="region">`
    + `<div aria-label="${escapeHtml(p.timeline)}"><div>${p.cells}</div></div></section></div></main></div></div><div id="layers"></div></body></html>`;
}

/**
 * A profile header as the logged-out capture draws it (UserName, UserDescription,
 * UserProfileHeader_Items, count links, the follow button carrying the user id).
 * @param {{handle: string, name: string, userId: string, bio: string, location: string, website: string, joined: string,
 *          following: string[], followers: string[], followsMe?: string, iFollow?: boolean, buttonLabel: string}} h
 *   following/followers: [number, word] as the UI prints them (["6.9万", "粉丝"]), each in a span of its own
 */
export function profileHeader(h) {
  const count = (path, [number, word]) => `<div><a href="/${h.handle}/${path}" dir="ltr" role="link"><span><span>${escapeHtml(number)}</span></span> <span><span>${escapeHtml(word)}</span></span></a></div>`;
  return `<div><div><div data-testid="placementTracking"><div><button aria-label="${escapeHtml(h.buttonLabel)}" role="button" data-testid="${h.userId}-${h.iFollow ? "unfollow" : "follow"}" type="button"><div dir="ltr"><span><span>${escapeHtml(h.buttonLabel.replace(/\s*@\S+$/, ""))}</span></span></div></button></div></div></div>`
    + `<div data-testid="UserName"><div><div><div dir="ltr"><span><span>${escapeHtml(h.name)}</span></span></div></div>`
    + `<div><div dir="ltr"><span>@${h.handle}</span></div>${h.followsMe ? `<div data-testid="userFollowIndicator"><span>${escapeHtml(h.followsMe)}</span></div>` : ""}</div></div></div>`
    + `<div><div data-testid="UserDescription" dir="auto"><span>${escapeHtml(h.bio)}</span></div></div>`
    + `<div><div data-testid="UserProfileHeader_Items" dir="ltr"><span data-testid="UserLocation"><svg viewBox="0 0 24 24" aria-hidden="true"><g><path d="M12 7c-1.93 0-3.5 1.57-3.5 3.5"></path></g></svg><span><span>${escapeHtml(h.location)}</span></span></span>`
    + `<a href="https://t.co/abc" data-testid="UserUrl" role="link" rel="noopener noreferrer nofollow" target="_blank"><span>${escapeHtml(h.website)}</span></a>`
    + `<span data-testid="UserJoinDate"><span>${escapeHtml(h.joined)}</span></span></div></div>`
    + `<div>${count("following", h.following)}${count("verified_followers", h.followers)}</div></div>`;
}
