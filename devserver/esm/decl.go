package esm

// The declarations that name a module: `import … from "s"`, `import "s"`,
// `export … from "s"`, and `import("s")`. Each is read ahead of the main
// loop from the keyword. A static one that parses is consumed whole; one
// that does not leaves the scanner just past the keyword, as if it were a
// name, so the main loop reads the same bytes again as ordinary tokens and
// nothing is lost. The read-ahead stops at the first token out of place, so
// no byte is read more than twice.

// maxClause bounds the tokens between `import` and `from` outside braces
// (`defer * as ns`, `x, * as y`): a run of words is not a clause.
const maxClause = 8

// importWord reads what follows the keyword `import` that ends at end.
func (s *scanner) importWord(end int) {
	src := s.src
	s.after(false, true) // if no declaration follows, `import` was a name
	i := skip(src, end)
	if i >= len(src) {
		return
	}
	switch c := src[i]; {
	case c == '(':
		s.dynamic(i)
	case c == '.':
		s.phase(i)
	case class[c] == cQuote:
		s.static(i)
	default:
		s.clause(i)
	}
}

// exportWord reads what follows the keyword `export` that ends at end: only
// `export * …` and `export {…}` may go on to `from`.
func (s *scanner) exportWord(end int) {
	src := s.src
	s.after(false, true)
	if i := skip(src, end); i < len(src) && (src[i] == '*' || src[i] == '{') {
		s.clause(i)
	}
}

// clause reads an import or export clause from i (`x`, `{a as b, "c" as
// d}`, `* as ns`, `defer * as ns`, `source x`, or a mix) up to `from "s"`,
// and then the declaration's specifier. A string outside braces is a name
// only right after `as`.
func (s *scanner) clause(i int) {
	src := s.src
	as := false
	for n := 0; n < maxClause && i < len(src); n++ {
		c := src[i]
		switch {
		case c == '{':
			j, ok := names(src, i)
			if !ok {
				return
			}
			i, as = skip(src, j), false
		case c == '*' || c == ',':
			i, as = skip(src, i+1), false
		case class[c] == cQuote && as:
			e, _, ok := quoted(src, i)
			if !ok {
				return
			}
			i, as = skip(src, e+1), false
		case identByte(c) && class[c] != cDigit:
			e := wordEnd(src, i)
			j := skip(src, e)
			if string(src[i:e]) == "from" && j < len(src) && class[src[j]] == cQuote {
				s.static(j)
				return
			}
			i, as = j, string(src[i:e]) == "as"
		default:
			return
		}
	}
}

// names reads the braces of a clause at src[i] == '{', holding names,
// strings, `as` and commas, and returns the index just past the `}`.
func names(src []byte, i int) (next int, ok bool) {
	for i = skip(src, i+1); i < len(src); i = skip(src, i) {
		c := src[i]
		switch {
		case c == '}':
			return i + 1, true
		case c == ',':
			i++
		case class[c] == cQuote:
			e, _, ok := quoted(src, i)
			if !ok {
				return i, false
			}
			i = e + 1
		case identByte(c) && class[c] != cDigit:
			e := wordEnd(src, i)
			if e == i {
				return i, false
			}
			i = e
		default:
			return i, false
		}
	}
	return i, false
}

// static records the specifier of a declaration, the string at src[i], and
// its attributes, and moves past them: a statement may follow.
func (s *scanner) static(i int) {
	src := s.src
	end, escaped, ok := quoted(src, i)
	if !ok {
		return
	}
	imp := Import{Spec: string(src[i+1 : end]), Escaped: escaped, Start: i + 1, End: end}
	s.pos = end + 1
	j := skip(src, end+1)
	e := wordEnd(src, j)
	if w := src[j:e]; string(w) == "with" || string(w) == "assert" {
		if k := skip(src, e); k < len(src) && src[k] == '{' {
			if typ, next, ok := attributes(src, k); ok {
				imp.Type, s.pos = typ, next
			}
		}
	}
	s.out = append(s.out, imp)
	s.after(true, true)
}
