package watcher

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// The watch limit is the user's, so a mount's folders come out of the
// same budget as the root's: the limit check counts both, and says so in
// the advice.
func TestWatchLimitCountsMounts(t *testing.T) {
	if os.Getenv("HOTSERVE_LIMIT_CHILD") == "1" {
		mountLimitChild(t)
		return
	}
	inUserNamespace(t, "TestWatchLimitCountsMounts")
}

func mountLimitChild(t *testing.T) {
	const limit = 5
	if err := os.WriteFile("/proc/sys/user/max_inotify_watches", []byte(fmt.Sprint(limit)), 0o644); err != nil {
		t.Fatal(err)
	}
	root, lib := t.TempDir(), t.TempDir()
	for i := range 2 {
		if err := os.Mkdir(filepath.Join(root, fmt.Sprintf("d%d", i)), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	for i := range 4 {
		if err := os.Mkdir(filepath.Join(lib, fmt.Sprintf("m%d", i)), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	w, err := New(Options{Root: root, Mounts: []Mount{{Path: "vendor", Root: lib}}})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	select {
	case err := <-w.Errors():
		for _, want := range []string{"watch limit is reached", "(this program 5, others 0)", "3 more folders"} {
			if !strings.Contains(err.Error(), want) {
				t.Errorf("error %q\nlacks %q", err, want)
			}
		}
	case <-time.After(5 * time.Second):
		t.Fatal("no error about the limit")
	}
	if s := w.Stats(); s.WatchesUsed != limit || s.Polled != 3 || s.Dirs != limit || s.UserWatches != limit {
		t.Fatalf("Stats() = %+v, want %d watches used by the root and the mount, 3 folders polled, %d watched, %d for the user", s, limit, limit, limit)
	}
	// The mount's polled folders still report changes.
	if err := os.WriteFile(filepath.Join(lib, "m3", "f"), []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	if b, ok := nextBatch(t, w, 10*time.Second); !ok || b.String() != "create vendor/m3/f" {
		t.Fatalf("batch %q (ok=%v), want \"create vendor/m3/f\"", b, ok)
	}
}
