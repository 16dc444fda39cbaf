// Package esm finds the import specifiers of an ES module's source, so that
// hotserve can point the imports of a module it serves at the new versions
// of the modules that were hot-updated (README: "Hot module replacement").
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
	// Dynamic is set for import("…"); otherwise the literal follows
	// `import … from`, `import`, or `export … from`.
	Dynamic bool
	// Type is the value of the import attribute `type` (`with {type:
	// "json"}`): "json", "css", or "" for JavaScript.
	Type string
}

// Scan returns the imports of the module source src, in order. It never
// fails: text it cannot make sense of yields no import, and a specifier
// computed at run time (import(name)) is not one.
func Scan(src []byte) []Import {
	return nil
}
