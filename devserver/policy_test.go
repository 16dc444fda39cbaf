package devserver

import (
	"slices"
	"testing"

	"github.com/hotserve/hotserve/watcher"
)

func TestReloadMessage(t *testing.T) {
	ev := func(op watcher.Op, p string) watcher.Event { return watcher.Event{Op: op, Path: p} }
	const some, all = false, true
	cases := []struct {
		name  string
		batch []watcher.Event
		typ   string // "" = nothing sent
		paths []string
		all   bool // for every tab, not only those that loaded a path
	}{
		{"one stylesheet written", []watcher.Event{ev(watcher.Write, "css/site.css")}, msgCSSUpdate, []string{"/css/site.css"}, some},
		{"new stylesheet", []watcher.Event{ev(watcher.Create, "a.css")}, msgCSSUpdate, []string{"/a.css"}, some},
		{"two stylesheets", []watcher.Event{ev(watcher.Write, "a.css"), ev(watcher.Write, "b/c.css")}, msgCSSUpdate, []string{"/a.css", "/b/c.css"}, some},
		{"image", []watcher.Event{ev(watcher.Write, "img/logo.PNG")}, msgImgUpdate, []string{"/img/logo.PNG"}, all},
		{"favicon", []watcher.Event{ev(watcher.Write, "favicon.ico")}, msgImgUpdate, []string{"/favicon.ico"}, all},
		{"stylesheet and image", []watcher.Event{ev(watcher.Write, "a.css"), ev(watcher.Write, "b.svg")}, msgCSSUpdate, []string{"/a.css", "/b.svg"}, some},
		{"image removed", []watcher.Event{ev(watcher.Remove, "a.png")}, msgLiveReload, []string{"/a.png"}, all},
		{"html page", []watcher.Event{ev(watcher.Write, "index.html")}, msgLiveReload, []string{"/index.html"}, some},
		{"font", []watcher.Event{ev(watcher.Write, "f.woff2")}, msgLiveReload, []string{"/f.woff2"}, some},
		{"new page", []watcher.Event{ev(watcher.Create, "new.html")}, msgLiveReload, []string{"/new.html"}, all},
		{"script", []watcher.Event{ev(watcher.Write, "app.js")}, msgLiveReload, []string{"/app.js"}, all},
		{"template a backend reads", []watcher.Event{ev(watcher.Write, "views/x.tmpl")}, msgLiveReload, []string{"/views/x.tmpl"}, all},
		{"page and image", []watcher.Event{ev(watcher.Write, "a.html"), ev(watcher.Write, "b.png")}, msgLiveReload, []string{"/a.html", "/b.png"}, some},
		{"stylesheet and script", []watcher.Event{ev(watcher.Write, "a.css"), ev(watcher.Write, "app.js")}, msgLiveReload, []string{"/a.css", "/app.js"}, all},
		{"stylesheet removed", []watcher.Event{ev(watcher.Remove, "a.css")}, msgLiveReload, []string{"/a.css"}, all},
		{"stylesheet renamed", []watcher.Event{{Op: watcher.Rename, From: "a.css", Path: "b.css"}}, msgLiveReload, []string{"/b.css"}, all},
		{"folder named like a stylesheet", []watcher.Event{{Op: watcher.Create, Path: "x.css", Dir: true}}, msgLiveReload, []string{"/x.css"}, all},
		{"dotfile only", []watcher.Event{ev(watcher.Write, ".env")}, "", nil, some},
		{"inside a dot folder", []watcher.Event{ev(watcher.Write, "a/.cache/x.html")}, "", nil, some},
		{"dotfile beside a stylesheet", []watcher.Event{ev(watcher.Write, ".env"), ev(watcher.Write, "a.css")}, msgCSSUpdate, []string{"/a.css"}, some},
		{"renamed out of a dot folder", []watcher.Event{{Op: watcher.Rename, From: ".drafts/p.html", Path: "p.html"}}, msgLiveReload, []string{"/p.html"}, all},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			u, ok := reloadMessage(watcher.Batch{Events: c.batch})
			if c.typ == "" {
				if ok {
					t.Fatalf("sent %+v, want nothing", u.msg)
				}
				return
			}
			if u.msg.Type != c.typ || !slices.Equal(u.msg.Paths, c.paths) || u.all != c.all {
				t.Errorf("have: %s %v all=%v\nwant: %s %v all=%v", u.msg.Type, u.msg.Paths, u.all, c.typ, c.paths, c.all)
			}
		})
	}
}
