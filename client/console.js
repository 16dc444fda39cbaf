// The page's console in hotserve's terminal: uncaught errors, unhandled
// promise rejections and console.error/warn (console.log/info too with
// --console all) are sent over the socket as "console" messages
// (README.md, "Browser protocol"). The server says in "connected" which
// levels it wants; what happens before that is kept, a few, and sent then.
//
// The hooks run inside the page's own console calls, so they must never
// change what the page sees: a level the server does not want costs
// nothing (no value is described, no getter or toJSON of the page's runs),
// a wanted one is described by a bounded walk that reads only data
// properties, and nothing they do can throw into the page's call.

// consoleLevels are the levels each --console setting sends.
const consoleLevels = { errors: ["error", "warn"], all: ["error", "warn", "info", "log"], off: [] };
// The server reads frames of up to 16 KiB; a message is cut to fit.
const consoleFrameMax = 15000;
const consoleEarlyMax = 50;
let consoleWanted = null; // the levels sent, once connected
const consoleEarly = []; // events before then, described only if wanted
// consoleEarlyDropped counts, by level, the events before then that
// consoleEarly had no room for: they are said in one line once connected.
const consoleEarlyDropped = { error: 0, warn: 0, info: 0, log: 0 };

hookConsole();

function hookConsole() {
  addEventListener("error", (ev) => {
    if (!(ev instanceof ErrorEvent)) return; // a failed <img> or <script> load
    reportConsole("error", "uncaught", () => {
      const fallback = (ev.message || "").replace(/^Uncaught /, "");
      return { text: describeValue(ev.error, fallback), stack: stackOf(ev.error), url: ev.filename, line: ev.lineno, col: ev.colno };
    });
  });
  addEventListener("unhandledrejection", (ev) => {
    reportConsole("error", "rejection", () => ({ text: describeValue(ev.reason), stack: stackOf(ev.reason) }));
  });
  for (const level of ["error", "warn", "info", "log"]) {
    const original = console[level];
    if (typeof original !== "function") continue;
    console[level] = function (...args) {
      original.apply(this, args);
      if (consoleWanted !== null && !consoleWanted.includes(level)) return;
      // hotserve's own notes stay in the page's console.
      if (typeof args[0] === "string" && args[0].startsWith("[hotserve]")) return;
      const caller = new Error(); // its stack is read only if the level is wanted
      try {
        reportConsole(level, "console", () => {
          const err = args.find((a) => consoleIsError(a));
          return { text: args.map((a) => describeValue(a)).join(" "), stack: err ? stackOf(err) : stackOf(caller) };
        });
      } catch {
        // Never the page's problem: its own call has done its work.
      }
    };
  }
}

// consoleIsError tells an Error, or what looks like one, without running the
// page's code beyond a proxy's traps.
function consoleIsError(v) {
  try {
    return v instanceof Error || (!!v && typeof v === "object" && typeof consoleOwn(v, "message") === "string" && "stack" in v);
  } catch {
    return false;
  }
}

// describeValue is a value as one line of text: an Error by its name and
// message, a string as it is, anything else in the manner of JSON (see
// consoleData) where it can be.
function describeValue(v, fallback) {
  let s;
  try {
    if (consoleIsError(v)) {
      s = (consoleOwn(v, "name") || consoleClassName(v)) + ": " + consoleOwn(v, "message");
    } else if (typeof v === "string") {
      s = v;
    } else if (v === undefined && fallback) {
      s = fallback;
    } else if (v instanceof Node) {
      s = "<" + v.nodeName.toLowerCase() + ">";
    } else if (v && typeof v === "object") {
      s = consoleData(v, 3, new Set());
    } else {
      s = String(v);
    }
  } catch {
    s = fallback || "[object]";
  }
  return s.length > 1000 ? s.slice(0, 1000) + "…" : s;
}

// consoleWalk bounds consoleData: keys of one object, and characters.
const consoleWalkKeys = 20;
const consoleWalkChars = 1000;

// consoleData writes v as JSON would, but from its own data properties
// only: an accessor is "[getter]" and never run, a toJSON never called, a
// cycle "[circular]", and the walk stops depth objects down, after
// consoleWalkKeys keys of each and about consoleWalkChars characters.
function consoleData(v, depth, seen) {
  if (v === null || typeof v === "boolean") return String(v);
  if (typeof v === "number") return Number.isFinite(v) ? String(v) : "null";
  if (typeof v === "bigint") return v + "n";
  if (typeof v === "string") return JSON.stringify(v.length > consoleWalkChars ? v.slice(0, consoleWalkChars) : v);
  if (typeof v !== "object") return undefined; // a function, a symbol, undefined: left out, as JSON does
  if (seen.has(v)) return '"[circular]"';
  if (v instanceof Date) return JSON.stringify(Date.prototype.toISOString.call(v));
  if (depth === 0) return Array.isArray(v) ? "[…]" : "{…}";
  seen.add(v);
  const array = Array.isArray(v);
  const keys = Object.keys(v);
  const parts = [];
  let size = 0;
  let cut = keys.length > consoleWalkKeys;
  for (const k of keys.slice(0, consoleWalkKeys)) {
    const d = Object.getOwnPropertyDescriptor(v, k);
    const s = !d ? undefined : "value" in d ? consoleData(d.value, depth - 1, seen) : "[getter]";
    if (s === undefined && !array) continue;
    const part = array ? (s === undefined ? "null" : s) : JSON.stringify(k) + ":" + s;
    parts.push(part);
    size += part.length;
    if (size > consoleWalkChars) {
      cut = true;
      break;
    }
  }
  seen.delete(v);
  if (cut) parts.push("…");
  return array ? "[" + parts.join(",") + "]" : "{" + parts.join(",") + "}";
}

// consoleOwn is v's property k as a data property of v or of its
// prototypes says it, or as a getter of the browser's own gives it (a
// DOMException's message); a getter of the page's is never run.
function consoleOwn(v, k) {
  for (let o = v, i = 0; o && i < 10; o = Object.getPrototypeOf(o), i++) {
    const d = Object.getOwnPropertyDescriptor(o, k);
    if (!d) continue;
    if ("value" in d) return d.value;
    const native = typeof d.get === "function" && /\{\s*\[native code\]\s*\}$/.test(Function.prototype.toString.call(d.get));
    return native ? d.get.call(v) : undefined;
  }
  return undefined;
}

// consoleClassName is the name of v's class, read from its constructor's own data.
function consoleClassName(v) {
  const c = consoleOwn(v, "constructor");
  return (typeof c === "function" && consoleOwn(c, "name")) || "Error";
}

function stackOf(v) {
  try {
    return (v && typeof v.stack === "string" && v.stack) || "";
  } catch {
    return "";
  }
}

// reportConsole sends the event describe tells of, if its level is
// wanted: describe runs only then, once connected, so an unwanted level
// costs nothing. Before the levels are known it is kept, a few.
function reportConsole(level, kind, describe) {
  if (consoleWanted !== null && !consoleWanted.includes(level)) return;
  const ev = { level, kind, describe };
  if (consoleWanted === null || !sendConsole(ev)) {
    if (consoleEarly.length < consoleEarlyMax) consoleEarly.push(ev);
    else consoleEarlyDropped[level]++;
  }
}

// consoleMessage is ev's message, described the first time it is asked
// for; whatever goes wrong describing it, it is a message.
function consoleMessage(ev) {
  if (!ev.msg) {
    let d;
    try {
      d = ev.describe();
    } catch {
      d = { text: "[a value hotserve could not describe]", stack: "" };
    }
    ev.msg = { type: "console", level: ev.level, kind: ev.kind, text: String(d.text).slice(0, 2000), stack: String(d.stack || "").slice(0, 8000) };
    if (d.url) Object.assign(ev.msg, { url: d.url, line: d.line, col: d.col });
  }
  return ev.msg;
}

// sendConsole sends ev if the server wants its level; false when the
// socket is not open, to keep it for later.
function sendConsole(ev) {
  if (!consoleWanted.includes(ev.level)) return true;
  const socket = state.socket;
  const msg = consoleMessage(ev);
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
  const dropped = consoleWanted.reduce((n, level) => n + consoleEarlyDropped[level], 0);
  const socket = state.socket;
  if (!dropped || consoleEarly.length || !socket || socket.readyState !== WebSocket.OPEN) return; // the next connection says it
  for (const level in consoleEarlyDropped) consoleEarlyDropped[level] = 0;
  socket.send(JSON.stringify({ type: "console", level: "warn", kind: "console", text: "", dropped }));
}
