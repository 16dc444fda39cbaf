package watcher

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// writeFiles writes each file (slash path under dir) with its content,
// making the folders on the way.
func writeFiles(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, body := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func TestMountChangesComeUnderTheMountPath(t *testing.T) {
	for _, poll := range []bool{false, true} {
		name := "native"
		if poll {
			name = "poll"
		}
		t.Run(name, func(t *testing.T) {
			root, lib := t.TempDir(), t.TempDir()
			writeFiles(t, lib, map[string]string{"lib.css": "a{}", "css/x.css": "b{}"})
			w := newWatcher(t, Options{Root: root, Poll: poll, Mounts: []Mount{{Path: "vendor", Root: lib}}})
			writeFiles(t, lib, map[string]string{"css/x.css": "b{color:red}"})
			b, ok := nextBatch(t, w, 5*time.Second)
			if !ok || b.String() != "write vendor/css/x.css" {
				t.Fatalf("batch %q (ok=%v), want \"write vendor/css/x.css\"", b, ok)
			}
			if s := w.Stats(); s.Dirs != 3 || s.Files != 2 {
				t.Errorf("Stats() = %+v, want 3 folders (root, mount, its css/) and 2 files", s)
			}
		})
	}
}

func TestBurstAcrossMountsIsOneBatch(t *testing.T) {
	root, a, b := t.TempDir(), t.TempDir(), t.TempDir()
	w := newWatcher(t, Options{Root: root, Mounts: []Mount{{Path: "a", Root: a}, {Path: "lib/b", Root: b}}})
	writeFiles(t, root, map[string]string{"index.html": "x"})
	writeFiles(t, a, map[string]string{"a.css": "x"})
	writeFiles(t, b, map[string]string{"b.js": "x"})
	batch, ok := nextBatch(t, w, 5*time.Second)
	if !ok {
		t.Fatal("no batch within 5s")
	}
	// A build across folders may be cut in two, as in one folder (see
	// buildQuiet); three files written at once are one burst.
	want := "create a/a.css\ncreate index.html\ncreate lib/b/b.js"
	if batch.String() != want {
		t.Errorf("have:\n%s\nwant:\n%s", indent(batch.String()), indent(want))
	}
	if more, ok := nextBatch(t, w, 300*time.Millisecond); ok {
		t.Errorf("second batch, want one:\n%s", indent(more.String()))
	}
}

func TestMountHasItsOwnGitignore(t *testing.T) {
	root, lib := t.TempDir(), t.TempDir()
	writeFiles(t, root, map[string]string{".gitignore": "*.css\n"})
	writeFiles(t, lib, map[string]string{".gitignore": "gen/\n", "gen/.keep": ""})
	w := newWatcher(t, Options{Root: root, Mounts: []Mount{{Path: "vendor", Root: lib}}})
	writeFiles(t, lib, map[string]string{"gen/out.js": "x"})
	if b, ok := nextBatch(t, w, 300*time.Millisecond); ok {
		t.Fatalf("batch %q for a path the mount's .gitignore hides, want none", b)
	}
	// The root's "*.css" is the root's: the mount's stylesheets are
	// watched.
	writeFiles(t, lib, map[string]string{"lib.css": "x"})
	if b, ok := nextBatch(t, w, 5*time.Second); !ok || b.String() != "create vendor/lib.css" {
		t.Fatalf("batch %q (ok=%v), want \"create vendor/lib.css\"", b, ok)
	}
}

func TestMountsValidate(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "f")
	writeFiles(t, dir, map[string]string{"f": ""})
	for _, tc := range []struct {
		name   string
		mounts []Mount
		want   string
	}{
		{"missing folder", []Mount{{Path: "v", Root: filepath.Join(dir, "nope")}}, `mount "v": root`},
		{"a file", []Mount{{Path: "v", Root: file}}, "not a directory"},
		{"two on one path", []Mount{{Path: "v", Root: dir}, {Path: "v", Root: dir}}, `two mounts at "v"`},
		{"absolute path", []Mount{{Path: "/v", Root: dir}}, "not a clean relative slash path"},
		{"climbing path", []Mount{{Path: "../v", Root: dir}}, "not a clean relative slash path"},
		{"empty path", []Mount{{Root: dir}}, "not a clean relative slash path"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w, err := New(Options{Root: dir, Mounts: tc.mounts})
			if err == nil {
				w.Close()
				t.Fatalf("New succeeded, want error containing %q", tc.want)
			}
			if !strings.Contains(err.Error(), tc.want) || !strings.HasPrefix(err.Error(), "watcher: ") {
				t.Errorf("error %q, want it to start with \"watcher: \" and contain %q", err, tc.want)
			}
		})
	}
}

func TestMountStatsNameAMountWatchedAnotherWay(t *testing.T) {
	rs := &roots{paths: []string{"", "vendor"}, srcs: []source{
		fixedStats{Mode: "inotify", Dirs: 2, WatchesUsed: 2, WatchesLimit: 100, UserWatches: 12},
		fixedStats{Mode: "poll", ModeReason: "a network file system (nfs4)", Dirs: 5},
	}}
	s := rs.stats()
	if s.Mode != "inotify" || s.ModeReason != "vendor: poll, a network file system (nfs4)" {
		t.Errorf("Mode %q, ModeReason %q; want the root's mode and the mount's named", s.Mode, s.ModeReason)
	}
	if s.Dirs != 7 || s.WatchesUsed != 2 || s.UserWatches != 12 {
		t.Errorf("Stats() = %+v, want 7 folders, 2 watches used, 12 for the user", s)
	}
}

// fixedStats is a source that only has figures.
type fixedStats Stats

func (f fixedStats) run(chan<- rawEvent, <-chan struct{}) {}
func (f fixedStats) stats() Stats                         { return Stats(f) }
func (f fixedStats) close() error                         { return nil }
