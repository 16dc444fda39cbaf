// hotserve client: keeps this page in step with the files on disk.
//
// It listens on /__hotserve/ws for the JSON messages described in
// README.md ("Browser protocol"): stylesheets and images are refreshed in
// place, anything else reloads the page (keeping the scroll position), each
// update is acknowledged once painted, and a tab that reconnects reloads
// only if the server says it missed something.
(() => {
  "use strict";

  if (window.__hotserve) return; // injected twice (e.g. a page that includes it itself)
  const state = { server: null, epoch: 0, retry: 0, socket: null, online: false };
  window.__hotserve = state;

  const scrollKey = "hotserve:scroll:" + location.pathname;
  const maxBackoff = 2000;
  // The server's token rides on the injected script's URL; hotserve refuses
  // a WebSocket from a browser page without it, so other sites cannot
  // listen in (SECURITY.md).
  const ownSrc = document.currentScript && document.currentScript.src;

  restoreScroll();
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
    switch (msg.type) {
      case "connected":
        state.retry = 0;
        state.online = true;
        dismissed = false;
        hideBadge();
        if (msg.stale) {
          reload(state.server && state.server !== msg.server ? "hotserve restarted" : "files changed while disconnected");
          return;
        }
        state.server = msg.server;
        state.epoch = msg.epoch || 0; // omitted before the first change
        ackReload();
        break;
      case "live-reload":
        reload(msg.reason || "files changed", msg.epoch);
        break;
      case "css-update":
      case "img-update":
        state.epoch = msg.epoch;
        applyInPlace(msg);
        break;
      case "build-error":
        showOverlay(msg.title || "Build failed", msg.text || "");
        break;
      case "build-ok":
        hideOverlay();
        break;
    }
  }

  // reload reloads the page, keeping its scroll position and, for update
  // epoch, what to acknowledge once the new page has painted.
  function reload(reason, epoch) {
    console.info("[hotserve] reloading: " + reason);
    unloading = true;
    try {
      sessionStorage.setItem(scrollKey, JSON.stringify([scrollX, scrollY]));
      if (epoch) sessionStorage.setItem(ackKey, JSON.stringify({ server: state.server, epoch, at: Date.now() }));
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

  // --- In-place updates: stylesheets and images, without a reload. ---

  // applyInPlace refreshes the stylesheets and images among msg.paths and
  // acknowledges once all of them have loaded and been painted.
  function applyInPlace(msg) {
    const start = performance.now();
    const paths = msg.paths || [];
    const css = paths.filter((p) => /\.css$/i.test(p));
    const images = paths.filter((p) => !/\.css$/i.test(p));
    const did = [];
    const waits = [];
    if (css.length) {
      const r = updateStyles(css);
      did.push(r.did);
      waits.push(...r.waits);
    }
    if (images.length) {
      did.push("images");
      waits.push(...updateImages(images));
    }
    console.info("[hotserve] updated " + paths.join(", "));
    Promise.all(waits.map(within)).then(() => ack(msg.epoch, did.join("+"), performance.now() - start));
  }

  // updateStyles swaps each <link rel=stylesheet> whose URL is one of
  // paths, or that @imports one at any depth, and re-imports each @import
  // in a <style> block that leads to one; when nothing matches, it
  // refreshes every stylesheet rather than reloading. Rules are never
  // inserted into an imported sheet: Chromium can then lose the whole
  // linked sheet.
  function updateStyles(paths) {
    const wanted = new Set(paths);
    const links = [...document.querySelectorAll('link[rel~="stylesheet"][href]')].filter(
      (l) => !leaving.has(l) && sameOrigin(l.href),
    );
    const direct = links.filter((l) => wanted.has(new URL(l.href).pathname));
    const imports = importRules((rule) => wanted.has(ruleURL(rule).pathname));
    const viaLink = new Set();
    const viaStyle = new Set();
    for (let rule of imports) {
      while (rule.parentStyleSheet.ownerRule) rule = rule.parentStyleSheet.ownerRule;
      const owner = rule.parentStyleSheet.ownerNode;
      if (owner instanceof HTMLLinkElement) {
        if (links.includes(owner)) viaLink.add(owner);
      } else viaStyle.add(rule);
    }
    const swapped = new Set([...direct, ...viaLink]);
    if (swapped.size + viaStyle.size === 0) {
      const inStyle = importRules((rule) => rule.parentStyleSheet.ownerNode instanceof HTMLStyleElement);
      return { did: "all-styles", waits: [...links.map(swap), ...inStyle.map(reimport)] };
    }
    return { did: direct.length ? "swapped" : "imports", waits: [...[...swapped].map(swap), ...[...viaStyle].map(reimport)] };
  }

  // leaving holds the links being replaced, which a second update skips.
  const leaving = new WeakSet();

  // swap inserts a cache-busted copy of link right after it, so the cascade
  // keeps its order, and removes the old one only once the new one has
  // loaded (or failed), so the page never shows unstyled content.
  function swap(link) {
    return new Promise((resolve) => {
      const fresh = link.cloneNode();
      fresh.href = bust(link.href);
      leaving.add(link);
      const done = () => {
        link.remove();
        resolve();
      };
      fresh.addEventListener("load", done, { once: true });
      fresh.addEventListener("error", done, { once: true });
      link.after(fresh);
    });
  }

  // importRules returns the @import rules, at any depth of every readable
  // stylesheet, that match.
  function importRules(match) {
    const found = [];
    const walk = (sheet) => {
      let rules;
      try {
        rules = sheet.cssRules;
      } catch {
        return; // another origin's sheet
      }
      for (const rule of rules) {
        if (!(rule instanceof CSSImportRule)) continue;
        if (match(rule)) found.push(rule);
        else if (rule.styleSheet) walk(rule.styleSheet);
      }
    };
    for (const sheet of document.styleSheets) walk(sheet);
    return found.filter((rule) => sameOrigin(ruleURL(rule).href));
  }

  function ruleURL(rule) {
    try {
      return new URL(rule.href, rule.parentStyleSheet.href || document.baseURI);
    } catch {
      return new URL("about:invalid");
    }
  }

  // reimport inserts a cache-busted copy of an @import rule of a <style>
  // block in its place and deletes the old rule once the new sheet has
  // loaded, as swap does for links.
  function reimport(rule) {
    const sheet = rule.parentStyleSheet;
    const at = [...sheet.cssRules].indexOf(rule);
    let text = `@import url("${bust(ruleURL(rule).href)}")`;
    if (rule.layerName !== null && rule.layerName !== undefined) {
      text += rule.layerName ? ` layer(${rule.layerName})` : " layer";
    }
    if (rule.media.mediaText) text += " " + rule.media.mediaText;
    sheet.insertRule(text + ";", at);
    const fresh = sheet.cssRules[at];
    return new Promise((resolve) => {
      const t0 = performance.now();
      const check = () => {
        let loaded = false;
        try {
          loaded = fresh.styleSheet !== null && fresh.styleSheet.cssRules !== null;
        } catch {
          // not readable yet
        }
        if (!loaded && performance.now() - t0 < 5000) return setTimeout(check, 5);
        const i = [...sheet.cssRules].indexOf(rule);
        try {
          if (i >= 0) sheet.deleteRule(i);
        } catch {
          // the sheet went away meanwhile
        }
        resolve();
      };
      check();
    });
  }

  // updateImages points every use of the images at paths to a fresh copy:
  // <img src> and srcset, <picture><source srcset>, inline style url()s,
  // url()s in the rules of readable stylesheets, and the favicon.
  function updateImages(paths) {
    const wanted = new Set(paths);
    const stamp = bust("");
    const fresh = (u, base) => {
      let url;
      try {
        url = new URL(u, base);
      } catch {
        return u;
      }
      if (url.origin !== location.origin || !wanted.has(url.pathname)) return u;
      url.searchParams.set("hotserve", stamp);
      return url.href;
    };
    const cssURLs = (text, base) =>
      text.replace(/url\(\s*(['"]?)([^'")]+)\1\s*\)/g, (all, q, u) => {
        const f = fresh(u, base);
        return f === u ? all : `url("${f}")`;
      });
    const srcset = (value) =>
      value
        .split(",")
        .map((c) => {
          const [u, ...desc] = c.trim().split(/\s+/);
          return [fresh(u, document.baseURI), ...desc].join(" ");
        })
        .join(", ");
    const set = (el, attr, value) => {
      if (el.getAttribute(attr) !== value) el.setAttribute(attr, value);
    };

    const waits = [];
    for (const el of document.querySelectorAll("img, picture source[srcset]")) {
      const before = el.outerHTML;
      if (el.hasAttribute("srcset")) set(el, "srcset", srcset(el.getAttribute("srcset")));
      if (el.hasAttribute("src")) set(el, "src", fresh(el.getAttribute("src"), document.baseURI));
      if (el.outerHTML === before) continue;
      const img = el.tagName === "IMG" ? el : el.parentElement.querySelector("img");
      if (img) waits.push(img.decode().catch(() => {}));
    }
    for (const el of document.querySelectorAll("[style*='url(']")) {
      set(el, "style", cssURLs(el.getAttribute("style"), document.baseURI));
    }
    const walk = (rules, base) => {
      for (const rule of rules) {
        if (rule.styleSheet) walkSheet(rule.styleSheet);
        if (rule.cssRules) walk(rule.cssRules, base);
        const style = rule.style;
        if (!style || rule instanceof CSSFontFaceRule) continue;
        for (let i = 0; i < style.length; i++) {
          const prop = style[i];
          const value = style.getPropertyValue(prop);
          if (!value.includes("url(")) continue;
          const updated = cssURLs(value, base);
          if (updated !== value) style.setProperty(prop, updated, style.getPropertyPriority(prop));
        }
      }
    };
    const walkSheet = (sheet) => {
      try {
        walk(sheet.cssRules, sheet.href || document.baseURI);
      } catch {
        // another origin's sheet
      }
    };
    for (const sheet of document.styleSheets) walkSheet(sheet);
    const icons = document.querySelectorAll('link[rel~="icon"][href]');
    for (const link of icons) set(link, "href", fresh(link.getAttribute("href"), document.baseURI));
    if (!icons.length && wanted.has("/favicon.ico")) {
      const link = document.createElement("link");
      link.rel = "icon";
      link.href = fresh("/favicon.ico", location.href);
      document.head.append(link);
    }
    return waits;
  }

  // bust returns href with a query parameter that is new at every call,
  // so the browser cannot answer it from its memory cache.
  let busts = 0;
  function bust(href) {
    const stamp = Date.now().toString(36) + (++busts).toString(36);
    if (!href) return stamp;
    const url = new URL(href, document.baseURI);
    url.searchParams.set("hotserve", stamp);
    return url.href;
  }

  // within resolves when p does or after 5 s, so one image that never
  // decodes cannot hold back an acknowledgement for ever.
  function within(p) {
    return Promise.race([p, new Promise((resolve) => setTimeout(resolve, 5000))]);
  }

  function sameOrigin(href) {
    try {
      return new URL(href).origin === location.origin;
    } catch {
      return false;
    }
  }

  // --- Acknowledgements: what was applied, and how long it took. ---

  const ackKey = "hotserve:ack";

  // ack tells the server that update epoch has been applied and painted,
  // ms after it arrived.
  function ack(epoch, did, ms) {
    if (!epoch) return;
    const t = performance.now();
    afterPaint(() => {
      const socket = state.socket;
      if (socket && socket.readyState === WebSocket.OPEN) {
        socket.send(JSON.stringify({ type: "applied", epoch, did, ms: ms + performance.now() - t }));
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
    const send = () => ack(pending.epoch, "reloaded", Date.now() - pending.at);
    if (document.readyState === "complete") send();
    else addEventListener("load", send, { once: true });
  }

  // --- Reconnecting: say what this page has seen, show that it waits. ---

  // since returns the WebSocket URL's query beyond the token: the page this
  // tab shows, and the server and epoch it is up to date with, which the
  // page's own response names (Server-Timing) before the first connection.
  function since() {
    let q = "&page=" + encodeURIComponent(location.pathname);
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
})();
