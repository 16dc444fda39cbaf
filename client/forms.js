// Form values and focus across a reload that hotserve caused: what the
// user typed, checked or chose is kept in sessionStorage just before the
// reload and put back in the fresh page, as its scroll position is.
// Secrets are never written down: passwords, one-time codes, card numbers,
// and neither are hidden or file inputs (the page's, not the user's).

const formsKey = "hotserve:forms:" + location.pathname;
// maxFormBytes caps what is kept, far below sessionStorage's quota; a
// field longer than maxFieldChars is not kept at all.
const maxFormBytes = 64 << 10;
const maxFieldChars = 16 << 10;
// formsTTL is how long after the reload the values are still put back.
const formsTTL = 30000;

// saveForms keeps the fields the user changed and the focus.
function saveForms() {
  const fields = [];
  let size = 0;
  for (const el of document.querySelectorAll("input, textarea, select")) {
    const key = fieldKey(el);
    const v = key && !secretField(el) ? userValue(el) : undefined;
    if (v === undefined) continue;
    size += key.length + JSON.stringify(v).length;
    if (size > maxFormBytes) break;
    fields.push([key, v]);
  }
  const focus = focusState();
  if (!fields.length && !focus) return;
  sessionStorage.setItem(formsKey, JSON.stringify({ at: Date.now(), fields, focus }));
}

// restoreForms puts back what saveForms kept, once the page is parsed.
function restoreForms() {
  let saved;
  try {
    saved = JSON.parse(sessionStorage.getItem(formsKey));
    sessionStorage.removeItem(formsKey);
  } catch {
    return;
  }
  if (!saved || !(Date.now() - saved.at < formsTTL)) return;
  const go = () => {
    const byKey = new Map();
    for (const el of document.querySelectorAll("input, textarea, select")) byKey.set(fieldKey(el), el);
    for (const [key, v] of saved.fields || []) {
      const el = byKey.get(key);
      if (el && !secretField(el)) setUserValue(el, v);
    }
    const f = saved.focus;
    const el = f && byKey.get(f.key);
    if (el) {
      el.focus({ preventScroll: true });
      try {
        if (f.sel) el.setSelectionRange(...f.sel);
      } catch {
        // the field no longer has a selection
      }
    }
  };
  if (document.readyState === "loading") addEventListener("DOMContentLoaded", go, { once: true });
  else go();
}

// fieldKey names el so that the same field is found in the fresh page:
// by its id, else by its form, its name and its place among the fields of
// that name (radio buttons, repeated names).
function fieldKey(el) {
  if (el.id) return "#" + el.id;
  if (!el.name) return "";
  const form = el.form;
  const scope = form ? [...form.elements] : [...document.querySelectorAll("input, textarea, select")].filter((x) => !x.form);
  const same = scope.filter((x) => x.name === el.name && !x.id);
  return (form ? [...document.forms].indexOf(form) : -1) + ":" + el.name + ":" + same.indexOf(el);
}

// secretField reports whether el holds what must never be written down.
function secretField(el) {
  const type = (el.type || "").toLowerCase();
  if (["password", "file", "hidden"].includes(type)) return true;
  return /password|one-time-code|cc-number|cc-csc/i.test(el.getAttribute("autocomplete") || "");
}

// userValue is what the user changed in el, or undefined when el is as
// the page made it.
function userValue(el) {
  const type = (el.type || "").toLowerCase();
  if (["submit", "button", "reset", "image"].includes(type)) return undefined;
  if (type === "checkbox" || type === "radio") return el.checked !== el.defaultChecked ? { checked: el.checked } : undefined;
  if (el.localName === "select") {
    const opts = [...el.options];
    if (opts.every((o) => o.selected === o.defaultSelected)) return undefined;
    return { selected: opts.map((o, i) => (o.selected ? i : -1)).filter((i) => i >= 0) };
  }
  if (el.value === el.defaultValue || el.value.length > maxFieldChars) return undefined;
  return { value: el.value };
}

// setUserValue puts v back into el and tells the page's script, as typing
// would.
function setUserValue(el, v) {
  if ("checked" in v) el.checked = v.checked;
  else if ("selected" in v) [...el.options].forEach((o, i) => (o.selected = v.selected.includes(i)));
  else if ("value" in v) el.value = v.value;
  el.dispatchEvent(new Event("input", { bubbles: true }));
  el.dispatchEvent(new Event("change", { bubbles: true }));
}

// focusState is the focused field and its selection, if a field has the
// focus.
function focusState() {
  const el = document.activeElement;
  if (!el || !["input", "textarea", "select"].includes(el.localName)) return null;
  const key = fieldKey(el);
  if (!key) return null;
  let sel = null;
  try {
    if (typeof el.selectionStart === "number") sel = [el.selectionStart, el.selectionEnd, el.selectionDirection];
  } catch {
    // an input type without a selection
  }
  return { key, sel: secretField(el) ? null : sel };
}
