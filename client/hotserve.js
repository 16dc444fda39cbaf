// hotserve client: keeps this page in step with the files on disk.
//
// It listens on /__hotserve/ws for the JSON messages described in
// README.md ("Browser protocol"): stylesheets and images are refreshed in
// place, page edits are morphed in (morph.js), module edits are
// hot-replaced where a module accepts them (hot.js), anything else reloads the
// page (keeping the scroll position and form values), each
// update is acknowledged once painted, and a tab that reconnects reloads
// only if the server says it missed something.
//
// client.go wraps the files of this folder in one function, this one last,
// so that the declarations of the others exist when it starts.

const state = { server: null, epoch: 0, retry: 0, socket: null, online: false };
window.__hotserve = state;
state.hot = hotContext; // import.meta.hot of the page's modules (hot.js)

const scrollKey = "hotserve:scroll:" + location.pathname;
const maxBackoff = 2000;
// The server's token rides on the injected script's URL; hotserve refuses
// a WebSocket from a browser page without it, so other sites cannot
// listen in (SECURITY.md).
const ownSrc = document.currentScript && document.currentScript.src;

restoreScroll();
restoreForms();
connect();

// token returns the token from this script's URL or, when the page also
// includes the client itself without one, from the injected copy.
function token() {
  const srcs = [ownSrc, ...[...document.scripts].map((s) => s.src)];
  for (const src of srcs) {
    if (!src) continue;
    const url = new URL(src, location.href);
    if (url.pathname === "/__hotserve/client.js" && url.searchParams.get("t")) {
      return url.searchParams.get("t");
    }
  }
  return "";
}

function connect() {
  if (!token() && document.readyState === "loading") {
    addEventListener("DOMContentLoaded", connect, { once: true });
    return;
  }
  const proto = location.protocol === "https:" ? "wss:" : "ws:";
  const socket = new WebSocket(proto + "//" + location.host + "/__hotserve/ws?t=" + encodeURIComponent(token()) + since());
  let opened = false;
  socket.onopen = () => {
    opened = true;
    hotNotify("vite:ws:connect", { webSocket: socket });
  };
  state.socket = socket;
  socket.onmessage = (ev) => {
    let msg;
    try {
      msg = JSON.parse(ev.data);
    } catch {
      console.warn("[hotserve] ignored a malformed message", ev.data);
      return;
    }
    try {
      handle(msg);
    } catch (err) {
      console.warn("[hotserve] could not apply " + msg.type, err);
    }
  };
  socket.onclose = () => {
    state.socket = null;
    if (opened) hotNotify("vite:ws:disconnect", { webSocket: socket });
    offline();
    // A socket refused by a server that answers HTTP: if that server is
    // a new one, this page's token is out of date and only a reload
    // helps; if it is the same one (it is full), keep retrying.
    if (!opened && state.server !== null) {
      fetch("/__hotserve/client.js", { method: "HEAD", cache: "no-store" }).then(
        (r) => {
          const id = r.headers.get("X-Hotserve-Server");
          if (r.ok && id && id !== state.server) reload("hotserve restarted");
        },
        () => {},
      );
    }
    // Back off 100 ms, 200 ms, … up to 2 s, so a restarted server is
    // found within two seconds without hammering a stopped one.
    const delay = Math.min(maxBackoff, 100 * 2 ** state.retry++);
    setTimeout(connect, delay);
  };
}

function handle(msg) {
  // What arrives while the page is already reloading, or that this page
  // already shows (its epoch is not newer than the one it connected
  // with), changes nothing: the new page connects with its own epoch and
  // is told then whether it missed something.
  if (msg.type !== "connected" && (unloading || (msg.epoch && msg.epoch <= state.epoch))) return;
  // An update changes a page that has been parsed, not half of one.
  if (msg.type !== "connected" && document.readyState === "loading") return whenParsed(() => handle(msg));
  // A runtime error stays until the next update the page applies.
  if (!["connected", "runtime-error", "build-error"].includes(msg.type)) hideRuntimeOverlay();
  switch (msg.type) {
    case "connected":
      state.retry = 0;
      state.online = true;
      dismissed = false;
      hideBadge();
      consoleConnected(msg);
      if (msg.stale) {
        reload(state.server && state.server !== msg.server ? "hotserve restarted" : "files changed while disconnected");
        return;
      }
      state.server = msg.server;
      state.epoch = msg.epoch || 0; // omitted before the first change
      ackReload();
      if (msg.morph) fetchBaseline(state.epoch);
      break;
    case "live-reload":
      if (msg.hot) {
        state.epoch = msg.epoch;
        hotUpdate(msg);
        break;
      }
      if (!msg.morph) {
        reload(msg.reason || "files changed", msg.epoch);
        break;
      }
      state.epoch = msg.epoch;
      morphPage(msg);
      break;
    case "css-update":
    case "img-update":
      state.epoch = msg.epoch;
      applyInPlace(msg);
      break;
    case "build-error":
      showOverlay(msg.title || "Build failed", msg.text || "", msg.backend);
      break;
    case "build-ok":
      hideOverlay();
      break;
    case "runtime-error":
      showRuntimeOverlay(msg);
      break;
  }
}

// reload reloads the page, keeping its scroll position and form values
// and, for update epoch, what to acknowledge once the new page has
// painted, with fallback, the reason a morph was turned down, if it was.
function reload(reason, epoch, fallback) {
  console.info("[hotserve] reloading: " + reason);
  unloading = true;
  try {
    sessionStorage.setItem(scrollKey, JSON.stringify([scrollX, scrollY]));
    saveForms();
    if (epoch) sessionStorage.setItem(ackKey, JSON.stringify({ server: state.server, epoch, at: Date.now(), fallback }));
  } catch {
    // Storage can be disabled; the reload still happens.
  }
  location.reload();
}

function restoreScroll() {
  let saved;
  try {
    saved = sessionStorage.getItem(scrollKey);
    sessionStorage.removeItem(scrollKey);
  } catch {
    return;
  }
  if (!saved) return;
  const [x, y] = JSON.parse(saved);
  const go = () => scrollTo(x, y);
  if (document.readyState === "complete") go();
  else addEventListener("load", go, { once: true });
}

// --- Acknowledgements: what was applied, and how long it took. ---

const ackKey = "hotserve:ack";

// ack tells the server that update epoch has been applied and painted,
// ms after it arrived, and why, when a morph was turned down or a hot
// update failed or reloaded; boundaries are the modules that accepted a
// hot update.
function ack(epoch, did, ms, reason, boundaries) {
  if (!epoch) return;
  const t = performance.now();
  afterPaint(() => {
    const socket = state.socket;
    if (socket && socket.readyState === WebSocket.OPEN) {
      socket.send(JSON.stringify({ type: "applied", epoch, did, ms: ms + performance.now() - t, reason, boundaries }));
    }
  });
}

// afterPaint runs fn once the next frame has been painted (at once in a
// hidden tab, which paints nothing).
function afterPaint(fn) {
  if (document.visibilityState === "hidden") fn();
  else requestAnimationFrame(() => setTimeout(fn, 0));
}

// ackReload acknowledges, after the load that followed it, the update
// that reloaded this tab, if it came from this same server.
function ackReload() {
  let pending;
  try {
    pending = JSON.parse(sessionStorage.getItem(ackKey));
    sessionStorage.removeItem(ackKey);
  } catch {
    return;
  }
  if (!pending || pending.server !== state.server) return;
  const send = () => ack(pending.epoch, "reloaded", Date.now() - pending.at, pending.fallback);
  if (document.readyState === "complete") send();
  else addEventListener("load", send, { once: true });
}

// --- Reconnecting: say what this page has seen. ---

// since returns the WebSocket URL's query beyond the token: the page this
// tab shows, and the server and epoch it is up to date with, which the
// page's own response names (Server-Timing) before the first connection.
function since() {
  let q = "&page=" + encodeURIComponent(decodedPath(location.href));
  let { server, epoch } = state;
  if (server === null) {
    try {
      const nav = performance.getEntriesByType("navigation")[0];
      const t = nav && nav.serverTiming.find((e) => e.name === "hotserve");
      if (t) [server, epoch] = t.description.split(".");
    } catch {
      // no Server-Timing: the server will not call this tab stale
    }
  }
  if (server) q += "&server=" + encodeURIComponent(server) + "&epoch=" + encodeURIComponent(epoch);
  return q;
}
