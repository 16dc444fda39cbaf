package main

import (
	"context"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/hotserve/hotserve/internal/syncbuf"
)

// browserRecord is a page's console line as the devserver logs it.
func browserRecord(text string, attrs ...slog.Attr) slog.Record {
	r := slog.NewRecord(time.Date(2026, 1, 2, 12, 4, 31, 0, time.UTC), slog.LevelError, "about.html · "+text, 0)
	r.AddAttrs(slog.String("source", "browser"), slog.String("page", "about.html"), slog.String("console", "error"),
		slog.String("kind", "uncaught"), slog.String("text", text))
	r.AddAttrs(attrs...)
	return r
}

func TestTerminalBrowserLine(t *testing.T) {
	at := []slog.Attr{slog.String("file", "js/app.js"), slog.String("path", "/site/js/app.js"), slog.Int("line", 12), slog.Int("col", 5)}
	cases := []struct {
		name  string
		links bool
		rec   slog.Record
		want  string
	}{
		{"plain", false, browserRecord("TypeError: x is undefined", at...), "12:04:31 about.html · TypeError: x is undefined · js/app.js:12:5"},
		{"a hyperlink", true, browserRecord("TypeError: x is undefined", at...),
			"12:04:31 about.html · TypeError: x is undefined · \x1b]8;;file:///site/js/app.js\x1b\\js/app.js:12:5\x1b]8;;\x1b\\"},
		{"escapes", false, browserRecord("\x1b[2J\x1b]0;pwned\x07\x1b]52;c;eA==\x07 \u202e", at...),
			`12:04:31 about.html · \x1b[2J\x1b]0;pwned\x07\x1b]52;c;eA==\x07 \u202e · js/app.js:12:5`},
		{"a link's path is escaped", true, browserRecord("e", slog.String("file", "a.js"), slog.String("path", "/site/\x1b]0;x\x07 a.js"), slog.Int("line", 1), slog.Int("col", 0)),
			"12:04:31 about.html · e · \x1b]8;;file:///site/%1B%5D0;x%07%20a.js\x1b\\a.js:1\x1b]8;;\x1b\\"},
		{"repeats", false, browserRecord("boom", append(at, slog.Int("repeats", 12))...), "12:04:31 about.html · boom · js/app.js:12:5 ×12"},
		{"elsewhere", false, browserRecord("boom", slog.String("url", "https://cdn.example/lib.js"), slog.Int("line", 1), slog.Int("col", 2)), "12:04:31 about.html · boom · https://cdn.example/lib.js:1:2"},
		{"long", false, browserRecord(strings.Repeat("é", 1000)), "12:04:31 about.html · " + strings.Repeat("é", shownConsoleText/2) + "…"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var out syncbuf.Buffer
			term := newTerm(&out, "text", false)
			term.links = c.links
			if err := term.handler().Handle(context.Background(), c.rec); err != nil {
				t.Fatal(err)
			}
			if have := strings.TrimSuffix(out.String(), "\n"); have != c.want {
				t.Errorf("\nhave %q\nwant %q", have, c.want)
			}
		})
	}
}

func TestHyperlinks(t *testing.T) {
	cases := []struct {
		env  map[string]string
		want bool
	}{
		{map[string]string{}, false},
		{map[string]string{"TERM_PROGRAM": "iTerm.app"}, true},
		{map[string]string{"TERM_PROGRAM": "vscode"}, true},
		{map[string]string{"TERM_PROGRAM": "Apple_Terminal"}, false},
		{map[string]string{"VTE_VERSION": "7201"}, true},
		{map[string]string{"VTE_VERSION": "4600"}, false},
		{map[string]string{"WT_SESSION": "x"}, true},
		{map[string]string{"TERM": "xterm-kitty"}, true},
		{map[string]string{"TERM_PROGRAM": "WezTerm", "TMUX": "/tmp/tmux"}, false},
		{map[string]string{"FORCE_HYPERLINK": "1", "TERM": "dumb"}, true},
		{map[string]string{"FORCE_HYPERLINK": "0", "WT_SESSION": "x"}, false},
	}
	for _, c := range cases {
		if have := hyperlinks(func(k string) string { return c.env[k] }); have != c.want {
			t.Errorf("%v: %v, want %v", c.env, have, c.want)
		}
	}
}
