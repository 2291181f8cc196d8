// The connection states and how each shows on the toolbar icon and in the options page.
// Pure module: no browser APIs.

export const STATE = Object.freeze({
  CHECKING: "checking",
  CONNECTED: "connected",
  OFFLINE: "offline",
  WRONG_SERVER: "wrong_server",
  VERSION_MISMATCH: "version_mismatch",
  NOT_PAIRED: "not_paired",
  COMPANION_ERROR: "companion_error",
  NO_ACCESS: "no_access",
});

// How each state shows on the toolbar icon. These are status colours, not stage colours.
export const STATE_INFO = Object.freeze({
  [STATE.CHECKING]: { label: "Checking the companion…", badge: "…", colour: "#8B98A5" },
  [STATE.CONNECTED]: { label: "Connected", badge: "ON", colour: "#00BA7C" },
  [STATE.OFFLINE]: { label: "Companion offline", badge: "OFF", colour: "#F4212E" },
  [STATE.WRONG_SERVER]: { label: "Wrong server", badge: "??", colour: "#F4212E" },
  [STATE.VERSION_MISMATCH]: { label: "Version mismatch", badge: "VER", colour: "#F97316" },
  [STATE.NOT_PAIRED]: { label: "Not paired", badge: "KEY", colour: "#F97316" },
  [STATE.COMPANION_ERROR]: { label: "Companion error", badge: "ERR", colour: "#F4212E" },
  [STATE.NO_ACCESS]: { label: "No access to 127.0.0.1", badge: "PERM", colour: "#F97316" },
});

// While connected, the icon counts the people overdue for a keep-in-touch reminder instead of saying ON.
export const OVERDUE_COLOUR = "#D9480F";
const MAX_COUNT = 99;

/**
 * Badge text, colour and tooltip for a check result (or for "checking" when there is none). `overdue`:
 * how many people are overdue, shown while connected (the other states keep their own codes).
 */
export function badgeFor(result, overdue = 0) {
  const state = result && STATE_INFO[result.state] ? result.state : STATE.CHECKING;
  const info = STATE_INFO[state];
  let title = `Rapport: ${info.label}`;
  if (state === STATE.CONNECTED) {
    title += ` to the companion${result.server_version ? ` ${result.server_version}` : ""} at ${result.url}`;
    if (overdue > 0) {
      title += `. ${overdue} ${overdue === 1 ? "person" : "people"} to get back to (Keep in touch)`;
      return { text: overdue > MAX_COUNT ? `${MAX_COUNT}+` : String(overdue), colour: OVERDUE_COLOUR, title };
    }
  } else if (result?.detail) {
    title += `. ${result.detail}`;
  }
  return { text: info.badge, colour: info.colour, title };
}
