package esm

// word reads an identifier or keyword at pos. `import` and `export` that are
// not property names (`x.import`) start a declaration or a dynamic import;
// the other keywords only decide what a following `/` or `{` is.
func (s *scanner) word() {
	start := s.pos
	end := wordEnd(s.src, start)
	if end == start {
		end++ // a stray byte that is not white space: step over it
	}
	s.pos = end
	w := s.src[start:end]
	if s.dot {
		s.after(false, true)
		return
	}
	switch string(w) {
	case "import":
		s.importWord(end)
		return
	case "export":
		s.exportWord(end)
		return
	}
	regexOK, blockOK, ctl := keyword(w)
	s.after(regexOK, blockOK)
	s.ctl = ctl
}

// keyword tells what may follow the word w: whether `/` starts a regular
// expression (after `return`, `typeof`, …, as es-module-lexer decides),
// whether `{` opens a block (after `else`, `do`, a class name) rather than
// an object (after `return`, `case`, `export default`), and whether `(`
// holds the condition of a statement.
func keyword(w []byte) (regexOK, blockOK, ctl bool) {
	switch string(w) {
	case "if", "for", "while", "with":
		return false, true, true
	case "else", "do", "try", "finally", "break", "continue", "debugger":
		return true, true, false
	case "return", "typeof", "case", "default", "in", "instanceof", "new",
		"void", "delete", "throw", "yield", "await":
		return true, false, false
	}
	// A name, `this`, a literal like `true`: a value, so `/` divides; a `{`
	// after a name is a class body (`class A {`, `extends B {`).
	return false, true, false
}
