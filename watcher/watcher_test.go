package watcher

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

func TestNewValidates(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "f")
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		opts Options
		want string // substring of the error
	}{
		{"no root", Options{}, "watcher: Options.Root is empty"},
		{"missing root", Options{Root: filepath.Join(dir, "nope")}, "does not exist"},
		{"root is a file", Options{Root: file}, "not a directory"},
		{"negative debounce", Options{Root: dir, Debounce: -time.Second}, "want 0 (the default, 10ms) or a positive duration"},
		{"negative max delay", Options{Root: dir, MaxDelay: -1}, "want 0 (the default, 2s) or a positive duration"},
		{"max delay below debounce", Options{Root: dir, Debounce: time.Second, MaxDelay: time.Millisecond}, "want MaxDelay >= Debounce"},
		{"debounce above the default max delay", Options{Root: dir, Debounce: 3 * time.Second}, "MaxDelay 2s is shorter than Debounce 3s"},
		{"bad glob", Options{Root: dir, Ignore: []string{"[a-"}}, `ignore pattern "[a-" is not a valid glob`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w, err := New(tc.opts)
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

func TestIgnore(t *testing.T) {
	ig, err := newIgnorer([]string{"*.log", "dist", "build/**", "docs/*.tmp"}, true)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		path string
		want bool
	}{
		{"node_modules", true},
		{"a/b/node_modules", true},
		{".git", true},
		{"index.html", false},
		{"index.html~", true},
		{".index.html.swp", true},
		{".index.html.swx", true},
		{"4913", true},
		{"2024", false}, // a blog's year folder is not a vim probe
		{"css/.#site.css", true},
		{"#notes.md#", true},
		{"app.js___jb_tmp___", true},
		{"app.js___jb_old___", true},
		{"subl.tmp", false},
		{".subl5f3.tmp", true},
		{"settings.json.vsctmp", true},
		{"x/.DS_Store", true},
		{"server.log", true},
		{"logs/server.log", true},
		{"dist", true},
		{"src/dist", true},
		{"build", true}, // "build/**" also hides the folder, so it is never watched
		{"build/x.js", true},
		{"src/build", false},
		{"docs/a.tmp", true},
		{"a.tmp", false},
		{"docs/~$report.docx", true},
		{"~WRL0001.tmp", true},
		{"x/Thumbs.db", true},
	} {
		if have := ig.match(tc.path, false); have != tc.want {
			t.Errorf("match(%q) = %v, want %v", tc.path, have, tc.want)
		}
	}
}

// newWatcher starts a watcher on a fresh folder and closes it at the end of
// the test, logging its errors.
func newWatcher(t testing.TB, opts Options) *Watcher {
	t.Helper()
	if opts.Root == "" {
		opts.Root = t.TempDir()
	}
	w, err := New(opts)
	if err != nil {
		t.Fatal(err)
	}
	logged := logErrors(t, w)
	t.Cleanup(func() {
		if err := w.Close(); err != nil {
			t.Error(err)
		}
		<-logged
	})
	return w
}

func TestBurstIsOneBatch(t *testing.T) {
	w := newWatcher(t, Options{Debounce: 100 * time.Millisecond})
	root := w.src.(*nativeSource).sc.root
	var want []string
	for i := range 200 {
		name := fmt.Sprintf("f%03d.txt", i)
		if err := os.WriteFile(filepath.Join(root, name), []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
		want = append(want, "create "+name)
	}
	b, ok := nextBatch(t, w, 5*time.Second)
	if !ok {
		t.Fatal("no batch within 5s")
	}
	if have := b.String(); have != strings.Join(want, "\n") {
		t.Errorf("have %d events:\n%s", len(b.Events), indent(have))
	}
	if b, ok := nextBatch(t, w, 300*time.Millisecond); ok {
		t.Errorf("second batch, want one:\n%s", indent(b.String()))
	}
	if s := w.Stats(); s.Files != 200 || s.Batches != 1 || s.Events < 200 {
		t.Errorf("Stats() = %+v, want 200 files, 1 batch, at least 200 events", s)
	}
}

// TestContinuousWriter: a file written every 10ms never leaves a quiet
// period, yet batches arrive at least every MaxDelay.
func TestContinuousWriter(t *testing.T) {
	const maxDelay = 300 * time.Millisecond
	w := newWatcher(t, Options{MaxDelay: maxDelay})
	file := filepath.Join(w.src.(*nativeSource).sc.root, "build.log")

	stop := make(chan struct{})
	writerDone := make(chan error, 1)
	go func() {
		f, err := os.Create(file)
		if err != nil {
			writerDone <- err
			return
		}
		defer f.Close()
		tick := time.NewTicker(10 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-stop:
				writerDone <- nil
				return
			case <-tick.C:
				if _, err := f.WriteString("line\n"); err != nil {
					writerDone <- err
					return
				}
			}
		}
	}()

	// Scheduling on a loaded 2-core machine under -race adds jitter; the
	// point is that a batch comes every MaxDelay, not once the writer stops.
	const slack = 150 * time.Millisecond
	start := time.Now()
	last := start
	var batches int
	for time.Since(start) < 3*time.Second {
		b, ok := nextBatch(t, w, maxDelay+slack)
		if !ok {
			t.Fatalf("no batch for %v after %d batches; want one at least every %v", maxDelay+slack, batches, maxDelay)
		}
		now := time.Now()
		if len(b.Events) != 1 || b.Events[0].Path != "build.log" {
			t.Errorf("batch %q, want build.log only", b)
		}
		if age := now.Sub(b.Start); age > maxDelay+slack {
			t.Errorf("batch delivered %v after its first event, want at most %v", age, maxDelay)
		}
		last = now
		batches++
	}
	close(stop)
	if err := <-writerDone; err != nil {
		t.Fatal(err)
	}
	if want := int(3 * time.Second / (maxDelay + slack)); batches < want {
		t.Errorf("%d batches in %v, want one every %v", batches, last.Sub(start), maxDelay)
	}
}

func TestStatsAndClose(t *testing.T) {
	root := t.TempDir()
	for _, p := range []string{"a/b", "c", "node_modules/x"} {
		if err := os.MkdirAll(filepath.Join(root, p), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	for _, p := range []string{"f", "a/g", "a/b/h", "node_modules/x/i"} {
		if err := os.WriteFile(filepath.Join(root, p), nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	w, err := New(Options{Root: root})
	if err != nil {
		t.Fatal(err)
	}
	s := w.Stats()
	if s.Mode != nativeMode || s.Dirs != 4 || s.Files != 3 {
		t.Errorf("Stats() = %+v, want %s, 4 dirs (root, a, a/b, c), 3 files", s, nativeMode)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}
	if _, ok := <-w.Batches(); ok {
		t.Error("Batches still open after Close")
	}
	if _, ok := <-w.Errors(); ok {
		t.Error("Errors still open after Close")
	}
}

func TestErrorsDropOldest(t *testing.T) {
	w := &Watcher{errs: make(chan error, errorBuffer)}
	for i := range errorBuffer + 5 {
		w.sendError(fmt.Errorf("error %d", i))
	}
	if have := w.dropped.Load(); have != 5 {
		t.Errorf("dropped %d, want 5", have)
	}
	if err := <-w.errs; err.Error() != "error 5" {
		t.Errorf("oldest kept error is %q, want \"error 5\"", err)
	}
}

func TestUnreadErrorsDoNotStallBatches(t *testing.T) {
	root := t.TempDir()
	w, err := New(Options{Root: root})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	for i := range errorBuffer * 2 {
		w.sendError(fmt.Errorf("noise %d", i))
	}
	if err := os.WriteFile(filepath.Join(root, "f"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if b, ok := nextBatch(t, w, 5*time.Second); !ok || b.String() != "create f" {
		t.Fatalf("batch %q (ok=%v), want \"create f\"", b, ok)
	}
	if have := w.Stats().ErrorsDropped; have != errorBuffer {
		t.Errorf("ErrorsDropped = %d, want %d", have, errorBuffer)
	}
}

func TestRootRemoved(t *testing.T) {
	skipUnderWine(t, "Wine keeps a deleted folder in place, and says nothing, while a handle to it is open; Windows marks it delete-pending")
	root := filepath.Join(t.TempDir(), "root")
	if err := os.Mkdir(root, 0o755); err != nil {
		t.Fatal(err)
	}
	w, err := New(Options{Root: root})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	if err := os.Remove(root); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-w.Errors():
		if !strings.Contains(err.Error(), "was removed or moved away") {
			t.Errorf("error %q, want it to say the root was removed", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("no error within 5s")
	}
	if b, ok := nextBatch(t, w, 300*time.Millisecond); ok {
		t.Errorf("batch %q, want none: the root itself is never an event", b)
	}
}

func TestIgnoreOption(t *testing.T) {
	root := t.TempDir()
	if err := os.Mkdir(filepath.Join(root, "dist"), 0o755); err != nil {
		t.Fatal(err)
	}
	w := newWatcher(t, Options{Root: root, Ignore: []string{"dist", "*.log", "tmp/**"}})
	for _, p := range []string{"dist/bundle.js", "server.log", "tmp"} {
		if err := os.WriteFile(filepath.Join(root, p), nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if b, ok := nextBatch(t, w, 300*time.Millisecond); ok {
		t.Fatalf("batch %q for ignored paths, want none", b)
	}
	if err := os.WriteFile(filepath.Join(root, "index.html"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if b, ok := nextBatch(t, w, 5*time.Second); !ok || b.String() != "create index.html" {
		t.Fatalf("batch %q (ok=%v), want \"create index.html\"", b, ok)
	}
	if s := w.Stats(); s.Dirs != 1 {
		t.Errorf("Stats().Dirs = %d, want 1: dist must not be watched", s.Dirs)
	}
}

func TestWatchErrorsSayWhatToDo(t *testing.T) {
	for _, tc := range []struct {
		err  error
		want string
	}{
		{errNotFound, `watcher: folder "a/b" vanished before it could be watched`},
		{errDenied, `watcher: cannot watch folder "a/b": permission denied; its changes will not be seen`},
	} {
		err := watchError("a/b", tc.err)
		if !strings.HasPrefix(err.Error(), tc.want) || !errors.Is(err, tc.err) {
			t.Errorf("watchError(%v) = %q, want it to start with %q and wrap the errno", tc.err, err, tc.want)
		}
	}
}

func TestProgressDuringTheFirstWalkOnly(t *testing.T) {
	dir := t.TempDir()
	for i := range 50 {
		os.MkdirAll(filepath.Join(dir, fmt.Sprint("d", i), "e"), 0o755)
		os.WriteFile(filepath.Join(dir, fmt.Sprint("d", i), "f"), nil, 0o644)
	}
	var calls atomic.Int64
	var last atomic.Int64
	w, err := New(Options{Root: dir, Progress: func(dirs, files int) {
		calls.Add(1)
		last.Store(int64(dirs))
	}})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	after := calls.Load()
	if after == 0 || last.Load() < 1 {
		t.Fatalf("Progress called %d times (last with %d folders), want at least once while walking", after, last.Load())
	}
	os.MkdirAll(filepath.Join(dir, "late", "x"), 0o755)
	if _, ok := nextBatch(t, w, 5*time.Second); !ok {
		t.Fatal("no batch for a new folder")
	}
	if n := calls.Load(); n != after {
		t.Errorf("Progress called %d more times after New returned", n-after)
	}
}
