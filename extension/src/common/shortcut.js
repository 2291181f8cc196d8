// The overlay's keyboard shortcut, Alt+Shift+R, told by the key's place (KeyR) so it works on every
// keyboard layout. X's own shortcuts are single keys; this one does not collide with them.

export const SHORTCUT_LABEL = "Alt+Shift+R";

export const isToggleKey = (event) => event.altKey && event.shiftKey && !event.ctrlKey && !event.metaKey && event.code === "KeyR";
