// The page's entry module. It accepts no update, so editing it reloads.
import { mount } from "./counter.js";

mount(document.getElementById("counter"));
