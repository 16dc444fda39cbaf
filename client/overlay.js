// What the page shows of hotserve itself: the disconnected badge and the
// build-error overlay.

// A small badge, in a shadow root like the overlay, says that the server
// is gone; it appears only after a moment (a restart is often quicker)
// and never on a page that is leaving.
let badge = null;
let badgeTimer = 0;
let dismissed = false; // until the next connection
let unloading = false;
addEventListener("pagehide", () => (unloading = true));
addEventListener("pageshow", () => (unloading = false));

function offline() {
  state.online = false;
  if (badgeTimer || badge || dismissed) return;
  badgeTimer = setTimeout(() => {
    badgeTimer = 0;
    if (!state.online && !unloading) showBadge();
  }, 500);
}

function showBadge() {
  badge = document.createElement("hotserve-badge");
  const root = badge.attachShadow({ mode: "open" });
  const style = document.createElement("style");
  style.textContent = `
    :host { position: fixed; right: 12px; bottom: 12px; z-index: 2147483647; display: flex; gap: 8px;
            align-items: center; padding: 6px 8px 6px 12px; border-radius: 6px; background: #1e1e1e;
            color: #eee; font: 12px/1.4 system-ui, sans-serif; box-shadow: 0 2px 10px rgba(0,0,0,.3); }
    button { all: unset; cursor: pointer; padding: 0 4px; color: #aaa; font-size: 14px; }
    button:hover { color: #fff; }`;
  const text = document.createElement("span");
  text.textContent = "hotserve disconnected — retrying";
  const close = document.createElement("button");
  close.textContent = "×";
  close.title = "Dismiss";
  close.addEventListener("click", () => {
    dismissed = true;
    hideBadge();
  });
  root.append(style, text, close);
  (document.body || document.documentElement).append(badge);
}

function hideBadge() {
  clearTimeout(badgeTimer);
  badgeTimer = 0;
  if (badge) badge.remove();
  badge = null;
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
