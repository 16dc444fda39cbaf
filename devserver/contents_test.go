package devserver

import (
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hotserve/hotserve/watcher"
)

func writes(paths ...string) watcher.Batch {
	b := watcher.Batch{Start: time.Now()}
	for _, p := range paths {
		b.Events = append(b.Events, watcher.Event{Op: watcher.Write, Path: p})
	}
	return b
}

func eventPaths(b watcher.Batch) []string {
	var p []string
	for _, e := range b.Events {
		p = append(p, e.Path)
	}
	return p
}

func TestContentsDropsRewritesWithTheSameBytes(t *testing.T) {
	dir := t.TempDir()
	put := func(name, text string) {
		t.Helper()
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer root.Close()
	c := newContents(root)
	put("a.html", "a")
	put("b.html", "b")
	put("big.bin", "")
	if err := os.Truncate(filepath.Join(dir, "big.bin"), maxHashBytes+1); err != nil {
		t.Fatal(err)
	}
	steps := []struct {
		what  string
		do    func()
		batch watcher.Batch
		want  []string
	}{
		{"first build: nothing to compare with", nil, writes("a.html", "b.html", "big.bin"), []string{"a.html", "b.html", "big.bin"}},
		{"rebuild, one page changed", func() { put("b.html", "b2") }, writes("a.html", "b.html", "big.bin"), []string{"b.html", "big.bin"}},
		{"rebuild, nothing changed", nil, writes("a.html", "b.html"), nil},
		{"a save without a change, alone", nil, writes("a.html"), nil},
		{"a touch", nil, watcher.Batch{Events: []watcher.Event{{Op: watcher.Write, Path: "a.html", Touch: true}}}, []string{"a.html"}},
		{"a file that is gone", func() { os.Remove(filepath.Join(dir, "b.html")) }, writes("a.html", "b.html"), []string{"b.html"}},
		{"back with the bytes it had", func() { put("b.html", "b2") }, writes("a.html", "b.html"), []string{"b.html"}},
		{"created again with the same bytes", nil,
			watcher.Batch{Events: []watcher.Event{{Op: watcher.Write, Path: "a.html"}, {Op: watcher.Create, Path: "b.html"}}}, []string{"b.html"}},
		{"renamed away", nil,
			watcher.Batch{Events: []watcher.Event{{Op: watcher.Rename, From: "a.html", Path: "c.html"}, {Op: watcher.Write, Path: "b.html"}}}, []string{"c.html"}},
		{"a folder", nil, watcher.Batch{Events: []watcher.Event{{Op: watcher.Write, Path: "b.html"}, {Op: watcher.Create, Path: "d", Dir: true}}}, []string{"d"}},
	}
	for _, s := range steps {
		if s.do != nil {
			s.do()
		}
		if have := eventPaths(c.changed(s.batch)); !slices.Equal(have, s.want) {
			t.Errorf("%s: kept %q, want %q", s.what, have, s.want)
		}
	}
}

// TestRebuildReloadsOnlyTheChangedPage runs a real server with a tab on
// each of two pages: a generator that rewrites both, with the bytes of
// one changed, reloads only that one's tab.
func TestRebuildReloadsOnlyTheChangedPage(t *testing.T) {
	s, wsURL := startServer(t, Config{})
	root := s.cfg.Root
	os.Mkdir(filepath.Join(root, "posts"), 0o755)
	page := func(name, body string) {
		t.Helper()
		html := `<!doctype html><link rel=stylesheet href="/style.css"><h1>` + body + `</h1>`
		if err := os.WriteFile(filepath.Join(root, "posts", name), []byte(html), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	page("a.html", "A")
	page("b.html", "B")
	os.WriteFile(filepath.Join(root, "style.css"), []byte("h1{color:red}"), 0o644)
	base := "http" + strings.TrimSuffix(strings.TrimPrefix(wsURL, "ws"), "/__hotserve/ws")
	for _, p := range []string{"a", "b"} {
		for _, get := range [][2]string{{"/posts/" + p + ".html", ""}, {"/style.css", base + "/posts/" + p + ".html"}} {
			rq, _ := http.NewRequest("GET", base+get[0], nil)
			if get[1] != "" {
				rq.Header.Set("Referer", get[1])
			}
			resp, err := http.DefaultClient.Do(rq)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
		}
	}
	tabA, tabB := dial(t, wsURL+"?page=/posts/a.html", 0), dial(t, wsURL+"?page=/posts/b.html", 0)
	readMessage(t, tabA)
	readMessage(t, tabB)
	waitFor(t, "2 tabs", 5*time.Second, func() bool { return s.Tabs() == 2 })

	build := writes("posts/a.html", "posts/b.html", "style.css")
	s.Update(build) // the first build after start: every file is new to the server
	readMessage(t, tabA)
	readMessage(t, tabB)

	page("b.html", "B, edited")
	if typ := s.Update(build); typ != msgLiveReload {
		t.Fatalf("rebuild sent %q, want %q", typ, msgLiveReload)
	}
	if m := readMessage(t, tabB); m.Type != msgLiveReload || !slices.Equal(m.Paths, []string{"/posts/b.html"}) {
		t.Errorf("tab on b got %+v, want a reload for /posts/b.html alone", m)
	}
	// The next update for every tab is the first that the tab on a sees.
	s.Update(watcher.Batch{Events: []watcher.Event{{Op: watcher.Create, Path: "posts/new.html"}}, Start: time.Now()})
	if m := readMessage(t, tabA); !slices.Equal(m.Paths, []string{"/posts/new.html"}) {
		t.Errorf("tab on a got %+v, want nothing before the new page's update", m)
	}
	if typ := s.Update(build); typ != "" {
		t.Errorf("a rebuild that changed no byte sent %q, want nothing", typ)
	}
}
