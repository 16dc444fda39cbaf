// hotserve client: keeps this page in step with the files on disk.
//
// It listens on /__hotserve/ws for the JSON messages described in
// shared/DESIGN.md ("Protocol"): stylesheets are swapped in place, anything
// else reloads the page (keeping the scroll position), and a tab that
// reconnects to a restarted server reloads once.
(() => {
  "use strict";

  if (window.__hotserve) return; // injected twice (e.g. a page that includes it itself)
  const state = { server: null, retry: 0, socket: null };
  window.__hotserve = state;

  const scrollKey = "hotserve:scroll:" + location.pathname;
  const maxBackoff = 2000;

  restoreScroll();
  connect();

  function connect() {
    const proto = location.protocol === "https:" ? "wss:" : "ws:";
    const socket = new WebSocket(proto + "//" + location.host + "/__hotserve/ws");
    state.socket = socket;
    socket.onmessage = (ev) => {
      let msg;
      try {
        msg = JSON.parse(ev.data);
      } catch {
        console.warn("[hotserve] ignored a malformed message", ev.data);
        return;
      }
      handle(msg);
    };
    socket.onclose = () => {
      state.socket = null;
      // Back off 100 ms, 200 ms, … up to 2 s, so a restarted server is
      // found within two seconds without hammering a stopped one.
      const delay = Math.min(maxBackoff, 100 * 2 ** state.retry++);
      setTimeout(connect, delay);
    };
  }

  function handle(msg) {
    switch (msg.type) {
      case "connected":
        state.retry = 0;
        if (state.server !== null && state.server !== msg.server) {
          reload("hotserve restarted");
          return;
        }
        state.server = msg.server;
        break;
      case "live-reload":
        reload(msg.reason || "files changed");
        break;
      case "css-update":
        updateStyles(msg.paths || []);
        break;
      case "build-error":
        showOverlay(msg.title || "Build failed", msg.text || "");
        break;
      case "build-ok":
        hideOverlay();
        break;
    }
  }

  function reload(reason) {
    console.info("[hotserve] reloading: " + reason);
    try {
      sessionStorage.setItem(scrollKey, JSON.stringify([scrollX, scrollY]));
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

  // updateStyles swaps each stylesheet link whose URL is one of paths for a
  // fresh copy, or every same-origin stylesheet when none matches (the
  // changed file may be @imported).
  function updateStyles(paths) {
    const links = [...document.querySelectorAll('link[rel~="stylesheet"][href]')]
      .filter((link) => sameOrigin(link.href));
    const wanted = new Set(paths);
    let matched = links.filter((link) => wanted.has(new URL(link.href).pathname));
    if (matched.length === 0) matched = links;
    for (const link of matched) swap(link);
    console.info("[hotserve] updated " + paths.join(", "));
  }

  // swap inserts a cache-busted copy of link right after it and removes the
  // old one only once the new one has loaded, so the page never shows
  // unstyled content.
  function swap(link) {
    const url = new URL(link.href);
    url.searchParams.set("hotserve", Date.now().toString(36));
    const fresh = link.cloneNode();
    fresh.href = url.href;
    const done = () => link.remove();
    fresh.addEventListener("load", done, { once: true });
    fresh.addEventListener("error", done, { once: true });
    link.after(fresh);
  }

  function sameOrigin(href) {
    try {
      return new URL(href).origin === location.origin;
    } catch {
      return false;
    }
  }

  // The overlay lives in a shadow root so the page's CSS cannot touch it,
  // and its text is set with textContent, never parsed as HTML.
  let overlay = null;

  function showOverlay(title, text) {
    hideOverlay();
    overlay = document.createElement("hotserve-overlay");
    const root = overlay.attachShadow({ mode: "open" });
    const style = document.createElement("style");
    style.textContent = `
      :host { position: fixed; inset: 0; z-index: 2147483647; background: rgba(0,0,0,.66);
              display: flex; align-items: flex-start; justify-content: center; padding: 8vh 16px;
              font: 14px/1.5 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
      .box { max-width: 900px; width: 100%; max-height: 80vh; overflow: auto; background: #1e1e1e;
             color: #eee; border-top: 4px solid #e5484d; border-radius: 6px; padding: 16px 20px;
             box-shadow: 0 10px 40px rgba(0,0,0,.5); }
      h2 { margin: 0 0 12px; font-size: 16px; color: #ff8589; }
      pre { margin: 0; white-space: pre-wrap; word-break: break-word; }
      p { margin: 12px 0 0; color: #999; font-size: 12px; }`;
    const box = document.createElement("div");
    box.className = "box";
    const h = document.createElement("h2");
    h.textContent = title;
    const pre = document.createElement("pre");
    pre.textContent = text;
    const hint = document.createElement("p");
    hint.textContent = "Fix the problem and save; this goes away by itself. Esc or click to dismiss.";
    box.append(h, pre, hint);
    root.append(style, box);
    overlay.addEventListener("click", hideOverlay);
    (document.body || document.documentElement).append(overlay);
  }

  function hideOverlay() {
    if (overlay) overlay.remove();
    overlay = null;
  }

  addEventListener("keydown", (ev) => {
    if (ev.key === "Escape") hideOverlay();
  });
})();
