package esm

// What a bracket on the scanner's stack opened. The stack tells a `}` that
// ends a block (a statement follows: `/` starts a regular expression) from
// one that ends an object literal (an expression goes on: `/` divides), and
// one that ends a template substitution (the template text resumes).
const (
	kParen    = iota // ( … )
	kParenCtl        // the condition of if, for, while or with: a statement follows
	kBracket         // [ … ]
	kBlock           // { … } holding statements
	kObject          // { … } in an expression
	kTemplate        // ${ … } in a template literal
)

// scanner is one pass over a module's source. Past the token it has just
// read, it keeps only what the next one needs: whether a `/` there starts a
// regular expression, whether a `{` opens a block, whether a word is a
// property name, and the open brackets.
type scanner struct {
	src      []byte
	pos      int
	out      []Import
	readsHot bool // import.meta.hot was read

	regexOK bool // a `/` here starts a regular expression, not a division
	blockOK bool // a `{` here opens a block, not an object literal
	dot     bool // the last token was `.` or `?.`: a word here is a property
	ctl     bool // the last token was if, for, while or with

	stack []uint8
	buf   [64]uint8 // the stack's first home: most modules nest less
}

// after records the kind of token just read, for the next one.
func (s *scanner) after(regexOK, blockOK bool) {
	s.regexOK, s.blockOK, s.dot, s.ctl = regexOK, blockOK, false, false
}

func (s *scanner) push(k uint8) { s.stack = append(s.stack, k) }

// top returns the innermost open bracket, or kBlock at the top level.
func (s *scanner) top() uint8 {
	if len(s.stack) == 0 {
		return kBlock
	}
	return s.stack[len(s.stack)-1]
}

// preamble skips a byte-order mark and a `#!` line at the start.
func (s *scanner) preamble() {
	if len(s.src) >= 3 && s.src[0] == 0xEF && s.src[1] == 0xBB && s.src[2] == 0xBF {
		s.pos = 3
	}
	if len(s.src) >= s.pos+2 && s.src[s.pos] == '#' && s.src[s.pos+1] == '!' {
		s.pos = lineEnd(s.src, s.pos+2)
	}
}

// run reads tokens to the end of the source. Every step moves pos forward.
func (s *scanner) run() {
	src := s.src
	for s.pos < len(src) {
		c := src[s.pos]
		switch class[c] {
		case cSpace:
			s.pos++
		case cUnicode:
			if n := uniSpace(src, s.pos); n > 0 {
				s.pos += n
			} else {
				s.word()
			}
		case cIdent:
			s.word()
		case cDigit:
			s.number()
		case cQuote:
			end, _, _ := quoted(src, s.pos)
			s.pos = end + 1
			s.after(false, false)
		case cTick:
			s.template(s.pos + 1)
		case cSlash:
			s.slash()
		default:
			s.punct(c)
		}
	}
}

// slash reads a comment, a regular expression or a division at pos.
func (s *scanner) slash() {
	if end := comment(s.src, s.pos); end > s.pos {
		s.pos = end // a comment changes nothing about what comes next
		return
	}
	if s.regexOK {
		s.pos = regexp(s.src, s.pos)
		s.after(false, false)
		return
	}
	s.pos++
	s.after(true, false)
}

// template reads template text from i; at a substitution it opens a
// kTemplate bracket, whose `}` comes back here.
func (s *scanner) template(i int) {
	next, closed := templateSpan(s.src, i)
	s.pos = next
	if closed {
		s.after(false, false)
		return
	}
	s.push(kTemplate)
	s.after(true, false)
}

// number reads a numeric literal: digits, `.`, an exponent's sign, `_`, a
// radix prefix and a BigInt `n`. Reading `1..toString` as one token is
// harmless: either way it is a value.
func (s *scanner) number() {
	src, i := s.src, s.pos
	radix := i+1 < len(src) && src[i] == '0' && (src[i+1]|0x20 == 'x' || src[i+1]|0x20 == 'b' || src[i+1]|0x20 == 'o')
	for i < len(src) {
		c := src[i]
		switch {
		case c == '.' || class[c] == cDigit || class[c] == cIdent && c < 0x80:
			i++
		case (c == '+' || c == '-') && !radix && src[i-1]|0x20 == 'e':
			i++
		default:
			s.pos = i
			s.after(false, false)
			return
		}
	}
	s.pos = i
	s.after(false, false)
}
