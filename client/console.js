// The page's console in hotserve's terminal: uncaught errors, unhandled
// promise rejections and console.error/warn (console.log/info too with
// --console all) are sent over the socket as "console" messages
// (README.md, "Browser protocol"). The server says in "connected" which
// levels it wants; what happens before that is kept, a few, and sent then.

// consoleLevels are the levels each --console setting sends.
const consoleLevels = { errors: ["error", "warn"], all: ["error", "warn", "info", "log"], off: [] };
// The server reads frames of up to 16 KiB; a message is cut to fit.
const consoleFrameMax = 15000;
const consoleEarlyMax = 50;
let consoleWanted = null; // the levels sent, once connected
const consoleEarly = [];

hookConsole();

function hookConsole() {
  addEventListener("error", (ev) => {
    if (!(ev instanceof ErrorEvent)) return; // a failed <img> or <script> load
    const err = ev.error;
    const fallback = (ev.message || "").replace(/^Uncaught /, "");
    reportConsole("error", "uncaught", describeValue(err, fallback), stackOf(err), ev.filename, ev.lineno, ev.colno);
  });
  addEventListener("unhandledrejection", (ev) => {
    reportConsole("error", "rejection", describeValue(ev.reason), stackOf(ev.reason));
  });
  for (const level of ["error", "warn", "info", "log"]) {
    const original = console[level];
    if (typeof original !== "function") continue;
    console[level] = function (...args) {
      original.apply(this, args);
      // hotserve's own notes stay in the page's console.
      if (typeof args[0] === "string" && args[0].startsWith("[hotserve]")) return;
      const err = args.find((a) => a instanceof Error);
      reportConsole(level, "console", args.map((a) => describeValue(a)).join(" "), err ? stackOf(err) : new Error().stack || "");
    };
  }
}

// describeValue is a value as one line of text: an Error by its name and
// message, a string as it is, anything else as JSON where it can be.
function describeValue(v, fallback) {
  let s;
  try {
    if (v instanceof Error || (v && typeof v === "object" && typeof v.message === "string" && "stack" in v)) {
      s = (v.name || "Error") + ": " + v.message;
    } else if (typeof v === "string") {
      s = v;
    } else if (v === undefined && fallback) {
      s = fallback;
    } else if (v instanceof Node) {
      s = "<" + v.nodeName.toLowerCase() + ">";
    } else if (v && typeof v === "object") {
      s = JSON.stringify(v) || String(v);
    } else {
      s = String(v);
    }
  } catch {
    s = fallback || Object.prototype.toString.call(v);
  }
  return s.length > 1000 ? s.slice(0, 1000) + "…" : s;
}

function stackOf(v) {
  try {
    return (v && typeof v.stack === "string" && v.stack) || "";
  } catch {
    return "";
  }
}

function reportConsole(level, kind, text, stack, url, line, col) {
  const msg = { type: "console", level, kind, text: text.slice(0, 2000), stack: stack.slice(0, 8000) };
  if (url) Object.assign(msg, { url, line, col });
  if (consoleWanted === null || !sendConsole(msg)) {
    if (consoleEarly.length < consoleEarlyMax) consoleEarly.push(msg);
  }
}

// sendConsole sends msg if the server wants its level; false when the
// socket is not open, to keep it for later.
function sendConsole(msg) {
  if (!consoleWanted.includes(msg.level)) return true;
  const socket = state.socket;
  if (!socket || socket.readyState !== WebSocket.OPEN) return false;
  let frame = JSON.stringify(msg);
  const size = (s) => new TextEncoder().encode(s).length;
  while (size(frame) > consoleFrameMax && (msg.stack || msg.text.length > 100)) {
    if (msg.stack) msg.stack = msg.stack.slice(0, msg.stack.length >> 1);
    else msg.text = msg.text.slice(0, msg.text.length >> 1) + "…";
    frame = JSON.stringify(msg);
  }
  socket.send(frame);
  return true;
}

// consoleConnected takes the levels the server wants from its connected
// message and sends what happened before.
function consoleConnected(msg) {
  consoleWanted = consoleLevels[msg.console] || consoleLevels.errors;
  runtimeOverlayOff = !!msg.noOverlay;
  while (consoleEarly.length && sendConsole(consoleEarly[0])) consoleEarly.shift();
}
