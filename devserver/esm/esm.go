// Package esm finds the import specifiers of an ES module's source, so that
// hotserve can point the imports of a module it serves at the new versions
// of the modules that were hot-updated (README: "Hot module replacement").
//
// It is a lexer, not a parser, in the manner of es-module-lexer: one pass
// over the bytes that knows just enough of JavaScript to skip what cannot
// hold an import — comments, strings, template literals and regular
// expressions — and to read the few forms that can. Telling a regular
// expression from a division needs the previous token, and a `}` that ends
// a block from one that ends an object literal needs the open brackets; see
// scanner. A string or a regular expression read where there is none stops
// at the end of its line; only a backtick or a `/*` read by mistake inside
// a misjudged regular expression can carry a wrong guess further.
//
// Known limits, in code that is rare by hand and that minifiers do not
// emit: `/` right after the `}` of a function or class expression
// (`f = function () {} / 2`) is read as a regular expression; `/` after
// `of` in `for (x of /re/)`, or after the `}` of a block that follows
// `return` and a line break (`return\n{}\n/re/`), is read as a division;
// and a class field named `import` on a line of its own, followed by
// fields named `from` and "s", reads as a declaration of "s".
package esm

// Import is one module specifier written as a string literal in the source.
type Import struct {
	// Spec is the specifier's value ("./counter.js"). A literal holding a
	// backslash escape or a line continuation is reported with Escaped set and
	// Spec as written between the quotes; hotserve leaves those alone.
	Spec    string
	Escaped bool
	// Start and End are the byte offsets of the literal's contents, inside
	// its quotes: src[Start:End] is the text to replace.
	Start, End int
	// Dynamic is set for import("…") (and import.source("…"),
	// import.defer("…")); otherwise the literal follows `import … from`,
	// `import`, or `export … from`.
	Dynamic bool
	// Type is the value of the import attribute `type` as written (`with
	// {type: "json"}`, or the older `assert`): "json", "css", or "" for
	// JavaScript. For import() it is read from a literal options object
	// only; options computed at run time give "".
	Type string
}

// Module is what Scan finds in a module's source.
type Module struct {
	// Imports are the specifiers, in order.
	Imports []Import
	// ReadsHot is set when the code (not a comment or a string) reads
	// import.meta.hot, which only a module can: a classic script that
	// mentions it is not given one.
	ReadsHot bool
}

// Scan returns what the module source src imports and whether it reads
// import.meta.hot. It never fails: text it cannot make sense of yields no
// import, and a specifier computed at run time (import(name)) is not one.
// It reads src once, in time linear in its length, and allocates only for
// what it returns.
func Scan(src []byte) Module {
	s := scanner{src: src}
	s.stack = s.buf[:0]
	s.preamble()
	s.run()
	return Module{Imports: s.out, ReadsHot: s.readsHot}
}
