package devserver

import (
	"strings"
	"testing"

	"github.com/hotserve/hotserve/watcher"
)

func TestMorphMessage(t *testing.T) {
	ev := func(op watcher.Op, p string) watcher.Event { return watcher.Event{Op: op, Path: p} }
	cases := []struct {
		name  string
		batch []watcher.Event
		morph bool // what the server is set to
		want  bool // the live-reload offers a morph
	}{
		{"a page edited", []watcher.Event{ev(watcher.Write, "about.html")}, true, true},
		{"an .htm page edited", []watcher.Event{ev(watcher.Write, "old/page.HTM")}, true, true},
		{"with --no-morph", []watcher.Event{ev(watcher.Write, "about.html")}, false, false},
		{"a page and its stylesheet", []watcher.Event{ev(watcher.Write, "about.html"), ev(watcher.Write, "site.css")}, true, true},
		{"a page and an image", []watcher.Event{ev(watcher.Write, "about.html"), ev(watcher.Write, "logo.png")}, true, true},
		{"a new page", []watcher.Event{ev(watcher.Create, "new.html")}, true, false},
		{"a page removed", []watcher.Event{ev(watcher.Remove, "about.html")}, true, false},
		{"a page and a script", []watcher.Event{ev(watcher.Write, "about.html"), ev(watcher.Write, "app.js")}, true, false},
		{"a page and a font", []watcher.Event{ev(watcher.Write, "about.html"), ev(watcher.Write, "f.woff2")}, true, false},
		{"a font alone", []watcher.Event{ev(watcher.Write, "f.woff2")}, true, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			u, ok := morphMessage(watcher.Batch{Events: c.batch}, false, c.morph)
			if !ok || u.msg.Type != msgLiveReload {
				t.Fatalf("sent %+v (ok %v), want a live-reload", u.msg, ok)
			}
			if u.msg.Morph != c.want {
				t.Errorf("morph = %v, want %v", u.msg.Morph, c.want)
			}
		})
	}
	if u, _ := morphMessage(watcher.Batch{Events: []watcher.Event{ev(watcher.Write, "a.css")}}, false, true); u.msg.Type != msgCSSUpdate || u.msg.Morph {
		t.Errorf("a stylesheet alone sent %+v, want a css-update without morph", u.msg)
	}
}

func TestMorphOutcomeLine(t *testing.T) {
	cases := []struct {
		name string
		acks []ack
		tabs int
		want string // the line up to the save-to-paint figure
	}{
		{"morphed", []ack{{Did: "morphed"}}, 1, "about.html → morphed · 1 tab · "},
		{"turned down", []ack{{Did: "reloaded", Reason: "script changed"}}, 1, "about.html → live-reload (script changed) · 1 tab · "},
		{"some of each", []ack{{Did: "morphed"}, {Did: "morphed"}, {Did: "reloaded", Reason: "script changed"}}, 3,
			"about.html → morphed in 2, live-reload (script changed) in 1 · 3 tabs · "},
		{"a plain reload", []ack{{Did: "reloaded"}}, 1, "about.html → live-reload · 1 tab · "},
		{"hot-updated", []ack{{Did: "hot-update", Boundaries: []string{"/src/counter.js"}}}, 1,
			"about.html → hot-update (src/counter.js) · 1 tab · "},
		{"hot here, reloaded there", []ack{{Did: "hot-update", Boundaries: []string{"/a.js", "/b.js"}}, {Did: "reloaded", Reason: "no module accepts src/x.js"}}, 2,
			"about.html → hot-update (a.js, b.js) in 1, live-reload (no module accepts src/x.js) in 1 · 2 tabs · "},
		{"many boundaries", []ack{{Did: "hot-update", Boundaries: []string{"/a.js", "/b.js", "/c.js", "/d.js", "/e.js"}}}, 1,
			"about.html → hot-update (a.js, b.js, c.js, 2 more) · 1 tab · "},
		{"hot update failed", []ack{{Did: "hot-failed", Reason: "SyntaxError: Unexpected token '}'"}}, 1,
			"about.html → hot update failed (SyntaxError: Unexpected token '}') · 1 tab · "},
		{"a boundary with control characters", []ack{{Did: "hot-update", Boundaries: []string{"/a\x1b[2J.js"}}}, 1,
			"about.html → hot-update (a [2J.js) · 1 tab · "},
		{"control characters from the page", []ack{{Did: "reloaded", Reason: "x\x1b[2J\r\ny"}}, 1, "about.html → live-reload (x [2J y) · 1 tab · "},
		{"a page that sends many reasons", []ack{
			{Did: "reloaded", Reason: "a"}, {Did: "reloaded", Reason: "b"}, {Did: "reloaded", Reason: "c"},
			{Did: "reloaded", Reason: "d"}, {Did: "reloaded", Reason: "e"}, {Did: "reloaded", Reason: "f"},
		}, 6, "about.html → live-reload (a, b, c, d, other reasons) · 6 tabs · "},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := &pendingUpdate{what: "about.html", typ: msgLiveReload, tabs: c.tabs}
			for _, k := range c.acks {
				p.applied++
				p.count(k)
			}
			if line := p.line(); !strings.HasPrefix(line, c.want) || !strings.HasSuffix(line, " ms save-to-paint") {
				t.Errorf("have: %s\nwant: %s… ms save-to-paint", line, c.want)
			}
		})
	}
	if r := fallbackReason(strings.Repeat("é", 200)); len([]rune(r)) != maxReasonLen+1 {
		t.Errorf("a 200-rune reason became %d runes, want %d and an ellipsis", len([]rune(r)), maxReasonLen)
	}
}
