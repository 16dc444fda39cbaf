package esm

// The byte classes the scanner dispatches on. A table lookup per byte keeps
// the main loop to one load and one switch.
const (
	cOther   = iota // a punctuator, or a byte no token starts with
	cSpace          // ASCII white space and line breaks
	cIdent          // starts or continues an identifier (non-ASCII included)
	cDigit          // starts a number
	cQuote          // ' or "
	cTick           // `
	cSlash          // a comment, a regular expression or a division
	cUnicode        // a non-ASCII lead byte that may start white space
)

var class = func() (t [256]uint8) {
	for _, c := range []byte(" \t\n\r\v\f") {
		t[c] = cSpace
	}
	for c := 'a'; c <= 'z'; c++ {
		t[c], t[c-'a'+'A'] = cIdent, cIdent
	}
	t['_'], t['$'], t['\\'] = cIdent, cIdent, cIdent
	for c := '0'; c <= '9'; c++ {
		t[c] = cDigit
	}
	for c := 0x80; c < 0x100; c++ {
		t[c] = cIdent
	}
	t[0xC2], t[0xE1], t[0xE2], t[0xE3], t[0xEF] = cUnicode, cUnicode, cUnicode, cUnicode, cUnicode
	t['\''], t['"'], t['`'], t['/'] = cQuote, cQuote, cTick, cSlash
	return t
}()

// identByte reports whether c may continue an identifier or a number.
func identByte(c byte) bool {
	k := class[c]
	return k == cIdent || k == cDigit || k == cUnicode
}

// uniSpace returns the length of the Unicode white space or line terminator
// encoded at src[i] (NBSP, the other space separators, U+2028, U+2029, a
// byte-order mark), or 0. JavaScript counts them as white space, and a word
// that ran on through one would hide a keyword such as `return`.
func uniSpace(src []byte, i int) int {
	if i+1 >= len(src) {
		return 0
	}
	a, b := src[i], src[i+1]
	if a == 0xC2 {
		if b == 0xA0 {
			return 2
		}
		return 0
	}
	if i+2 >= len(src) {
		return 0
	}
	c := src[i+2]
	switch {
	case a == 0xE2 && b == 0x80 && (c >= 0x80 && c <= 0x8A || c == 0xA8 || c == 0xA9 || c == 0xAF),
		a == 0xE2 && b == 0x81 && c == 0x9F,
		a == 0xE1 && b == 0x9A && c == 0x80,
		a == 0xE3 && b == 0x80 && c == 0x80,
		a == 0xEF && b == 0xBB && c == 0xBF:
		return 3
	}
	return 0
}

// lineBreak returns the length of the line terminator at src[i]: \n, \r,
// U+2028 or U+2029; 0 if there is none.
func lineBreak(src []byte, i int) int {
	switch src[i] {
	case '\n', '\r':
		return 1
	case 0xE2:
		if i+2 < len(src) && src[i+1] == 0x80 && (src[i+2] == 0xA8 || src[i+2] == 0xA9) {
			return 3
		}
	}
	return 0
}
