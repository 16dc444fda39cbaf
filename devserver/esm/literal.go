package esm

import "bytes"

// The literals and comments, each read from its first byte to just past its
// last. They all stop at the end of the source, and a string or a regular
// expression also stops at a line break, where it is broken anyway: a
// mistake about one never carries past its line, and nothing is read twice.

// skip returns the index of the next byte at or after i that is not white
// space or inside a comment.
func skip(src []byte, i int) int {
	for i < len(src) {
		c := src[i]
		switch class[c] {
		case cSpace:
			i++
		case cUnicode:
			n := uniSpace(src, i)
			if n == 0 {
				return i
			}
			i += n
		case cSlash:
			j := comment(src, i)
			if j == i {
				return i
			}
			i = j
		default:
			return i
		}
	}
	return i
}

// comment returns the end of the comment that starts at src[i], or i if
// none does.
func comment(src []byte, i int) int {
	if i+1 >= len(src) {
		return i
	}
	switch src[i+1] {
	case '/':
		return lineEnd(src, i+2)
	case '*':
		if n := bytes.Index(src[i+2:], []byte("*/")); n >= 0 {
			return i + 2 + n + 2
		}
		return len(src)
	}
	return i
}

// lineEnd returns the index of the first line terminator at or after i.
func lineEnd(src []byte, i int) int {
	for ; i < len(src); i++ {
		if c := src[i]; c == '\n' || c == '\r' || c == 0xE2 && lineBreak(src, i) > 0 {
			return i
		}
	}
	return i
}

// quoted reads the string literal whose opening quote is src[i]. It returns
// the index of the closing quote (end, with ok) or of the line break or end
// of source where the string broke off (without ok), and whether a
// backslash is in it. A backslash escapes the next byte, so an escaped
// quote or line break (a line continuation) does not end the string.
func quoted(src []byte, i int) (end int, escaped, ok bool) {
	q := src[i]
	for i++; i < len(src); i++ {
		switch src[i] {
		case q:
			return i, escaped, true
		case '\\':
			escaped = true
			if i+2 < len(src) && src[i+1] == '\r' && src[i+2] == '\n' {
				i++
			}
			i++
		case '\n', '\r':
			return i, escaped, false
		}
	}
	return len(src), escaped, false
}

// plainTemplate reads the template literal whose backtick is src[i] when it
// has no substitution, as quoted does; ok is false if it has one (it is
// computed) or is not closed.
func plainTemplate(src []byte, i int) (end int, escaped, ok bool) {
	for i++; i < len(src); i++ {
		switch src[i] {
		case '`':
			return i, escaped, true
		case '\\':
			escaped = true
			i++
		case '$':
			if i+1 < len(src) && src[i+1] == '{' {
				return i, escaped, false
			}
		}
	}
	return len(src), escaped, false
}

// templateSpan reads template text from src[i], just past the backtick or
// the `}` that closed a substitution, to just past the closing backtick
// (closed) or the `${` that opens the next substitution (not closed).
func templateSpan(src []byte, i int) (next int, closed bool) {
	for ; i < len(src); i++ {
		switch src[i] {
		case '`':
			return i + 1, true
		case '\\':
			i++
		case '$':
			if i+1 < len(src) && src[i+1] == '{' {
				return i + 2, false
			}
		}
	}
	return len(src), true
}

// regexp reads the regular expression literal whose opening slash is src[i]
// and returns the index just past its flags. A slash inside a class
// (`/[/]/`) or after a backslash does not end it.
func regexp(src []byte, i int) int {
	inClass := false
	for i++; i < len(src); i++ {
		switch src[i] {
		case '\\':
			if i+1 < len(src) && lineBreak(src, i+1) == 0 {
				i++
			}
		case '[':
			inClass = true
		case ']':
			inClass = false
		case '/':
			if !inClass {
				return wordEnd(src, i+1)
			}
		case '\n', '\r':
			return i
		}
	}
	return i
}

// wordEnd returns the end of the identifier (or number, or regular expression
// flags) that continues at src[i]. A non-ASCII byte is part of a word unless
// it starts Unicode white space.
func wordEnd(src []byte, i int) int {
	for i < len(src) && identByte(src[i]) {
		if src[i] >= 0x80 && uniSpace(src, i) > 0 {
			break
		}
		i++
	}
	return i
}
