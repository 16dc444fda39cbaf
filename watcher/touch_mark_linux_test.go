package watcher

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

// TestTouchIsMarked: inotify tells a touch (times only) from a write, and
// the batch says which, so that a consumer can take a touch for a request
// to reload even when the bytes are the same.
func TestTouchIsMarked(t *testing.T) {
	w := newWatcher(t, Options{})
	root := w.src.(*nativeSource).sc.root
	f := filepath.Join(root, "page.html")
	for _, step := range []struct {
		what  string
		do    func() error
		touch bool
	}{
		{"create", func() error { return os.WriteFile(f, []byte("x"), 0o644) }, false},
		{"touch", func() error { return touchNow(f) }, true},
		{"rewrite with the same bytes", func() error { return os.WriteFile(f, []byte("x"), 0o644) }, false},
	} {
		if err := step.do(); err != nil {
			t.Fatal(err)
		}
		b, ok := nextBatch(t, w, 5*time.Second)
		if !ok || len(b.Events) != 1 {
			t.Fatalf("%s: batch %q (ok=%v), want one event", step.what, b, ok)
		}
		if b.Events[0].Touch != step.touch {
			t.Errorf("%s: %s with Touch %v, want %v", step.what, b.Events[0], b.Events[0].Touch, step.touch)
		}
	}
}
