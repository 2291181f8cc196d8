// The live-event websocket: the session cookie goes along with the handshake (same site), the server
// checks it with Host and Origin before it sends anything, then answers "ready" and every change.
const RETRY_MAX_MS = 10000;

export function startLive(onEvent) {
  const port = document.body.dataset.livePort;
  const status = document.getElementById("live");
  if (!port || !status) return;
  let delay = 500;
  let connectedBefore = false;

  const show = (state, text) => { status.dataset.state = state; status.textContent = text; };

  function connect() {
    const ws = new WebSocket(`ws://${location.hostname}:${port}/`);
    ws.addEventListener("message", (message) => {
      let event;
      try { event = JSON.parse(message.data); } catch { return; }
      if (event.type === "ready") {
        show("open", "Live");
        delay = 500;
        if (connectedBefore) onEvent({ type: "reconnected" }); // changes may have happened meanwhile
        connectedBefore = true;
        return;
      }
      onEvent(event);
    });
    ws.addEventListener("close", (closed) => {
      if (closed.code === 4401) { show("closed", "Not live: sign in again"); return; }
      show("closed", "Offline, retrying…");
      setTimeout(connect, delay);
      delay = Math.min(delay * 2, RETRY_MAX_MS);
    });
  }
  connect();
}
