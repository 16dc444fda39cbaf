// In-place updates: stylesheets and images are refreshed without a reload.

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
  const direct = links.filter((l) => wanted.has(decodedPath(l.href)));
  const imports = importRules((rule) => wanted.has(decodedPath(ruleURL(rule))));
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
    if (url.origin !== location.origin || !wanted.has(decodedPath(url))) return u;
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

// decodedPath is the path of url as the server names files, decoded
// ("/my app/é.css"), where the page's URLs have it encoded
// ("/my%20app/%C3%A9.css"); as it is when it does not decode.
function decodedPath(url) {
  const path = new URL(url, location.origin).pathname;
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}
