package main

import (
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestEscapeText(t *testing.T) {
	for _, c := range []struct{ name, in, want string }{
		{"plain ASCII", "/css/style.css?v=1", "/css/style.css?v=1"},
		{"UTF-8 kept", "/café/日本.html", "/café/日本.html"},
		{"backslash kept", `C:\Users\me\site`, `C:\Users\me\site`},
		{"window title", "/\x1b]0;pwned\x07", `/\x1b]0;pwned\x07`},
		{"clear screen", "/\x1b[2J\x1b[H", `/\x1b[2J\x1b[H`},
		{"forged line", "/\r\n12:00:00 forged", `/\r\n12:00:00 forged`},
		{"clipboard", "/\x1b]52;c;cHduZWQ=\x07", `/\x1b]52;c;cHduZWQ=\x07`},
		{"tab", "a\tb", `a\tb`},
		{"NUL and DEL", "a\x00b\x7f", `a\x00b\x7f`},
		{"C1 as UTF-8", "a\u0085b\u009bc", `a\u0085b\u009bc`},
		{"raw C1 bytes", "a\x9b2Jb\x85", `a\x9b2Jb\x85`},
		{"invalid UTF-8", "a\xffb\xc3", `a\xffb\xc3`},
		{"overlong", "\xc0\xaf", `\xc0\xaf`},
		{"Trojan Source override", "admin\u202e\u2066txt.exe\u2069", `admin\u202e\u2066txt.exe\u2069`},
		{"bidi marks", "a\u200eb\u200fc\u061c", `a\u200eb\u200fc\u061c`},
		{"line separator", "a\u2028b\u2029", `a\u2028b\u2029`},
		{"empty", "", ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := escapeText(c.in); got != c.want {
				t.Errorf("escapeText(%q)\nhave: %s\nwant: %s", c.in, got, c.want)
			}
		})
	}
}

func TestBackendLine(t *testing.T) {
	const reset = "\x1b[0m"
	for _, c := range []struct{ name, in, colour, plain string }{
		{"plain", "listening on :3000", "listening on :3000", "listening on :3000"},
		{"tab kept", "a\tb", "a\tb", "a\tb"},
		{"colours", "\x1b[1;31mFAIL\x1b[0m ok", "\x1b[1;31mFAIL\x1b[0m ok" + reset, "FAIL ok"},
		{"256 and true colour", "\x1b[38;5;208ma\x1b[38:2::1:2:3mb\x1b[m", "\x1b[38;5;208ma\x1b[38:2::1:2:3mb\x1b[m" + reset, "ab"},
		{"colour left open", "\x1b[32mgreen", "\x1b[32mgreen" + reset, "green"},
		{"window title BEL", "a\x1b]0;pwned\x07b", "ab", "ab"},
		{"window title ST", "a\x1b]2;pwned\x1b\\b", "ab", "ab"},
		{"clipboard", "a\x1b]52;c;cHduZWQ=\x07b", "ab", "ab"},
		{"hyperlink", "\x1b]8;;http://x\x1b\\link\x1b]8;;\x1b\\", "link", "link"},
		{"OSC cut short", "a\x1b]0;pwned", "a", "a"},
		{"OSC ended by an escape", "a\x1b]0;x\x1bcb", "ab", "ab"},
		{"clear and home", "\x1b[2J\x1b[Hhi\x1b[K", "hi", "hi"},
		{"cursor moves", "\x1b[10;20Ha\x1b[5Ab\x1b[?25l", "ab", "ab"},
		{"private SGR-like is not SGR", "\x1b[?1mx\x1b[>4;2m", "x", "x"},
		{"intermediate is not SGR", "\x1b[1 mx", "x", "x"},
		{"CSI cut short", "a\x1b[12;", "a", "a"},
		{"CSI broken by a control", "a\x1b[1\x07b", `a\x07b`, `a\x07b`},
		{"DCS", "a\x1bP1$r0m\x1b\\b", "ab", "ab"},
		{"APC PM SOS", "\x1b_apc\x1b\\a\x1b^pm\x1b\\b\x1bXsos\x1b\\c", "abc", "abc"},
		{"reset terminal", "a\x1bcb", "ab", "ab"},
		{"save and restore cursor", "\x1b7a\x1b8b", "ab", "ab"},
		{"charset and screen fill", "\x1b(Ba\x1b#8b", "ab", "ab"},
		{"lone escape at the end", "a\x1b", "a", "a"},
		{"escape before a control", "a\x1b\nb", `a\nb`, `a\nb`},
		{"C1 CSI as UTF-8", "a\u009b2Jb", "ab", "ab"},
		{"C1 CSI raw", "a\x9b2Jb", "ab", "ab"},
		{"C1 OSC with C1 ST", "a\u009d0;pwned\u009cb", "ab", "ab"},
		{"C1 OSC raw with raw ST", "a\x9d0;pwned\x9cb", "ab", "ab"},
		{"OSC holding UTF-8", "a\x1b]0;日本語\x07b", "ab", "ab"},
		{"other C1 escaped", "a\u0085b", `a\u0085b`, `a\u0085b`},
		{"bare controls escaped", "a\x00b\bc\x7f", `a\x00b\x08c\x7f`, `a\x00b\x08c\x7f`},
		{"invalid UTF-8 escaped", "a\xffb", `a\xffb`, `a\xffb`},
		{"bidi escaped", "a\u202eb", `a\u202eb`, `a\u202eb`},
		{"CRLF", "done\r", "done", "done"},
		{"progress bar", "10%\r50%\r100%", "100%", "100%"},
		{"progress bar keeps its colour", "\x1b[32m10%\r100%\x1b[0m", "\x1b[32m100%\x1b[0m" + reset, "100%"},
		{"forged line", "GET /\r12:00:00 forged", "12:00:00 forged", "12:00:00 forged"},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := backendLine(c.in, true); got != c.colour {
				t.Errorf("backendLine(%q, colour)\nhave: %q\nwant: %q", c.in, got, c.colour)
			}
			if got := backendLine(c.in, false); got != c.plain {
				t.Errorf("backendLine(%q, no colour)\nhave: %q\nwant: %q", c.in, got, c.plain)
			}
		})
	}
}

// safeText reports what makes s unsafe for the terminal, or "".
func safeText(s string, keepTab bool) string {
	if !utf8.ValidString(s) {
		return "invalid UTF-8"
	}
	for _, r := range s {
		switch {
		case r == '\t' && keepTab:
		case r < 0x20 || r == 0x7f:
			return "a control byte"
		case r >= 0x80 && unsafeRune(r):
			return "a C1 or bidi control"
		}
	}
	return ""
}

func FuzzEscapeText(f *testing.F) {
	for _, s := range []string{"plain", "/\x1b]0;pwned\x07", "\r\n\t", "\xff\x9b\u0085\u202e", `a\x1b`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := escapeText(s)
		if why := safeText(got, false); why != "" {
			t.Fatalf("escapeText(%q) = %q holds %s", s, got, why)
		}
		if utf8.ValidString(s) && safeText(s, false) == "" && got != s {
			t.Fatalf("escapeText changed safe text %q to %q", s, got)
		}
	})
}

// sgrRE is an SGR as backendLine may keep it.
var sgrRE = regexp.MustCompile(`\x1b\[[0-9;:]*m`)

func FuzzBackendLine(f *testing.F) {
	for _, s := range []string{"plain", "\x1b[31mred\x1b[0m", "\x1b]0;t\x07\x1b[2J", "\x9b2J\x9d0;x\x9c", "a\rb\r", "\x1bP\x1b\\\x1b", "\x1b[1\x1b[m"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, colour := range []bool{true, false} {
			got := backendLine(s, colour)
			rest := got
			if colour {
				rest = sgrRE.ReplaceAllString(got, "")
			}
			if why := safeText(rest, true); why != "" {
				t.Fatalf("backendLine(%q, %v) = %q holds %s outside an SGR", s, colour, got, why)
			}
			if !colour && strings.Contains(got, "\x1b") {
				t.Fatalf("backendLine(%q, no colour) = %q keeps an escape", s, got)
			}
		}
	})
}

func BenchmarkEscapeText(b *testing.B) {
	for _, c := range []struct{ name, in string }{
		{"ASCII path", "/assets/css/components/navigation.css"},
		{"UTF-8 path", "/fotos/café/日本語のページ.html"},
		{"hostile path", "/\x1b]0;pwned\x07/\x1b[2J/\r\n12:00:00 forged"},
	} {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				escapeText(c.in)
			}
		})
	}
}

func BenchmarkBackendLine(b *testing.B) {
	for _, c := range []struct{ name, in string }{
		{"plain", "2026/01/02 12:00:00 GET /api/users 200 1.2ms"},
		{"coloured", "\x1b[2m2026/01/02 12:00:00\x1b[0m \x1b[32mINFO\x1b[0m GET /api/users \x1b[1m200\x1b[0m 1.2ms"},
		{"hostile", "GET /\x1b]0;pwned\x07/\x1b[2J\x1b[H 404"},
	} {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				backendLine(c.in, true)
			}
		})
	}
}
