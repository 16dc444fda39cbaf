package esm

import (
	"fmt"
	"strings"
	"testing"
)

// imp is an expected import: the specifier, and "dynamic", "escaped" or a
// type such as "type=json" as flags.
type imp struct {
	spec  string
	flags string
}

func (i imp) String() string { return fmt.Sprintf("%q %s", i.spec, i.flags) }

func describe(src []byte, got []Import) []string {
	var out []string
	for _, g := range got {
		var flags []string
		if g.Dynamic {
			flags = append(flags, "dynamic")
		}
		if g.Escaped {
			flags = append(flags, "escaped")
		}
		if g.Type != "" {
			flags = append(flags, "type="+g.Type)
		}
		out = append(out, imp{g.Spec, strings.Join(flags, " ")}.String())
	}
	return out
}

// check scans src and compares what it finds with want, and that each
// range holds the specifier as written.
func check(t *testing.T, src string, want ...imp) {
	t.Helper()
	got := Scan([]byte(src)).Imports
	for _, g := range got {
		if g.Start < 0 || g.End > len(src) || g.Start > g.End {
			t.Fatalf("range [%d:%d] out of bounds in %q", g.Start, g.End, src)
		}
		if src[g.Start:g.End] != g.Spec {
			t.Errorf("src[%d:%d] = %q, Spec = %q", g.Start, g.End, src[g.Start:g.End], g.Spec)
		}
		if q := src[g.Start-1]; q != '"' && q != '\'' && q != '`' {
			t.Errorf("%q at %d does not follow a quote", g.Spec, g.Start)
		}
	}
	var ws []string
	for _, w := range want {
		ws = append(ws, w.String())
	}
	have := describe([]byte(src), got)
	if strings.Join(have, "\n") != strings.Join(ws, "\n") {
		t.Errorf("in %q\nhave:\n  %s\nwant:\n  %s", src, strings.Join(have, "\n  "), strings.Join(ws, "\n  "))
	}
}

type scanCase struct {
	name string
	src  string
	want []imp
}

var staticCases = []scanCase{
	{"default", `import x from "./a.js"`, []imp{{"./a.js", ""}}},
	{"named with alias, single quotes", `import {a as b, c} from './a.js'`, []imp{{"./a.js", ""}}},
	{"namespace", `import * as ns from "./a.js";`, []imp{{"./a.js", ""}}},
	{"default and named", `import x, {y} from "./a.js"`, []imp{{"./a.js", ""}}},
	{"default and namespace", `import x, * as y from "./a.js"`, []imp{{"./a.js", ""}}},
	{"side effect", `import "./a.css.js"; import './b.js'`, []imp{{"./a.css.js", ""}, {"./b.js", ""}}},
	{"string names", `import {"a-b" as c, default as d} from "./a.js"`, []imp{{"./a.js", ""}}},
	{"json attribute", `import x from "./a.json" with { type: "json" }`, []imp{{"./a.json", "type=json"}}},
	{"css attribute, quoted key", `import sheet from './x.css' with {'type': 'css'};`, []imp{{"./x.css", "type=css"}}},
	{"older assert", `import sheet from "./x.css" assert {type: "css"}`, []imp{{"./x.css", "type=css"}}},
	{"attributes, other keys and trailing comma", `import x from "./a" with { foo: "bar", type: "json", }`, []imp{{"./a", "type=json"}}},
	{"side effect with attribute", `import "./a.json" with {type:"json"}`, []imp{{"./a.json", "type=json"}}},
	{"defer", `import defer * as x from "./heavy.js"`, []imp{{"./heavy.js", ""}}},
	{"source", `import source x from "./a.wasm"`, []imp{{"./a.wasm", ""}}},
	{"default named source", `import source from "./a.js"`, []imp{{"./a.js", ""}}},
	{"default named from", `import from from "./a.js"`, []imp{{"./a.js", ""}}},
	{"bare specifier", `import { html } from "lit"`, []imp{{"lit", ""}}},
	{"minified", `import{a as b}from"./c.js";import"./d.js";import*as e from"./f.js"`, []imp{{"./c.js", ""}, {"./d.js", ""}, {"./f.js", ""}}},
	{"multi-line", "import {\n  a,\n  b as c,\n} from\n  \"./a.js\";\n", []imp{{"./a.js", ""}}},
	{"comments between tokens", "import /* x */ {a} // y\n from /* \"no\" */ \"./a.js\"", []imp{{"./a.js", ""}}},
	{"comment with quote in clause", "import x /* ' */ from \"./a.js\"", []imp{{"./a.js", ""}}},
	{"export star", `export * from "./a.js"`, []imp{{"./a.js", ""}}},
	{"export star as", `export * as n from "./a.js"`, []imp{{"./a.js", ""}}},
	{"export star as string", `export * as "a b" from "./a.js"`, []imp{{"./a.js", ""}}},
	{"export named from", `export {a, b as c} from "./a.js"`, []imp{{"./a.js", ""}}},
	{"export named from, minified", `export{a as b}from"./a.js";export*from"./b.js"`, []imp{{"./a.js", ""}, {"./b.js", ""}}},
	{"export from with attribute", `export {default as d} from "./a.json" with {type: "json"}`, []imp{{"./a.json", "type=json"}}},
	{"export list is not an import", `export {a}; export {b as "c"}`, nil},
	{"export const string is not an import", `export const x = "./a.js"; export default "./b.js"`, nil},
	{"export let from", `export let from = "./a.js"`, nil},
	{"escaped", `import x from "./\u0061.js"`, []imp{{`./\u0061.js`, "escaped"}}},
	{"line continuation", "import x from './a\\\n.js'", []imp{{"./a\\\n.js", "escaped"}}},
	{"escaped quote", `import x from "./a\".js"`, []imp{{`./a\".js`, "escaped"}}},
	{"empty", `import ""`, []imp{{"", ""}}},
	{"unterminated string is not an import", "import x from \"./a.js\nimport y from \"./b.js\"", []imp{{"./b.js", ""}}},
	{"hashbang", "#!/usr/bin/env node \"x\" import('no')\nimport './a.js'", []imp{{"./a.js", ""}}},
	{"byte-order mark", "\uFEFFimport './a.js'", []imp{{"./a.js", ""}}},
	{"byte-order mark and hashbang", "\uFEFF#!node\nimport './a.js'", []imp{{"./a.js", ""}}},
	{"hashbang only at the start", "x\n#!/bin\nimport './a.js'", []imp{{"./a.js", ""}}},
	{"no from", `import x "./a.js"`, nil},
	{"assignment after import word", `import = "./a.js"`, nil},
}

var dynamicCases = []scanCase{
	{"double quotes", `import("./a.js")`, []imp{{"./a.js", "dynamic"}}},
	{"single quotes and spaces", `import ( './a.js' ) ;`, []imp{{"./a.js", "dynamic"}}},
	{"options with type", `import('./a.json', { with: { type: "json" } })`, []imp{{"./a.json", "dynamic type=json"}}},
	{"options with assert and trailing commas", `import("./a.css", { assert: { type: 'css', }, },)`, []imp{{"./a.css", "dynamic type=css"}}},
	{"options computed", `import("./a.json", opts)`, []imp{{"./a.json", "dynamic"}}},
	{"options not simple", `import("./a.json", { with: { type: t } })`, []imp{{"./a.json", "dynamic"}}},
	{"template", "import(`./a.js`)", []imp{{"./a.js", "dynamic"}}},
	{"template with substitution", "import(`./${a}.js`)", nil},
	{"await", `const m = await import("./a.js")`, []imp{{"./a.js", "dynamic"}}},
	{"export default", `export default import("./a.js")`, []imp{{"./a.js", "dynamic"}}},
	{"name", `import(name)`, nil},
	{"concatenation", `import("./a" + b)`, nil},
	{"concatenation, then one", `import("./a" + b); import("./c.js")`, []imp{{"./c.js", "dynamic"}}},
	{"comments inside", `import(/* webpackChunkName: "x" */ "./a.js" /* y */)`, []imp{{"./a.js", "dynamic"}}},
	{"nested", `import(import("./a.js") && "./b")`, []imp{{"./a.js", "dynamic"}}},
	{"in a function", `function f() { return import('./a.js').then(m => m.default) }`, []imp{{"./a.js", "dynamic"}}},
	{"in a template substitution", "`${import('./a.js')}`", []imp{{"./a.js", "dynamic"}}},
	{"in a template substitution with braces", "`${ {a: import('./a.js')} }` + import('./b.js')", []imp{{"./a.js", "dynamic"}, {"./b.js", "dynamic"}}},
	{"source phase", `import.source("./a.wasm")`, []imp{{"./a.wasm", "dynamic"}}},
	{"defer phase", `import.defer("./a.js")`, []imp{{"./a.js", "dynamic"}}},
	{"escaped", `import("./a\x2ejs")`, []imp{{`./a\x2ejs`, "dynamic escaped"}}},
	{"spread", `[...import("./a.js")]`, []imp{{"./a.js", "dynamic"}}},
	{"unclosed", `import("./a.js"`, nil},
	{"escaped template", "import(`./a\\`.js`)", []imp{{"./a\\`.js", "dynamic escaped"}}},
	{"after an arrow", `const load = () => import("./a.js")`, []imp{{"./a.js", "dynamic"}}},
}

var notImportCases = []scanCase{
	{"import.meta", `const u = import.meta.url; import.meta`, nil},
	{"import.meta.hot.accept", `if (import.meta.hot) import.meta.hot.accept("./dep.js", () => {}); import("./a.js")`, []imp{{"./a.js", "dynamic"}}},
	{"method", `x.import("./a.js")`, nil},
	{"property", `obj.import; obj.export`, nil},
	{"optional call", `foo?.import("./a.js")`, nil},
	{"property across a line", "x.\n  import('./a.js')", nil},
	{"member across a comment", "x. /* c */ import('./a.js')", nil},
	{"object key", `const o = { import: "./a.js", export: "./b.js" }`, nil},
	{"class method", `class A { import(x) { return "./a.js" } }`, nil},
	{"word containing import", `reimport("./a.js"); imports("./b.js"); $import("./c")`, nil},
	{"line comment", "// import('./a.js')\n", nil},
	{"block comment", "/* import x from './a.js' */", nil},
	{"double quoted string", `"import('./a.js')"`, nil},
	{"single quoted string with escape", `'it\'s import("./a.js")'`, nil},
	{"template", "`import('./a.js')`", nil},
	{"template with nested substitution", "`${ `${ {a: '}'} }` /* ` */ } import('./a.js')`", nil},
	{"template substitution holding a string with a backtick", "`${ '`' } import('./a.js')`", nil},
	{"regular expression", `const r = /import("x")/g`, nil},
	{"regular expression with quote in class", `x = /[/"']/; import("./a.js")`, []imp{{"./a.js", "dynamic"}}},
	{"regular expression with escaped slash", `x = /\//; import("./a.js")`, []imp{{"./a.js", "dynamic"}}},
	{"regular expression after return", `function f(){ return /'/ } import("./a.js")`, []imp{{"./a.js", "dynamic"}}},
	{"regular expression after typeof", `typeof /"/; import("./a.js")`, []imp{{"./a.js", "dynamic"}}},
	{"division", `a = b / 2; c = d / 3; import("./a.js")`, []imp{{"./a.js", "dynamic"}}},
	{"division after paren", `a = (b) / 2 / "x"; import("./a.js")`, []imp{{"./a.js", "dynamic"}}},
	{"division after bracket", `a = b[1] / 2 + '/'; import("./a.js")`, []imp{{"./a.js", "dynamic"}}},
	{"division after postfix", `a++ / 2; b-- / "'"; import("./a.js")`, []imp{{"./a.js", "dynamic"}}},
	{"division after a property named like a keyword", `a = x.return / 2 / "'"; import("./a.js")`, []imp{{"./a.js", "dynamic"}}},
	{"division after an object literal", `a = {b: 1} / 2 / "'"; import("./a.js")`, []imp{{"./a.js", "dynamic"}}},
	{"regular expression after a block", "if (a) { b() }\n/'/.test(c); import('./a.js')", []imp{{"./a.js", "dynamic"}}},
	{"regular expression after if condition", "if (a) /'/.test(b); import('./a.js')", []imp{{"./a.js", "dynamic"}}},
	{"regular expression after a function declaration", "function f() {}\n/'/.test(c); import('./a.js')", []imp{{"./a.js", "dynamic"}}},
	{"regular expression after arrow body", "x = () => {}\n/'/.test(c); import('./a.js')", []imp{{"./a.js", "dynamic"}}},
	{"regular expression in a case block", "switch (a) { case 1: { } /'/.test(b) } import('./a.js')", []imp{{"./a.js", "dynamic"}}},
	{"division after a template", "x = `a` / 2 / \"'\"; import('./a.js')", []imp{{"./a.js", "dynamic"}}},
	{"division after a number", "x = 1.5e+3 / 2 / \"'\"; y = 0x1f / 2 / \"'\"; import('./a.js')", []imp{{"./a.js", "dynamic"}}},
	{"division after regular expression", `x = /a/g / 2 / "'"; import("./a.js")`, []imp{{"./a.js", "dynamic"}}},
	{"optional chaining is not a ternary", `a?.b / 2 / "'"; x = a?.5:1; import("./a.js")`, []imp{{"./a.js", "dynamic"}}},
	{"regular expression after unicode space", "return\u00a0/'/; import('./a.js')", []imp{{"./a.js", "dynamic"}}},
	{"line comment ends at U+2028", "// x\u2028import('./a.js')", []imp{{"./a.js", "dynamic"}}},
	{"unclosed block comment", "import('./a.js') /* import('./b.js')", []imp{{"./a.js", "dynamic"}}},
	{"unclosed template", "import('./a.js') ` import('./b.js')", []imp{{"./a.js", "dynamic"}}},
	{"regular expression after export default", "export default /'/; import('./a.js')", []imp{{"./a.js", "dynamic"}}},
	{"regular expression after a class body", "class A { m() { return 1 } }\n/'/.test(b); import('./a.js')", []imp{{"./a.js", "dynamic"}}},
	{"regular expression after a declaration", "import x from './a.js'\n/'/.test(b); import('./b.js')", []imp{{"./a.js", ""}, {"./b.js", "dynamic"}}},
	{"regular expression in a ternary", "x = a ? /'/ : /\"/; import('./a.js')", []imp{{"./a.js", "dynamic"}}},
	{"keyword as a property key", "x = { return: 1, if: 2 } / 2 / \"'\"; import('./a.js')", []imp{{"./a.js", "dynamic"}}},
	{"stray closers", "}}) ]) import('./a.js')", []imp{{"./a.js", "dynamic"}}},
}

func runCases(t *testing.T, cases []scanCase) {
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { check(t, c.src, c.want...) })
	}
}

func TestScanStatic(t *testing.T)    { runCases(t, staticCases) }
func TestScanDynamic(t *testing.T)   { runCases(t, dynamicCases) }
func TestScanNotImport(t *testing.T) { runCases(t, notImportCases) }
