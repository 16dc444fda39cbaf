// Page edits applied in place: the live document is morphed into the page
// as the server now serves it, keeping what the user and the page's own
// script did (README: "HTML edits applied in place").
//
// The morph is three-way. baseline is the page the live document was
// made from; what an edit leaves equal in baseline and the new page is not
// touched at all, so the page's own changes to it (a class its script
// added, a video playing, a <details> the user opened) stay. Without a
// baseline the live document stands in for it.
//
// The first baseline is exactly the page as served: its response names
// its hash in Server-Timing (hotserve-page), and the server hands those
// bytes back by it, whatever was saved since. A page without that header
// (from a backend, or an older hotserve) fetches its own URL instead, which
// may already be an edit saved after the page loaded (see baselineFor).

let baseline = null;
// baselineExact is set when baseline is known to be what the live document
// was made from, not a fetch that may have raced an edit.
let baselineExact = false;
// baselineEpoch is the update epoch the baseline was fetched at, and
// baselineAt when the fetch started (performance.now()).
let baselineEpoch = -1;
let baselineAt = 0;
// raceWindow bounds, for a page without hotserve-page, how long after the
// baseline's fetch began an edit may have been saved before it and reached
// the tab after it: the watcher's longest delay (2 s) and some.
const raceWindow = 3000;
// morphing chains the baseline's fetch and the morphs, so that an edit
// waits for the baseline, and a second edit for the first.
let morphing = Promise.resolve();

// Refusal is a reason not to morph: the page reloads, saying why.
class Refusal extends Error {}

// fetchBaseline fetches the page the live document was made from, once
// the tab is up to date with epoch, so that the first edit has something
// to compare with.
function fetchBaseline(epoch) {
  if (baselineEpoch >= 0) return;
  baselineEpoch = epoch;
  baselineAt = performance.now();
  const made = madeFrom();
  const got = made ? fetchServed(made) : fetchPage();
  morphing = morphing
    .then(() => got)
    .then(
      (doc) => {
        baseline = doc;
        baselineExact = !!made;
      },
      () => {},
    );
}

// madeFrom is the hash of the page this document was made from, as its
// response named it (Server-Timing: hotserve-page;desc="HASH"), or "".
function madeFrom() {
  try {
    const nav = performance.getEntriesByType("navigation")[0];
    const t = nav && nav.serverTiming.find((e) => e.name === "hotserve-page");
    return (t && t.description) || "";
  } catch {
    return "";
  }
}

// fetchServed fetches the page served as hash, without the client. It
// fails when the server no longer holds it (or restarted): the first morph
// then compares with the live document.
async function fetchServed(hash) {
  const r = await fetch("/__hotserve/page?v=" + encodeURIComponent(hash), { cache: "no-store", headers: { "X-Hotserve-Token": token() } });
  if (!r.ok) throw new Error("the page served is gone: " + r.status);
  return new DOMParser().parseFromString(await r.text(), "text/html");
}

// morphPage applies msg (a live-reload that offers a morph), or reloads
// when a morph could not be faithful, and acknowledges what it did.
function morphPage(msg) {
  const start = performance.now();
  morphing = morphing
    .then(() => morphOnce(msg, start))
    .catch((err) => {
      const why = err instanceof Refusal ? err.message : "morph failed: " + err;
      reload(why, msg.epoch, why);
    });
}

async function morphOnce(msg, start) {
  if (unloading) return;
  if (asksForReload(document)) throw new Refusal("the page asks for reloads");
  if (fetchedByPage(msg.paths || [])) throw new Refusal("a file the page fetched changed");
  const doc = await fetchPage();
  if (asksForReload(doc)) throw new Refusal("the page asks for reloads");
  const old = baselineFor(doc, msg);
  if (scriptsOf(doc) !== scriptsOf(old || document)) throw new Refusal("script changed");
  const t = performance.now();
  const waits = morphDocument(old, doc);
  // The live document is now made from doc, whatever raced it.
  baseline = doc;
  baselineExact = true;
  state.morphMS = performance.now() - t;
  const assets = (msg.paths || []).filter((p) => !/\.html?$/i.test(p));
  const css = assets.filter((p) => /\.css$/i.test(p));
  const images = assets.filter((p) => !/\.css$/i.test(p));
  if (css.length) waits.push(...updateStyles(css).waits);
  if (images.length) waits.push(...updateImages(images));
  console.info("[hotserve] morphed " + (msg.paths || []).join(", ") + " in " + state.morphMS.toFixed(1) + " ms");
  await Promise.all(waits.map(within));
  ack(msg.epoch, "morphed", performance.now() - start);
}

// fetchPage fetches this page's URL as the server now answers it. A
// fetch is no navigation, so hotserve serves it without the client; the
// header says it stands for one, so that an app's route gets the SPA
// fallback as the address bar does, not a 404.
async function fetchPage() {
  const r = await fetch(location.href, { cache: "no-store", credentials: "same-origin", headers: { Accept: "text/html", "X-Hotserve-Page": "1" } });
  if (!r.ok) throw new Refusal("the page answered " + r.status);
  if (!/^text\/html|xhtml/i.test(r.headers.get("Content-Type") || "")) throw new Refusal("the page is not HTML");
  if (r.redirected) throw new Refusal("the page redirects");
  return new DOMParser().parseFromString(await r.text(), "text/html");
}

// baselineFor returns what the live document was made from, or null to
// compare with the live document itself. Only a baseline fetched from the
// page's URL (no hotserve-page) can be wrong: one equal to the new page may
// have been fetched after the edit was saved but before its message came
// (the page's name need not be the file's: a link, a fallback, a backend),
// so for the first update since, within raceWindow, the live document is
// the safer comparison.
function baselineFor(doc, msg) {
  if (!baseline || baselineExact) return baseline;
  const raced = msg.epoch === baselineEpoch + 1 && performance.now() - baselineAt < raceWindow;
  return raced && baseline.documentElement.isEqualNode(doc.documentElement) ? null : baseline;
}

function asksForReload(doc) {
  const meta = doc.querySelector('meta[name="hotserve" i]');
  return !!meta && /\breload\b/i.test(meta.getAttribute("content") || "");
}

// fetchedByPage reports whether the page's own script fetched one of
// paths (a fragment it inserted), which only a reload fetches again.
function fetchedByPage(paths) {
  const wanted = new Set(paths);
  return performance.getEntriesByType("resource").some((e) => {
    if (e.initiatorType !== "fetch" && e.initiatorType !== "xmlhttprequest") return false;
    const url = new URL(e.name);
    return url.origin === location.origin && url.pathname !== location.pathname && wanted.has(decodedPath(url));
  });
}

// scriptsOf sums up every <script> of doc but hotserve's own: any change,
// addition or removal means the page's JavaScript state would be wrong.
function scriptsOf(doc) {
  return [...doc.querySelectorAll("script")]
    .filter((s) => !isHotserveNode(s))
    .map((s) => s.outerHTML)
    .join("\n");
}

// isHotserveNode reports whether node is hotserve's: the client's script, the
// badge or the overlay. The morph leaves them where they are.
function isHotserveNode(node) {
  if (node.nodeType !== Node.ELEMENT_NODE) return false;
  if (node.localName.startsWith("hotserve-")) return true;
  if (node.localName !== "script" || !node.getAttribute("src")) return false;
  try {
    return new URL(node.getAttribute("src"), location.href).pathname === "/__hotserve/client.js";
  } catch {
    return false;
  }
}

// morphDocument morphs the live document into doc and returns what to
// wait for before the result is painted (stylesheets loading). It keeps
// the focus, the selection and the scroll position of every element.
function morphDocument(old, doc) {
  const kept = keepView();
  const waits = [];
  morphNode(document.documentElement, old ? old.documentElement : null, doc.documentElement, waits);
  kept();
  return waits;
}

// scrolledElements holds the elements the user (or the page) ever scrolled, so
// that a morph need not read every element's scroll position, which
// would lay the page out.
const scrolledElements = new Set();
addEventListener("scroll", (ev) => ev.target instanceof Element && scrolledElements.add(ev.target), { capture: true, passive: true });

// keepView notes the focus, the selection in it and every scroll
// position, and returns a function that puts back whatever the morph
// changed of them.
function keepView() {
  const active = document.activeElement;
  let sel = null;
  try {
    if (active && typeof active.selectionStart === "number") sel = [active.selectionStart, active.selectionEnd, active.selectionDirection];
  } catch {
    // an input type without a selection
  }
  const at = [];
  for (const el of scrolledElements) {
    if (!el.isConnected) scrolledElements.delete(el);
    else at.push([el, el.scrollTop, el.scrollLeft]);
  }
  const [x, y] = [scrollX, scrollY];
  return () => {
    if (active && active !== document.activeElement && active.isConnected) {
      active.focus({ preventScroll: true });
      if (sel) active.setSelectionRange(...sel);
    }
    for (const [el, top, left] of at) {
      if (el.isConnected && (el.scrollTop !== top || el.scrollLeft !== left)) el.scrollTo(left, top);
    }
    // Reading the page's scroll lays it out: only when there is one.
    if ((x || y) && (scrollX !== x || scrollY !== y)) scrollTo(x, y);
  };
}

// morphNode makes live, which was made from old (null: unknown), what neu
// is, touching only what differs between old and neu.
function morphNode(live, old, neu, waits) {
  if (old && old.isEqualNode(neu)) return;
  if (live.nodeType !== Node.ELEMENT_NODE) {
    if (live.data !== neu.data) live.data = neu.data;
    return;
  }
  morphAttributes(live, old, neu);
  morphState(live, old, neu);
  if (live.localName === "template") {
    if (live.innerHTML !== neu.innerHTML) live.content.replaceChildren(document.importNode(neu.content, true));
  } else if (live.localName !== "textarea") {
    morphChildren(live, old, neu, waits);
  }
}

// morphAttributes sets the attributes neu changed since old, and removes
// those it dropped; the rest are the page's (or the user's) to keep.
function morphAttributes(live, old, neu) {
  for (const a of neu.attributes) {
    if (old && old.getAttributeNS(a.namespaceURI, a.localName) === a.value) continue;
    if (live.getAttributeNS(a.namespaceURI, a.localName) !== a.value) live.setAttributeNS(a.namespaceURI, a.name, a.value);
  }
  for (const a of [...live.attributes]) {
    if (neu.hasAttributeNS(a.namespaceURI, a.localName)) continue;
    // Without a baseline, an open <details> or <dialog> is the user's.
    if (old ? !old.hasAttributeNS(a.namespaceURI, a.localName) : a.name === "open") continue;
    if (a.name === "open" && live.localName === "dialog") live.close();
    else live.removeAttributeNS(a.namespaceURI, a.localName);
  }
}

// morphState sets what the user may have changed (a value typed, a box
// checked, an option chosen) only where the edit changed its attribute.
function morphState(live, old, neu) {
  const changed = (name) => old && old.getAttribute(name) !== neu.getAttribute(name);
  switch (live.localName) {
    case "input":
      if (live.type !== "file" && changed("value")) live.value = neu.getAttribute("value") || "";
      if (changed("checked")) live.checked = neu.hasAttribute("checked");
      break;
    case "option":
      if (changed("selected")) live.selected = neu.hasAttribute("selected");
      break;
    case "textarea":
      if (live.defaultValue !== neu.defaultValue) live.defaultValue = neu.defaultValue;
      if (old && old.defaultValue !== neu.defaultValue) live.value = neu.defaultValue;
      break;
  }
}

// morphChildren morphs the children of live into those of neu: each new
// child is paired with the live child made from the same old child, and
// what has no pair is inserted; live children made from an old child that
// the edit removed go, and children the page's script added stay. Nodes
// are moved only where the order changed.
function morphChildren(live, old, neu, waits) {
  const news = morphKids(neu);
  const lives = morphKids(live);
  let toLive;
  let fromOld = new Map();
  let gone;
  if (old) {
    const toOld = pairNodes(news, morphKids(old), true);
    const oldToLive = pairNodes(morphKids(old), lives, false);
    toLive = new Map();
    for (const [n, o] of toOld) {
      const l = oldToLive.get(o);
      if (l) {
        toLive.set(n, l);
        fromOld.set(l, o);
      }
    }
    const taken = new Set(toLive.values());
    gone = [...oldToLive.values()].filter((l) => !taken.has(l));
  } else {
    toLive = pairNodes(news, lives, true);
    const taken = new Set(toLive.values());
    gone = lives.filter((l) => !taken.has(l));
  }
  const sheets = [];
  const late = [];
  for (const l of gone) {
    if (isStylesheetLink(l)) late.push(l);
    else l.remove();
  }
  const targets = new Set(toLive.values());
  let cursor = live.firstChild;
  for (const n of news) {
    let l = toLive.get(n);
    if (l) morphNode(l, fromOld.get(l) || null, n, waits);
    else {
      l = document.importNode(n, true);
      if (isStylesheetLink(l)) sheets.push(sheetLoaded(l));
    }
    while (cursor && cursor !== l && !targets.has(cursor)) cursor = cursor.nextSibling;
    if (cursor === l) cursor = cursor.nextSibling;
    else live.insertBefore(l, cursor);
  }
  // A stylesheet that goes stays until those that come have loaded, so
  // the page never shows unstyled content.
  if (late.length) waits.push(Promise.all(sheets.map(within)).then(() => late.forEach((l) => l.remove())));
  else waits.push(...sheets);
}

// morphKids are the child nodes of node that take part in a morph.
function morphKids(node) {
  return [...node.childNodes].filter((n) => !isHotserveNode(n));
}

function isStylesheetLink(n) {
  return n.localName === "link" && /\bstylesheet\b/i.test(n.getAttribute("rel") || "");
}

function sheetLoaded(link) {
  return new Promise((resolve) => {
    link.addEventListener("load", resolve, { once: true });
    link.addEventListener("error", resolve, { once: true });
  });
}

// pairLookahead is how far pairNodes looks for an equal node before it pairs
// unequal ones: an inserted or removed element then does not shift every
// sibling after it into its neighbour.
const pairLookahead = 8;

// pairNodes pairs nodes of from with nodes of to, keeping their order: an
// element by its id, else the next node of the same kind (a stylesheet
// link by its href). With exact, an equal node near by wins, and a node
// equal to a later one of from is left for it.
function pairNodes(from, to, exact) {
  const out = new Map();
  const taken = new Set();
  // Ids repeated within a page pair in their order.
  const byId = new Map();
  for (const m of to) {
    if (m.nodeType !== Node.ELEMENT_NODE || !m.id) continue;
    if (!byId.has(m.id)) byId.set(m.id, []);
    byId.get(m.id).push(m);
  }
  for (const n of from) {
    const same = n.nodeType === Node.ELEMENT_NODE && n.id ? byId.get(n.id) : undefined;
    const m = same && same.shift();
    if (m && m.localName === n.localName) {
      out.set(n, m);
      taken.add(m);
    }
  }
  const rest = from.filter((n) => !out.has(n));
  let i = 0;
  for (let k = 0; k < rest.length; k++) {
    const n = rest[k];
    const candidates = [];
    for (let j = i; j < to.length && candidates.length < pairLookahead; j++) {
      if (!taken.has(to[j]) && sameKind(n, to[j])) candidates.push(j);
    }
    if (!candidates.length) continue;
    let j = candidates[0];
    if (exact) {
      const equal = candidates.find((c) => to[c].isEqualNode(n));
      if (equal !== undefined) j = equal;
      else if (rest.slice(k + 1, k + 1 + pairLookahead).some((later) => to[j].isEqualNode(later))) continue;
    }
    out.set(n, to[j]);
    taken.add(to[j]);
    i = j + 1;
  }
  return out;
}

// sameKind reports whether m can be morphed into n: the same node type,
// the same tag, not two different ids, and a stylesheet link only into
// one of the same href (a new one is swapped in, as styles.js does).
function sameKind(n, m) {
  if (n.nodeType !== m.nodeType) return false;
  if (n.nodeType !== Node.ELEMENT_NODE) return true;
  if (n.localName !== m.localName || n.namespaceURI !== m.namespaceURI) return false;
  if (n.id && m.id && n.id !== m.id) return false;
  if (isStylesheetLink(n) || isStylesheetLink(m)) return isStylesheetLink(n) && isStylesheetLink(m) && n.getAttribute("href") === m.getAttribute("href");
  return true;
}
