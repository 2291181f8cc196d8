// The logged-in user's own handle, as the page shows it (SELECTORS.md "logged-in user").
// Sources, in order: the side nav's Profile link (2024/2025 layouts), then the account switcher
// button (the only one in the Feb 2026 capture): its "@handle" line, else its avatar's testid.
// Null when neither is there (fragments, logged-out pages): the caller keeps the last known value.

import { handleFromHref, handleOfNameBlock, isHandle, queryAll } from "./util.js";

const AVATAR_PREFIX = "UserAvatar-Container-";

/**
 * @param {Document|Element} root
 * @param {string} baseUrl the page address, to resolve relative hrefs
 * @returns {string|null}
 */
export function findMe(root, baseUrl) {
  for (const link of queryAll(root, 'a[data-testid="AppTabBar_Profile_Link"]')) {
    const handle = handleFromHref(link.getAttribute("href"), baseUrl);
    if (handle) return handle;
  }
  for (const button of queryAll(root, '[data-testid="SideNav_AccountSwitcher_Button"]')) {
    const handle = handleOfNameBlock(button); // its name first, then its handle: a name may read "@anna"
    if (handle) return handle;
    for (const avatar of queryAll(button, `[data-testid^="${AVATAR_PREFIX}"]`)) {
      const candidate = avatar.getAttribute("data-testid").slice(AVATAR_PREFIX.length);
      if (isHandle(candidate)) return candidate;
    }
  }
  return null;
}
