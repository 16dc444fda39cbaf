// What the page shows of hotserve itself: the disconnected badge, the
// build-error overlay and the runtime-error overlay.

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
  styleRoot(root, `
    :host { position: fixed; right: 12px; bottom: 12px; z-index: 2147483647; display: flex; gap: 8px;
            align-items: center; padding: 6px 8px 6px 12px; border-radius: 6px; background: #1e1e1e;
            color: #eee; font: 12px/1.4 system-ui, sans-serif; box-shadow: 0 2px 10px rgba(0,0,0,.3); }
    button { all: unset; cursor: pointer; padding: 0 4px; color: #aaa; font-size: 14px; }
    button:hover { color: #fff; }`);
  const text = document.createElement("span");
  text.textContent = "hotserve disconnected — retrying";
  const close = document.createElement("button");
  close.textContent = "×";
  close.title = "Dismiss";
  close.addEventListener("click", () => {
    dismissed = true;
    hideBadge();
  });
  root.append(text, close);
  const shown = badge;
  showElement(shown, () => badge === shown);
}

function hideBadge() {
  clearTimeout(badgeTimer);
  badgeTimer = 0;
  if (badge) badge.remove();
  badge = null;
}

// The overlays live in a shadow root so the page's CSS cannot touch them,
// and their text is set with textContent, never parsed as HTML. The
// build-error overlay stays until build-ok; the runtime-error one until the
// next update the page applies. Esc dismisses both.
let overlay = null;
let runtimeOverlay = null;
let runtimeOverlayOff = false; // --no-overlay

const overlayStyle = `
    :host { position: fixed; inset: 0; z-index: 2147483647; background: rgba(0,0,0,.66);
            display: flex; align-items: flex-start; justify-content: center; padding: 8vh 16px;
            font: 14px/1.5 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
    .box { max-width: 900px; width: 100%; max-height: 80vh; overflow: auto; background: #1e1e1e;
           color: #eee; border-top: 4px solid #e5484d; border-radius: 6px; padding: 16px 20px;
           box-shadow: 0 10px 40px rgba(0,0,0,.5); }
    h2 { margin: 0 0 12px; font-size: 16px; color: #ff8589; }
    pre { margin: 0; white-space: pre-wrap; word-break: break-word; }
    p { margin: 12px 0 0; color: #999; font-size: 12px; }
    .where { all: unset; cursor: pointer; color: #7cc4ff; text-decoration: underline dotted; }
    .where:hover { color: #b3dcff; }
    .frame { margin: 14px 0 0; }
    .fn { color: #999; }
    .src { margin: 4px 0 0; padding: 6px 8px; background: #141414; border-radius: 4px; color: #bbb; }
    .src .at { color: #fff; background: #4a1d1f; }
    .note { color: #ccc; }`;

// styleRoot styles a shadow root with css. A constructed stylesheet is
// not subject to the page's Content-Security-Policy, where a <style>
// element is blocked by a style-src without 'unsafe-inline' (and reported
// as a violation in the page's console); browsers without one get the
// element.
const sheets = new Map();
function styleRoot(root, css) {
  if ("adoptedStyleSheets" in root && "replaceSync" in CSSStyleSheet.prototype) {
    if (!sheets.has(css)) {
      const sheet = new CSSStyleSheet();
      sheet.replaceSync(css);
      sheets.set(css, sheet);
    }
    root.adoptedStyleSheets = [sheets.get(css)];
    return;
  }
  const style = document.createElement("style");
  style.textContent = css;
  root.append(style);
}

// overlayElement makes an overlay element with the box in its shadow root.
function overlayElement(title) {
  const host = document.createElement("hotserve-overlay");
  const root = host.attachShadow({ mode: "open" });
  styleRoot(root, overlayStyle);
  const box = document.createElement("div");
  box.className = "box";
  const h = document.createElement("h2");
  h.textContent = title;
  box.append(h);
  root.append(box);
  return { host, box };
}

// showOverlay shows a build-error: text's places open in the editor,
// looked for in the folder of backend, the one whose build it is.
function showOverlay(title, text, backend) {
  hideOverlay();
  const { host, box } = overlayElement(title);
  const pre = document.createElement("pre");
  pre.append(...linkPlaces(text, backend));
  box.append(pre, hint("Fix the problem and save; this goes away by itself. Esc or click to dismiss."));
  host.addEventListener("click", hideOverlay);
  overlay = host;
  showElement(host, () => overlay === host);
}

function hideOverlay() {
  if (overlay) overlay.remove();
  overlay = null;
}

// showRuntimeOverlay shows an uncaught error (runtime-error): its message,
// then each frame in the folder, clickable, with its source lines.
function showRuntimeOverlay(msg) {
  if (runtimeOverlayOff) return;
  hideRuntimeOverlay();
  const { host, box } = overlayElement(msg.title || "Uncaught error");
  const text = document.createElement("pre");
  text.textContent = msg.text || "";
  box.append(text);
  for (const f of msg.frames || []) box.append(frameElement(f));
  box.append(hint("Click a place to open it in your editor. Esc or a click outside dismisses this; the next update removes it."));
  host.addEventListener("click", (ev) => {
    if (ev.composedPath()[0] === host) hideRuntimeOverlay();
  });
  runtimeOverlay = host;
  showElement(host, () => runtimeOverlay === host);
}

function hideRuntimeOverlay() {
  if (runtimeOverlay) runtimeOverlay.remove();
  runtimeOverlay = null;
}

// frameElement is one stack frame: "fn  js/app.js:12:5", the place a
// button when the file is in the folder, and its source lines.
function frameElement(f) {
  const div = document.createElement("div");
  div.className = "frame";
  const place = (f.file || f.url || "") + (f.line ? ":" + f.line + (f.col ? ":" + f.col : "") : "");
  if (f.fn) {
    const fn = document.createElement("span");
    fn.className = "fn";
    fn.textContent = f.fn + "  ";
    div.append(fn);
  }
  div.append(f.file ? placeButton(place, f.file, f.line, f.col) : document.createTextNode(place));
  if (f.source && f.source.length) {
    const src = document.createElement("pre");
    src.className = "src";
    const width = String(f.source[f.source.length - 1].n).length;
    for (const l of f.source) {
      const line = document.createElement("div");
      if (l.n === f.line) line.className = "at";
      line.textContent = String(l.n).padStart(width) + " │ " + l.text;
      src.append(line);
    }
    div.append(src);
  }
  return div;
}

// placeRE finds "file:line" and "file:line:col" in build output: a name
// with an extension that starts with a letter, so "127.0.0.1:8080" is not
// one.
const placeRE = /(?:[A-Za-z]:)?[\w.\/\\@~+-]*\w\.[A-Za-z][A-Za-z0-9]*:(\d+)(?::(\d+))?/g;

// linkPlaces splits text into text nodes and a button for each place in it.
function linkPlaces(text, backend) {
  const out = [];
  let last = 0;
  for (const m of text.matchAll(placeRE)) {
    out.push(document.createTextNode(text.slice(last, m.index)));
    const file = m[0].slice(0, m[0].length - m[1].length - 1 - (m[2] ? m[2].length + 1 : 0));
    out.push(placeButton(m[0], file, Number(m[1]), Number(m[2] || 0), backend));
    last = m.index + m[0].length;
  }
  out.push(document.createTextNode(text.slice(last)));
  return out;
}

// placeButton is a place that, clicked, asks hotserve to open file at line
// in the person's editor, and says how that went; backend is the one whose
// build output names it, if any.
function placeButton(label, file, line, col, backend) {
  const b = document.createElement("button");
  b.className = "where";
  b.textContent = label;
  b.title = "Open in your editor";
  b.addEventListener("click", (ev) => {
    ev.stopPropagation();
    openInEditor(file, line, col, b, backend);
  });
  return b;
}

function openInEditor(file, line, col, near, backend) {
  const note = document.createElement("span");
  note.className = "note";
  near.after(note);
  const say = (s) => {
    note.textContent = "  " + s;
    setTimeout(() => note.remove(), 4000);
  };
  fetch("/__hotserve/open", {
    method: "POST",
    headers: { "Content-Type": "application/json", "X-Hotserve-Token": token() },
    body: JSON.stringify({ file, line, col, backend }),
  }).then(
    (r) => (r.ok ? say("opened in your editor") : r.text().then((t) => say(t.trim()))),
    () => say("hotserve is not reachable"),
  );
}

function hint(text) {
  const p = document.createElement("p");
  p.textContent = text;
  return p;
}

addEventListener("keydown", (ev) => {
  if (ev.key === "Escape") {
    hideOverlay();
    hideRuntimeOverlay();
  }
});
