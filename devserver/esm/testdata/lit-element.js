#!/usr/bin/env node
// A Lit component as people write it, with everything a lexer can trip on.
import { LitElement, html, css } from 'lit';
import { customElement, property } from "lit/decorators.js";
import sheet from './counter.css' with { type: 'css' };
import config from "./config.json" with { type: "json" };
import * as utils from './utils.js';
export { formatCount } from './format.js';
export * from "./types.js";

/* import { nope } from './commented.js'; */
const re = /^import\s+["'](.*?)["']/gm;
const path = `./locale/${navigator.language}.js`;
const ratio = window.innerWidth / 2 / (window.devicePixelRatio || 1);

export class Counter extends LitElement {
  static styles = [sheet, css`
    :host { display: block; }
    button { font: inherit; } /* "a" */
  `];

  static properties = { count: { type: Number } };

  constructor() {
    super();
    this.count = config.start ?? 0;
  }

  render() {
    return html`
      <button @click=${() => this.count++}>
        ${this.count > 0 ? html`<b>${utils.format(this.count, { unit: "'" })}</b>` : "none"}
      </button>
      <p>${"import('./in-string.js')"}</p>
    `;
  }

  async loadLocale() {
    const { messages } = await import(path);
    const fallback = await import('./locale/en.js');
    if (/[/"']/.test(messages)) return fallback;
    return messages.import ? messages : { import: fallback };
  }
}
customElements.define('hs-counter', Counter);

if (import.meta.hot) {
  import.meta.hot.accept("./format.js", (m) => m && console.log(m));
  import.meta.hot.dispose((data) => { data.count = 1; });
}
export default import("./lazy.js");
