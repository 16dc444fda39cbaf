package esm

// dynamic records `import(…)` whose parenthesis is src[i] when its first
// argument is a string or a template without substitutions, alone: a
// specifier computed at run time (`import(name)`, `import("./" + name)`) is
// not one. It only reads ahead; the main loop then reads the call.
func (s *scanner) dynamic(i int) {
	src := s.src
	j := skip(src, i+1)
	if j >= len(src) {
		return
	}
	var end int
	var escaped, ok bool
	switch src[j] {
	case '\'', '"':
		end, escaped, ok = quoted(src, j)
	case '`':
		end, escaped, ok = plainTemplate(src, j)
	}
	if !ok {
		return
	}
	k := skip(src, end+1)
	if k >= len(src) || src[k] != ')' && src[k] != ',' {
		return
	}
	imp := Import{Spec: string(src[j+1 : end]), Escaped: escaped, Start: j + 1, End: end, Dynamic: true}
	if src[k] == ',' {
		imp.Type = options(src, k+1)
	}
	s.out = append(s.out, imp)
}

// phase reads `import.` at src[i]: `import.source(…)` and `import.defer(…)`
// are dynamic imports in a phase; `import.meta` is not an import, but
// `import.meta.hot` (or `?.hot`) is noted.
func (s *scanner) phase(i int) {
	src := s.src
	j := skip(src, i+1)
	e := wordEnd(src, j)
	if w := src[j:e]; string(w) == "meta" {
		s.readsHot = s.readsHot || readsHot(src, e)
		return
	} else if string(w) != "source" && string(w) != "defer" {
		return
	}
	if k := skip(src, e); k < len(src) && src[k] == '(' {
		s.dynamic(k)
	}
}

// readsHot reports whether `.hot` or `?.hot` follows `import.meta`, which
// ends before src[i].
func readsHot(src []byte, i int) bool {
	i = skip(src, i)
	if i+1 < len(src) && src[i] == '?' && src[i+1] == '.' {
		i++
	}
	if i >= len(src) || src[i] != '.' {
		return false
	}
	j := skip(src, i+1)
	return string(src[j:wordEnd(src, j)]) == "hot"
}

// options returns the type attribute of the options argument of a dynamic
// import, which starts at src[i], when it is written out as a literal
// `{ with: { type: "json" } }` (or `assert:`) and closes the call; "" for
// anything else, which the module loader evaluates at run time.
func options(src []byte, i int) string {
	i = skip(src, i)
	if i >= len(src) || src[i] != '{' {
		return ""
	}
	i = skip(src, i+1)
	ks, ke, i, ok := key(src, i)
	if !ok || string(src[ks:ke]) != "with" && string(src[ks:ke]) != "assert" {
		return ""
	}
	if i = skip(src, i); i >= len(src) || src[i] != ':' {
		return ""
	}
	if i = skip(src, i+1); i >= len(src) || src[i] != '{' {
		return ""
	}
	typ, i, ok := attributes(src, i)
	if !ok {
		return ""
	}
	for _, want := range []byte(",},)") {
		if i = skip(src, i); i < len(src) && src[i] == want {
			i++
		} else if want == '}' || want == ')' {
			return ""
		}
	}
	return typ
}

// attributes reads the attribute list `{ type: "json", … }` at src[i] ==
// '{' and returns the value of `type` as written, and the index past `}`.
func attributes(src []byte, i int) (typ string, next int, ok bool) {
	for i = skip(src, i+1); i < len(src); {
		if src[i] == '}' {
			return typ, i + 1, true
		}
		ks, ke, j, ok := key(src, i)
		if !ok {
			return "", 0, false
		}
		if i = skip(src, j); i >= len(src) || src[i] != ':' {
			return "", 0, false
		}
		if i = skip(src, i+1); i >= len(src) || class[src[i]] != cQuote {
			return "", 0, false
		}
		end, _, ok := quoted(src, i)
		if !ok {
			return "", 0, false
		}
		if string(src[ks:ke]) == "type" {
			typ = attrType(src[i+1 : end])
		}
		if i = skip(src, end+1); i < len(src) && src[i] == ',' {
			i = skip(src, i+1)
		} else if i >= len(src) || src[i] != '}' {
			return "", 0, false
		}
	}
	return "", 0, false
}

// key reads a property name at src[i], a word or a string, and returns its
// text's range and the index past it.
func key(src []byte, i int) (start, end, next int, ok bool) {
	if i >= len(src) {
		return 0, 0, i, false
	}
	if class[src[i]] == cQuote {
		e, _, ok := quoted(src, i)
		return i + 1, e, e + 1, ok
	}
	e := wordEnd(src, i)
	return i, e, e, e > i
}

// attrType returns the type attribute's value, without allocating for the
// ones in use.
func attrType(v []byte) string {
	switch string(v) {
	case "json":
		return "json"
	case "css":
		return "css"
	}
	return string(v)
}
