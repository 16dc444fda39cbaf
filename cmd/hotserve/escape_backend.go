package main

import (
	"strings"
	"unicode/utf8"
)

// backendLine returns one line of the backend's output (without its
// newline) as it may be shown in the terminal. The backend's colours stay
// when colour is true: a well-formed SGR (ESC [ digits ; : m), with a reset
// at the end of the line so that they never bleed into hotserve's lines.
// Every other control sequence is the backend's own formatting, or an
// attacker's text that the backend printed as it came (a request path in
// its access log), and is dropped: OSC (the title, the clipboard, links),
// every other CSI (cursor moves, clears), DCS, SOS, PM and APC strings,
// the two-byte escapes (ESC c resets the terminal, ESC 7 and 8 move the
// cursor), and the same sequences begun with a C1 control. Bare control
// bytes other than tab are shown escaped, as escapeText does.
//
// A carriage return inside the line is a progress bar redrawing itself:
// only what follows the last one is kept (with the colours set before it),
// which is what the terminal would have left on the screen, and one line
// per update instead of a line holding every step. A carriage return at
// the end, as in a Windows program's CRLF, is dropped.
func backendLine(line string, colour bool) string {
	line = strings.TrimRight(line, "\r")
	if printable(line) {
		return line
	}
	var out strings.Builder
	out.Grow(len(line) + 8)
	coloured := false
	for i := 0; i < len(line); {
		seq, isSGR := controlSequence(line[i:])
		switch {
		case seq > 0:
			if isSGR && colour {
				out.WriteString(line[i : i+seq])
				coloured = true
			}
			i += seq
		case line[i] == '\r':
			before := out.String()
			out.Reset()
			keepSGR(&out, before)
			i++
		default:
			i += escapeOne(&out, line[i:], true)
		}
	}
	if coloured {
		out.WriteString("\x1b[0m")
	}
	return out.String()
}

// keepSGR writes the SGRs of s, which holds no other escapes, to sb.
func keepSGR(sb *strings.Builder, s string) {
	for {
		i := strings.IndexByte(s, 0x1b)
		if i < 0 {
			return
		}
		n := i + strings.IndexByte(s[i:], 'm') + 1
		sb.WriteString(s[i:n])
		s = s[n:]
	}
}

// The introducers of the C1 controls that begin a sequence, in their
// 7-bit form (ESC and the second byte) and as characters.
const (
	c1DCS, c1SOS, c1CSI, c1ST, c1OSC, c1PM, c1APC = 0x90, 0x98, 0x9b, 0x9c, 0x9d, 0x9e, 0x9f
)

// controlSequence returns the length of the control sequence at the start
// of s, 0 if none starts there, and whether it is an SGR in its 7-bit form.
// An ESC that begins nothing valid is a sequence of its own (dropped). A
// sequence cut short by the end of the line runs to its end; one broken by
// a byte it may not hold ends before that byte, as a terminal would see it.
func controlSequence(s string) (n int, isSGR bool) {
	intro, size := introducer(s)
	switch intro {
	case 0:
		return 0, false
	case '[', c1CSI:
		n, isSGR = csi(s[size:])
		return size + n, isSGR && intro == '['
	case ']', c1OSC:
		return size + stringEnd(s[size:], true), false
	case 'P', 'X', '^', '_', c1DCS, c1SOS, c1PM, c1APC:
		return size + stringEnd(s[size:], false), false
	case 0x1b:
		return size + escEnd(s[size:]), false
	}
	return size, false
}

// introducer names the sequence that s starts with: the byte after ESC
// ('[' for CSI, ']' for OSC, …; 0x1b for any other escape), a C1
// introducer (written in UTF-8, or as a raw byte that is not valid UTF-8),
// or 0. size is how many bytes the introducer takes.
func introducer(s string) (intro byte, size int) {
	c := s[0]
	if c == 0x1b {
		if len(s) > 1 {
			switch s[1] {
			case '[', ']', 'P', 'X', '^', '_':
				return s[1], 2
			}
		}
		return 0x1b, 1
	}
	if c < 0x80 {
		return 0, 0
	}
	r, size := utf8.DecodeRuneInString(s)
	if r == utf8.RuneError && size == 1 {
		r = rune(c)
	}
	switch r {
	case c1DCS, c1SOS, c1CSI, c1OSC, c1PM, c1APC:
		return byte(r), size
	}
	return 0, 0
}

// csi returns the length of the rest of a CSI sequence: parameter bytes,
// intermediate bytes, one final byte; and whether it is an SGR (final m,
// parameters only digits, ';' and ':', no intermediates).
func csi(s string) (n int, isSGR bool) {
	sgr := true
	for n < len(s) && s[n] >= 0x30 && s[n] <= 0x3f {
		sgr = sgr && s[n] <= ';' // digits, ':' and ';'
		n++
	}
	for n < len(s) && s[n] >= 0x20 && s[n] <= 0x2f {
		sgr = false
		n++
	}
	if n < len(s) && s[n] >= 0x40 && s[n] <= 0x7e {
		return n + 1, sgr && s[n] == 'm'
	}
	return n, false
}

// stringEnd returns the length of the rest of a control string: up to and
// with its String Terminator (ESC \ or C1 ST), or BEL for an OSC. Another
// ESC ends it without being part of it, as in xterm.
func stringEnd(s string, osc bool) int {
	for n := 0; n < len(s); {
		r, size := utf8.DecodeRuneInString(s[n:])
		switch {
		case r == 0x07 && osc:
			return n + 1
		case r == 0x1b:
			if n+1 < len(s) && s[n+1] == '\\' {
				return n + 2
			}
			return n
		case r == c1ST, r == utf8.RuneError && size == 1 && s[n] == c1ST:
			return n + size
		}
		n += size
	}
	return len(s)
}

// escEnd returns the length of the rest of an escape that is not CSI or a
// control string: intermediate bytes, then one final byte (ESC c, ESC 7,
// ESC ( B, ESC # 8).
func escEnd(s string) int {
	n := 0
	for n < len(s) && s[n] >= 0x20 && s[n] <= 0x2f {
		n++
	}
	if n < len(s) && s[n] >= 0x30 && s[n] <= 0x7e {
		return n + 1
	}
	return n
}

// printable reports whether s is printable ASCII and tabs only.
func printable(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; (c < 0x20 && c != '\t') || c >= 0x7f {
			return false
		}
	}
	return true
}
