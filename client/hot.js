// Hot module replacement: import.meta.hot for the page's ES modules, with
// the names and meanings of Vite's (README: "Hot module replacement").
//
// The server starts every module that mentions import.meta.hot with
// `import.meta.hot=globalThis.__hotserve?.hot?.(import.meta);`, so each
// evaluation of a module asks hotContext for its context. A module is
// known by its URL path, decoded as the server names it (hotPath): a new
// version (PATH?t=EPOCH) replaces what the old one registered, and finds
// the old one's data.

// hotModules holds, by URL path, what the version of each module that ran
// last registered: accept callbacks, its dispose and prune handlers (one
// each, the last registered, as Vite keeps them), listeners.
const hotModules = new Map();
// hotData holds each module's data, one object across all its versions.
const hotData = new Map();
// hotQueue applies the updates one at a time, in the order they came.
let hotQueue = Promise.resolve();
// hotInvalidated collects, while an update runs, the modules that called
// invalidate() (path → message), whose importers the walk goes on to.
let hotInvalidated = null;
// hotSendNoted says whether the page has been told, once, that
// import.meta.hot.send reaches no one here.
let hotSendNoted = false;

// hotContext is import.meta.hot for a module being evaluated.
function hotContext(meta) {
  const path = decodedPath(meta.url);
  if (!hotData.has(path)) hotData.set(path, {});
  const rec = { accepts: [], dispose: null, prune: null, on: new Map() };
  hotModules.set(path, rec);
  // A dependency is named as an import would name it: relative, absolute,
  // or a bare specifier the page's import map resolves.
  const resolve = (dep) => {
    let url = dep;
    try {
      if (meta.resolve) url = meta.resolve(dep);
    } catch {
      // not a specifier the import map knows: take it as a URL
    }
    return decodedPath(new URL(url, meta.url));
  };
  const accept = (deps, fn) => void rec.accepts.push({ deps, fn });
  return {
    get data() {
      return hotData.get(path);
    },
    accept(deps, cb) {
      if (deps === undefined || typeof deps === "function") accept([path], ([mod]) => deps?.(mod));
      else if (typeof deps === "string") accept([resolve(deps)], ([mod]) => cb?.(mod));
      else if (Array.isArray(deps)) accept(deps.map(resolve), (mods) => cb?.(mods));
      else throw new TypeError("import.meta.hot.accept takes nothing, a callback, a path or an array of paths, and a callback");
    },
    // Vite tells the server which exports a module accepts; its client,
    // as this one, takes it as accepting the module itself.
    acceptExports(names, cb) {
      accept([path], ([mod]) => cb?.(mod));
    },
    dispose(cb) {
      rec.dispose = cb;
    },
    prune(cb) {
      rec.prune = cb;
    },
    // Kept by Vite for code written for its older versions: it does nothing.
    decline() {},
    invalidate(message) {
      hotNotify("vite:invalidate", { path, message });
      if (hotInvalidated) hotInvalidated.set(path, message);
      else console.info("[hotserve] " + path + " invalidated itself outside an update; nothing to do");
    },
    on(event, cb) {
      rec.on.set(event, [...(rec.on.get(event) || []), cb]);
    },
    off(event, cb) {
      rec.on.set(event, (rec.on.get(event) || []).filter((f) => f !== cb));
    },
    // Under Vite, a plugin of its server hears this; hotserve has none.
    send(event) {
      if (hotSendNoted) return;
      hotSendNoted = true;
      console.info("[hotserve] import.meta.hot.send(" + JSON.stringify(String(event)) + ") goes nowhere: hotserve's server has no plugins to hear it");
    },
  };
}

// hotNotify calls every listener of event in turn; one that throws is
// reported and does not stop the others.
async function hotNotify(event, payload) {
  const cbs = [...hotModules.values()].flatMap((rec) => rec.on.get(event) || []);
  for (const cb of cbs) {
    try {
      await cb(payload);
    } catch (err) {
      console.error("[hotserve] a " + event + " listener failed:", err);
    }
  }
}

// hotUpdate queues a live-reload with hot behind the updates before it.
// An update that fails where nothing should (the page broke what hotApply
// calls, console.error say) may have left the page half updated: it
// reloads, and the queue goes on.
function hotUpdate(msg) {
  const start = performance.now();
  hotQueue = hotQueue
    .then(() => hotApply(msg, start))
    .catch((err) => {
      const reason = "hot update failed unexpectedly: " + describeValue(err);
      try {
        reload(reason, msg.epoch, reason);
      } catch {
        location.reload(); // the page broke console.info too
      }
    });
}

// hotApply applies one update: it reloads when a changed module has no
// boundary in this page, else replaces the modules at each boundary,
// updates the CSS module scripts, the stylesheets and the images, and
// prunes the modules nothing imports any more; a step that throws leaves
// the page as it is.
async function hotApply(msg, start) {
  if (unloading) return;
  const { modules = [], styles = [], importers = {}, opaque = [], prune = [] } = msg.hot;
  // An older server sends no opaque: every module may accept itself. The
  // server versions anew every module in importers: a module fetched for
  // this update imports them all as PATH?t=EPOCH.
  const graph = { importers, opaque: new Set(opaque), rerun: new Set(Object.keys(importers)), changed: new Set(modules) };
  const walked = { found: new Map(), invalidated: new Set() };
  for (const path of modules) {
    if (!hotWalk(path, graph, walked)) return hotReload(msg, path);
  }
  const boundaries = [...walked.found.values()];
  const updates = [
    ...boundaries.map((b) => ({ type: "js-update", path: b.boundary, acceptedPath: b.accepted, timestamp: msg.epoch })),
    ...styles.map((p) => ({ type: "css-update", path: p, acceptedPath: p, timestamp: msg.epoch })),
  ];
  await hotNotify("vite:beforeUpdate", { type: "update", updates });
  const step = { what: modules[0] || styles[0] };
  try {
    const dead = await hotReplace(boundaries, graph, walked, msg.epoch, step);
    if (dead.path) return hotReload(msg, dead.path, dead.message, dead.reason);
    // The server sends styles only to the tabs whose page imported them,
    // and the page cannot tell which it did (the resource timing buffer
    // holds 250 entries, and a page may clear it): a sheet this tab never
    // imported is fetched for nothing, which is harmless.
    for (const p of styles) {
      step.what = p;
      await hotSheet(p);
    }
    await within(Promise.all(hotLinked(msg.paths || [], modules)));
    if (prune.length) {
      await hotNotify("vite:beforePrune", { type: "prune", paths: prune });
      await hotPrune(prune, step);
    }
  } catch (err) {
    return hotFailed(msg, start, step.what, err);
  } finally {
    hotInvalidated = null;
  }
  await hotNotify("vite:afterUpdate", { type: "update", updates });
  // A module that invalidated itself did not accept; those the walk went
  // on to did.
  const accepted = new Set([...walked.found.values()].map((b) => b.boundary).filter((p) => !walked.invalidated.has(p)));
  for (const p of styles) accepted.add(p);
  console.info("[hotserve] hot-updated " + [...accepted].join(", "));
  ack(msg.epoch, "hot-update", performance.now() - start, undefined, [...accepted]);
}

// hotWalk walks up graph.importers from path to the nearest modules that
// accept it, as Vite does: a module that accepts itself, or an importer
// that accepts the module on the way. It adds each to walked.found as
// {boundary, accepted}. With up, it starts at path's importers (path
// invalidated itself). A module in graph.opaque is never its own boundary,
// nor passes the change on: it imports the module on the way by a
// specifier the server cannot give ?t=, so its new version would run with
// the old one.
// hotWalk is false when a walk reaches a page or a module with no known
// importer: nothing accepts the change.
function hotWalk(path, graph, walked, up = false) {
  const { importers, opaque } = graph;
  const seen = new Set();
  const boundary = (by, accepted) => walked.found.set(by + "\n" + accepted, { boundary: by, accepted });
  const walk = (mod, up) => {
    if (seen.has(mod)) return true; // an import cycle, or a second way up
    seen.add(mod);
    if (!up && !opaque.has(mod) && hotAccepts(mod, mod)) return boundary(mod, mod), true;
    if (opaque.has(mod)) return false; // it cannot pass the change on either
    const ups = importers[mod] || [];
    if (!ups.length) return false;
    for (const by of ups) {
      // A page (never a key) is any page: this tab's under another URL
      // after pushState, only its origin sent as Referer, or another
      // tab's, whose module this page shares. None of them accepts.
      if (!Object.hasOwn(importers, by)) return false;
      if (hotAccepts(by, mod)) boundary(by, mod);
      else if (!walk(by, false)) return false;
    }
    return true;
  };
  return walk(path, up);
}

function hotAccepts(mod, dep) {
  return !!hotModules.get(mod)?.accepts.some((a) => a.deps.includes(dep));
}

// hotBelow lists the modules that importing a new version of top runs
// again: top and those of rerun (versioned anew) that it imports, at any
// depth, parents first. A module that accepted the change itself is among
// them when top imports it: it runs again too, and must be disposed first.
function hotBelow(top, importers, rerun) {
  const out = new Set([top]);
  for (const mod of out) {
    for (const m of rerun) if ((importers[m] || []).includes(mod)) out.add(m);
  }
  return [...out];
}

// hotReplace replaces the modules at each boundary: the dispose handlers of
// the modules it replaces run (each once per update), the accepted module
// is imported again as PATH?t=EPOCH and the callbacks that accept it get
// the new module. A module that invalidates itself sends the walk on to its
// importers (walked.invalidated); where that walk finds no boundary, it
// returns that module and its message (the page reloads).
async function hotReplace(boundaries, graph, walked, epoch, step) {
  const disposed = new Set();
  const invalidated = walked.invalidated;
  hotInvalidated = new Map();
  for (const queue = [...boundaries]; queue.length; ) {
    const { boundary, accepted } = queue.shift();
    step.what = accepted;
    const callbacks = (hotModules.get(boundary)?.accepts || []).filter((a) => a.deps.includes(accepted));
    const below = hotBelow(accepted, graph.importers, graph.rerun).filter((p) => !disposed.has(p));
    // An opaque module run again would get the old version of what it
    // imports by a specifier the server could not give ?t=.
    const opaque = below.find((p) => graph.opaque.has(p));
    if (opaque) return { path: opaque, reason: opaque.replace(/^\//, "") + " would run again with the old version of what it imports" };
    const before = below.map((p) => [p, hotModules.get(p)]);
    for (const p of below) {
      disposed.add(p);
      await hotDispose(p);
    }
    // What the old versions registered goes; a new version that no longer
    // reads import.meta.hot registers nothing, and accepts nothing.
    for (const p of below) hotModules.delete(p);
    let mod;
    try {
      mod = await hotImport(accepted, epoch);
    } catch (err) {
      // The old versions still run the page: keep what they registered,
      // so that the fix is accepted as they would have accepted it.
      for (const [p, rec] of before) if (rec) hotModules.set(p, rec);
      throw err;
    }
    // A module disposed for this import must have run again: having read
    // import.meta.hot, it registers anew (only a changed file may have
    // stopped reading it). One that did not is disposed yet still the
    // page's (the browser had it under the URL it was imported at), and
    // only a reload makes the page whole.
    const stale = before.find(([p, rec]) => rec && !graph.changed.has(p) && !hotModules.has(p));
    if (stale) return { path: stale[0], reason: stale[0].replace(/^\//, "") + " was disposed, but the browser did not run it again" };
    for (const { deps, fn } of callbacks) await fn(deps.map((d) => (d === accepted ? mod : undefined)));
    for (const [path, message] of hotInvalidated) {
      hotInvalidated.delete(path);
      if (invalidated.has(path)) continue;
      invalidated.add(path);
      const known = walked.found.size;
      if (!hotWalk(path, graph, walked, true)) return { path, message };
      queue.push(...[...walked.found.values()].slice(known));
    }
  }
  return {};
}

// hotDispose runs the dispose handler of the module at path, if it has one.
async function hotDispose(path) {
  const fn = hotModules.get(path)?.dispose;
  if (fn) await fn(hotData.get(path));
}

// hotPrune prunes the modules at paths, which nothing imports any more, as
// Vite does: their dispose handlers run, then their prune handlers, and
// what they registered and their data are forgotten, so that a module
// imported again later (the server gives it a new version) starts afresh.
async function hotPrune(paths, step) {
  try {
    for (const p of paths) {
      step.what = p;
      await hotDispose(p);
    }
    for (const p of paths) {
      step.what = p;
      const fn = hotModules.get(p)?.prune;
      if (fn) await fn(hotData.get(p));
    }
  } finally {
    for (const p of paths) {
      hotModules.delete(p);
      hotData.delete(p);
    }
  }
}

// hotImport imports a new version of the module at path, decoded: new URL
// encodes it again.
function hotImport(path, epoch) {
  const url = new URL(path, location.origin);
  url.searchParams.set("t", epoch);
  if (/\.json$/i.test(path)) return import(url.href, { with: { type: "json" } });
  return import(url.href);
}

// hotSheet replaces the rules of the CSSStyleSheet that the CSS module
// script at path gave the page (importing it again returns the same one)
// with the file's new text: no reload, no flash.
async function hotSheet(path) {
  const url = new URL(path, location.origin).href;
  const { default: sheet } = await import(url, { with: { type: "css" } });
  const res = await fetch(url, { cache: "no-store" });
  if (!res.ok) throw new Error(path + ": " + res.status + " " + res.statusText);
  sheet.replaceSync(await res.text());
}

// hotLinked refreshes the stylesheets and images among paths that this
// page uses (not modules), as css-update does, but never every stylesheet
// for want of a match; it returns what to wait for.
function hotLinked(paths, modules) {
  const rest = paths.filter((p) => !modules.includes(p));
  const used = (p) =>
    [...document.querySelectorAll('link[rel~="stylesheet"][href]')].some((l) => sameOrigin(l.href) && decodedPath(l.href) === p) ||
    importRules((rule) => decodedPath(ruleURL(rule)) === p).length > 0;
  const css = rest.filter((p) => /\.css$/i.test(p) && used(p));
  const images = rest.filter((p) => !/\.css$/i.test(p));
  return [...(css.length ? updateStyles(css).waits : []), ...(images.length ? updateImages(images) : [])];
}

// hotReload reloads the page because no module accepts path (or for why),
// telling the listeners first.
async function hotReload(msg, path, message, why) {
  await hotNotify("vite:beforeFullReload", { type: "full-reload", path: "*", triggeredBy: path });
  let reason = why || "no module accepts " + path.replace(/^\//, "");
  if (message) reason += " (invalidated: " + message + ")";
  reload(reason, msg.epoch, reason);
}

// hotFailed reports an update that threw and keeps the page as it is.
async function hotFailed(msg, start, what, err) {
  console.error("[hotserve] hot update of " + what + " failed:", err);
  // The page's own error, as if uncaught: a terminal line with its place,
  // and the runtime overlay, since the page shows nothing of it.
  // A SyntaxError has no stack: it names the module whose import failed.
  const url = new URL(what, location.origin).href;
  reportConsole("error", "uncaught", () => ({ text: describeValue(err), stack: stackOf(err), url }));
  let text = "an error that cannot be described";
  let message = text;
  let stack = "";
  try {
    text = String(err);
    message = String(err?.message ?? text);
    stack = String(err?.stack ?? "");
  } catch {
    // a thrown value whose getters throw: say so much
  }
  await hotNotify("vite:error", { type: "error", err: { message, stack } });
  ack(msg.epoch, "hot-failed", performance.now() - start, text.split("\n")[0]);
}
