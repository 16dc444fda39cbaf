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
		// dotfiles is Security.Dotfiles: private files are served, so their
		// changes count.
		dotfiles bool
	}{
		{"one stylesheet written", []watcher.Event{ev(watcher.Write, "css/site.css")}, msgCSSUpdate, []string{"/css/site.css"}, some, false},
		{"new stylesheet", []watcher.Event{ev(watcher.Create, "a.css")}, msgCSSUpdate, []string{"/a.css"}, some, false},
		{"two stylesheets", []watcher.Event{ev(watcher.Write, "a.css"), ev(watcher.Write, "b/c.css")}, msgCSSUpdate, []string{"/a.css", "/b/c.css"}, some, false},
		{"image", []watcher.Event{ev(watcher.Write, "img/logo.PNG")}, msgImgUpdate, []string{"/img/logo.PNG"}, all, false},
		{"favicon", []watcher.Event{ev(watcher.Write, "favicon.ico")}, msgImgUpdate, []string{"/favicon.ico"}, all, false},
		{"stylesheet and image", []watcher.Event{ev(watcher.Write, "a.css"), ev(watcher.Write, "b.svg")}, msgCSSUpdate, []string{"/a.css", "/b.svg"}, some, false},
		{"image removed", []watcher.Event{ev(watcher.Remove, "a.png")}, msgLiveReload, []string{"/a.png"}, all, false},
		{"html page", []watcher.Event{ev(watcher.Write, "index.html")}, msgLiveReload, []string{"/index.html"}, some, false},
		{"font", []watcher.Event{ev(watcher.Write, "f.woff2")}, msgLiveReload, []string{"/f.woff2"}, some, false},
		{"new page", []watcher.Event{ev(watcher.Create, "new.html")}, msgLiveReload, []string{"/new.html"}, all, false},
		{"script", []watcher.Event{ev(watcher.Write, "app.js")}, msgLiveReload, []string{"/app.js"}, all, false},
		{"template a backend reads", []watcher.Event{ev(watcher.Write, "views/x.tmpl")}, msgLiveReload, []string{"/views/x.tmpl"}, all, false},
		{"page and image", []watcher.Event{ev(watcher.Write, "a.html"), ev(watcher.Write, "b.png")}, msgLiveReload, []string{"/a.html", "/b.png"}, some, false},
		{"stylesheet and script", []watcher.Event{ev(watcher.Write, "a.css"), ev(watcher.Write, "app.js")}, msgLiveReload, []string{"/a.css", "/app.js"}, all, false},
		{"stylesheet removed", []watcher.Event{ev(watcher.Remove, "a.css")}, msgLiveReload, []string{"/a.css"}, all, false},
		{"stylesheet renamed", []watcher.Event{{Op: watcher.Rename, From: "a.css", Path: "b.css"}}, msgLiveReload, []string{"/b.css"}, all, false},
		{"folder named like a stylesheet", []watcher.Event{{Op: watcher.Create, Path: "x.css", Dir: true}}, msgLiveReload, []string{"/x.css"}, all, false},
		{"dotfile only", []watcher.Event{ev(watcher.Write, ".env")}, "", nil, some, false},
		{"inside a dot folder", []watcher.Event{ev(watcher.Write, "a/.cache/x.html")}, "", nil, some, false},
		{"dotfile beside a stylesheet", []watcher.Event{ev(watcher.Write, ".env"), ev(watcher.Write, "a.css")}, msgCSSUpdate, []string{"/a.css"}, some, false},
		{"renamed out of a dot folder", []watcher.Event{{Op: watcher.Rename, From: ".drafts/p.html", Path: "p.html"}}, msgLiveReload, []string{"/p.html"}, all, false},
		{"key file", []watcher.Event{ev(watcher.Write, "certs/dev.pem")}, "", nil, some, false},
		{"dotfile served with --dotfiles", []watcher.Event{ev(watcher.Write, ".well-known/x.html")}, msgLiveReload, []string{"/.well-known/x.html"}, some, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			u, ok := reloadMessage(watcher.Batch{Events: c.batch}, c.dotfiles)
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

func TestSummary(t *testing.T) {
	cases := []struct {
		name  string
		paths []string
		want  string
	}{
		{"one file", []string{"/css/site.css"}, "css/site.css"},
		{"a folder", []string{"/src/a.js", "/src/b/c.js", "/src/d.js"}, "3 files in src/"},
		{"a deeper folder", []string{"/src/ui/a.js", "/src/ui/b.js"}, "2 files in src/ui/"},
		{"no folder in common", []string{"/a.js", "/src/b.js"}, "2 files"},
		{"a sibling is not inside", []string{"/src/a.js", "/srcx/b.js"}, "2 files"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := summary(c.paths); got != c.want {
				t.Errorf("summary(%q) = %q, want %q", c.paths, got, c.want)
			}
		})
	}
}
