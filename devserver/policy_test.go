package devserver

import (
	"slices"
	"testing"

	"github.com/hotserve/hotserve/watcher"
)

func TestReloadMessage(t *testing.T) {
	ev := func(op watcher.Op, p string) watcher.Event { return watcher.Event{Op: op, Path: p} }
	cases := []struct {
		name  string
		batch []watcher.Event
		typ   string // "" = nothing sent
		paths []string
	}{
		{"one stylesheet written", []watcher.Event{ev(watcher.Write, "css/site.css")}, msgCSSUpdate, []string{"/css/site.css"}},
		{"new stylesheet", []watcher.Event{ev(watcher.Create, "a.css")}, msgCSSUpdate, []string{"/a.css"}},
		{"two stylesheets", []watcher.Event{ev(watcher.Write, "a.css"), ev(watcher.Write, "b/c.css")}, msgCSSUpdate, []string{"/a.css", "/b/c.css"}},
		{"html page", []watcher.Event{ev(watcher.Write, "index.html")}, msgLiveReload, []string{"/index.html"}},
		{"stylesheet and script", []watcher.Event{ev(watcher.Write, "a.css"), ev(watcher.Write, "app.js")}, msgLiveReload, []string{"/a.css", "/app.js"}},
		{"stylesheet removed", []watcher.Event{ev(watcher.Remove, "a.css")}, msgLiveReload, []string{"/a.css"}},
		{"stylesheet renamed", []watcher.Event{{Op: watcher.Rename, From: "a.css", Path: "b.css"}}, msgLiveReload, []string{"/b.css"}},
		{"folder named like a stylesheet", []watcher.Event{{Op: watcher.Create, Path: "x.css", Dir: true}}, msgLiveReload, []string{"/x.css"}},
		{"dotfile only", []watcher.Event{ev(watcher.Write, ".env")}, "", nil},
		{"inside a dot folder", []watcher.Event{ev(watcher.Write, "a/.cache/x.html")}, "", nil},
		{"dotfile beside a stylesheet", []watcher.Event{ev(watcher.Write, ".env"), ev(watcher.Write, "a.css")}, msgCSSUpdate, []string{"/a.css"}},
		{"renamed out of a dot folder", []watcher.Event{{Op: watcher.Rename, From: ".drafts/p.html", Path: "p.html"}}, msgLiveReload, []string{"/p.html"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m, ok := reloadMessage(watcher.Batch{Events: c.batch})
			if c.typ == "" {
				if ok {
					t.Fatalf("sent %+v, want nothing", m)
				}
				return
			}
			if m.Type != c.typ || !slices.Equal(m.Paths, c.paths) {
				t.Errorf("have: %s %v\nwant: %s %v", m.Type, m.Paths, c.typ, c.paths)
			}
		})
	}
}
