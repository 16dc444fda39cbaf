import { h, render } from "https://esm.sh/preact@10.19.2";
import { useState, useEffect } from "https://esm.sh/preact@10.19.2/hooks";
import htm from "https://esm.sh/htm@3.1.1";
import { Header } from "./components/header.js";
import "./polyfills.js";

const html = htm.bind(h);

function App({ items }) {
  const [filter, setFilter] = useState("");
  useEffect(() => {
    const onKey = (e) => e.key === "/" && setFilter("");
    addEventListener("keydown", onKey);
    return () => removeEventListener("keydown", onKey);
  }, []);
  const shown = items.filter((i) => i.name.match(new RegExp(filter, "i")));
  const pages = shown.length / 10 | 0; // 10 per page
  return html`
    <${Header} title="Items (${shown.length})" />
    <ul>${shown.map((i) => html`<li key=${i.id}>${i.name}</li>`)}</ul>
    <p>${pages} pages</p>
  `;
}

const route = location.hash.slice(1) || "home";
import(`./pages/${route}.js`).then((m) => m.mount());
import("./analytics.js").catch(() => {});
render(html`<${App} items=${[]} />`, document.body);
