package main

import (
	"log/slog"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
	"unicode/utf8"
)

// A line from a page's console (the devserver logs it with source
// "browser") is printed as the person reads it,
//
//	12:04:31 about.html · TypeError: x is undefined · js/app.js:12:5
//
// every part escaped (escapeText: a page's text is the most hostile thing
// hotserve prints) and the message cut to shownConsoleText, with the place
// a link to the file on terminals that follow OSC 8 hyperlinks.
const shownConsoleText = 300

// browserLine renders r when it is a page's console line.
func (h *termHandler) browserLine(r slog.Record) (string, bool) {
	attrs := map[string]slog.Value{}
	r.Attrs(func(a slog.Attr) bool { attrs[a.Key] = a.Value.Resolve(); return true })
	if attrs["source"].String() != "browser" {
		return "", false
	}
	t := h.t
	if attrs["text"].Kind() != slog.KindString {
		// The devserver's own sentence about the page: what was left out.
		return t.dim.Render(r.Time.Format("15:04:05")) + " " + t.warn.Render(escapeText(r.Message)), true
	}
	style := t.bold
	switch attrs["console"].String() {
	case "error":
		style = t.fail
	case "warn":
		style = t.warn
	case "info", "log":
		style = t.dim.UnsetFaint()
	}
	var sb strings.Builder
	sb.WriteString(t.dim.Render(r.Time.Format("15:04:05")))
	sb.WriteString(" " + t.dim.Render(escapeText(attrs["page"].String())+" ·") + " ")
	sb.WriteString(style.Render(cutText(escapeText(attrs["text"].String()), shownConsoleText)))
	if where := place(attrs); where != "" {
		where = t.dim.Render(escapeText(where))
		if path := attrs["path"].String(); t.links && path != "" && attrs["path"].Kind() == slog.KindString {
			where = hyperlink(fileURL(path), where)
		}
		sb.WriteString(" " + t.dim.Render("·") + " " + where)
	}
	if n := attrs["repeats"]; n.Kind() == slog.KindInt64 {
		sb.WriteString(" " + t.bold.Render("×"+strconv.FormatInt(n.Int64(), 10)))
	}
	return sb.String(), true
}

// place is the line's "file:line:col", from the folder path or the URL.
func place(attrs map[string]slog.Value) string {
	where := ""
	if v, ok := attrs["file"]; ok {
		where = v.String()
	} else if v, ok := attrs["url"]; ok {
		where = cutText(v.String(), 120)
	}
	if v, ok := attrs["line"]; ok && where != "" && v.Kind() == slog.KindInt64 && v.Int64() > 0 {
		where += ":" + strconv.FormatInt(v.Int64(), 10)
		if c := attrs["col"]; c.Kind() == slog.KindInt64 && c.Int64() > 0 {
			where += ":" + strconv.FormatInt(c.Int64(), 10)
		}
	}
	return where
}

// cutText cuts s to n bytes at a character boundary, marking the cut.
func cutText(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}

// hyperlink wraps text in an OSC 8 hyperlink to target, which must hold
// no control character (fileURL escapes them).
func hyperlink(target, text string) string {
	return "\x1b]8;;" + target + "\x1b\\" + text + "\x1b]8;;\x1b\\"
}

// fileURL is the file: URL of the absolute path, every byte that is not
// plain in a URL percent-escaped.
func fileURL(path string) string {
	p := filepath.ToSlash(path)
	if !strings.HasPrefix(p, "/") {
		p = "/" + p // C:/x
	}
	return (&url.URL{Scheme: "file", Path: p}).String()
}

// hyperlinks reports whether the terminal described by getenv shows OSC 8
// hyperlinks, for output that is a terminal (never a pipe or a file).
// FORCE_HYPERLINK=1 or 0 decides, as for other tools; otherwise only
// terminals known to follow them, since the others may print the escape.
// tmux and screen pass it on only when configured to, so not under them.
func hyperlinks(getenv func(string) string) bool {
	switch getenv("FORCE_HYPERLINK") {
	case "1":
		return true
	case "0":
		return false
	}
	term := getenv("TERM")
	if getenv("TMUX") != "" || strings.HasPrefix(term, "screen") || term == "dumb" {
		return false
	}
	switch getenv("TERM_PROGRAM") {
	case "iTerm.app", "WezTerm", "vscode", "ghostty", "Hyper", "Tabby", "rio", "WarpTerminal":
		return true
	}
	if v, err := strconv.Atoi(getenv("VTE_VERSION")); err == nil && v >= 5000 {
		return true // GNOME Terminal, Tilix, Terminator, …
	}
	if v, err := strconv.Atoi(getenv("KONSOLE_VERSION")); err == nil && v >= 200400 {
		return true
	}
	return getenv("WT_SESSION") != "" || getenv("KITTY_WINDOW_ID") != "" ||
		term == "xterm-kitty" || term == "foot" || strings.HasPrefix(term, "alacritty")
}
