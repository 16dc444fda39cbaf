package esm

// punct reads the punctuator at pos. Brackets open and close stack entries;
// everything else only sets what the next token may be.
func (s *scanner) punct(c byte) {
	src, i := s.src, s.pos
	s.pos++
	switch c {
	case '(':
		if s.ctl {
			s.push(kParenCtl)
		} else {
			s.push(kParen)
		}
		s.after(true, false)
	case ')':
		k := s.top()
		if k == kParen || k == kParenCtl {
			s.stack = s.stack[:len(s.stack)-1]
		}
		// After `if (…)` a statement starts; after a call or a
		// function's parameters, `{` is a body and `/` divides.
		s.after(k == kParenCtl, true)
	case '[':
		s.push(kBracket)
		s.after(true, false)
	case ']':
		if s.top() == kBracket {
			s.stack = s.stack[:len(s.stack)-1]
		}
		s.after(false, false)
	case '{':
		k := uint8(kObject)
		if s.blockOK {
			k = kBlock
		}
		s.push(k)
		s.after(true, k == kBlock)
	case '}':
		s.closeBrace()
	case ';':
		s.after(true, true)
	case ':':
		// `case 1: {` and `label: {` open blocks; `{a: {` and `c ? a : {`
		// open objects.
		s.after(true, s.top() == kBlock)
	case '.':
		s.dotted(i)
	case '?':
		if i+1 < len(src) && src[i+1] == '.' && (i+2 == len(src) || class[src[i+2]] != cDigit) {
			// `a?.b`, but not `a?.5:1`
			s.pos++
			s.after(true, false)
			s.dot = true
			return
		}
		s.after(true, false)
	case '=':
		if i+1 < len(src) && src[i+1] == '>' {
			s.pos++
			s.after(true, true) // an arrow function's body
			return
		}
		s.after(true, false)
	case '+', '-':
		if i+1 < len(src) && src[i+1] == c {
			s.pos++
			s.after(false, false) // postfix a++ ends an expression
			return
		}
		s.after(true, false)
	default:
		s.after(true, false)
	}
}

// closeBrace reads a `}`: it closes the innermost brace, and any bracket left
// open inside it, and resumes a template after a substitution.
func (s *scanner) closeBrace() {
	k := uint8(kBlock)
	for len(s.stack) > 0 {
		k = s.stack[len(s.stack)-1]
		s.stack = s.stack[:len(s.stack)-1]
		if k == kBlock || k == kObject || k == kTemplate {
			break
		}
		k = kBlock
	}
	switch k {
	case kTemplate:
		s.template(s.pos)
	case kObject:
		s.after(false, false)
	default:
		s.after(true, true)
	}
}

// dotted reads `.` at i: a spread `...`, the start of a number `.5`, or a
// member access, after which a word is a property name.
func (s *scanner) dotted(i int) {
	src := s.src
	switch {
	case i+2 < len(src) && src[i+1] == '.' && src[i+2] == '.':
		s.pos = i + 3
		s.after(true, false)
	case i+1 < len(src) && class[src[i+1]] == cDigit:
		s.pos = i
		s.number()
	default:
		s.after(true, false)
		s.dot = true
	}
}
