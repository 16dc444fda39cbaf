package main

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// Text that came from outside hotserve (a request path, a file name, a
// header, a settings file's line, the backend's output) reaches the
// terminal only through escapeText or backendLine, so that a cross-site
// fetch of "/\x1b]0;pwned\x07" or a file named "a\r12:00:00 forged" can
// neither set the window title, clear the screen, write the clipboard
// (OSC 52) nor forge a log line. hotserve styles the text after it is
// escaped, so its own styling is the only one that reaches the terminal.
//
// The scheme is Go's: \t, \n and \r by name; every other byte below 0x20,
// DEL, and each byte that is not part of valid UTF-8 (the raw C1 bytes
// 0x80-0x9f among them) as \xHH; the C1 controls written as UTF-8
// (U+0080-U+009F) and the characters that reorder or break text (the bidi
// embeddings, overrides, isolates and marks of "Trojan Source", and the
// Unicode line and paragraph separators) as \uHHHH. A backslash stays as
// it is, so that Windows paths read as paths: the escaped form is for
// reading, not for parsing back.

// escapeText returns s as it may be shown in the terminal. Text with
// nothing to escape comes back as it is, without allocating.
func escapeText(s string) string {
	for i := 0; i < len(s); {
		c := s[i]
		if c >= 0x20 && c < 0x7f {
			i++
			continue
		}
		if c >= 0x80 {
			r, size := utf8.DecodeRuneInString(s[i:])
			if size > 1 && !unsafeRune(r) {
				i += size
				continue
			}
		}
		var sb strings.Builder
		sb.Grow(len(s) + 8)
		sb.WriteString(s[:i])
		escapeRest(&sb, s[i:], false)
		return sb.String()
	}
	return s
}

// escapeRest writes s escaped to sb; keepTab leaves tabs as they are.
func escapeRest(sb *strings.Builder, s string, keepTab bool) {
	for i := 0; i < len(s); {
		n := escapeOne(sb, s[i:], keepTab)
		i += n
	}
}

// escapeOne writes the first byte or character of s, escaped if it must
// be, and returns how many bytes of s it took.
func escapeOne(sb *strings.Builder, s string, keepTab bool) int {
	c := s[0]
	switch {
	case c == '\t' && keepTab:
		sb.WriteByte(c)
	case c < 0x20 || c == 0x7f:
		writeControl(sb, c)
	case c < 0x80:
		sb.WriteByte(c)
	default:
		r, size := utf8.DecodeRuneInString(s)
		switch {
		case r == utf8.RuneError && size == 1:
			writeHex(sb, `\x`, uint32(c), 2)
		case unsafeRune(r):
			writeHex(sb, `\u`, uint32(r), 4)
		default:
			sb.WriteString(s[:size])
		}
		return size
	}
	return 1
}

// writeControl writes a control byte in its escaped form.
func writeControl(sb *strings.Builder, c byte) {
	switch c {
	case '\t':
		sb.WriteString(`\t`)
	case '\n':
		sb.WriteString(`\n`)
	case '\r':
		sb.WriteString(`\r`)
	default:
		writeHex(sb, `\x`, uint32(c), 2)
	}
}

func writeHex(sb *strings.Builder, prefix string, v uint32, digits int) {
	const hex = "0123456789abcdef"
	sb.WriteString(prefix)
	for shift := 4 * (digits - 1); shift >= 0; shift -= 4 {
		sb.WriteByte(hex[v>>shift&0xf])
	}
}

// unsafeRune reports whether r, a valid character at or above U+0080, is
// one a terminal acts on or that changes how the text around it reads: a
// C1 control, a bidi control (Trojan Source, CVE-2021-42574), or a line or
// paragraph separator.
func unsafeRune(r rune) bool {
	switch {
	case r <= 0x9f:
		return true
	case r == 0x061c, r == 0x200e, r == 0x200f: // ALM, LRM, RLM
		return true
	case r >= 0x2028 && r <= 0x202e: // LS, PS, LRE, RLE, PDF, LRO, RLO
		return true
	case r >= 0x2066 && r <= 0x2069: // LRI, RLI, FSI, PDI
		return true
	}
	return false
}

// escapeArgs escapes the text among a, the arguments of a format that is
// hotserve's own (it may hold a newline and an indent): strings, errors
// and Stringers become their escaped text, the rest stays.
func escapeArgs(a []any) []any {
	out := make([]any, len(a))
	for i, v := range a {
		switch v := v.(type) {
		case string:
			out[i] = escapeText(v)
		case error:
			out[i] = escapeText(v.Error())
		case fmt.Stringer:
			out[i] = escapeText(v.String())
		default:
			out[i] = v
		}
	}
	return out
}
