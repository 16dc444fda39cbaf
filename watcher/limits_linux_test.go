package watcher

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

func TestCountWatches(t *testing.T) {
	fdinfo := []byte("pos:\t0\nflags:\t02004000\nmnt_id:\t15\nino:\t1057\n" +
		"inotify wd:2 ino:1a2b sdev:800001 mask:fc6 ignored_mask:0 fhandle-bytes:8 fhandle-type:1 f_handle:2b1a000012345678\n" +
		"inotify wd:1 ino:2 sdev:800001 mask:fc6 ignored_mask:0 fhandle-bytes:8 fhandle-type:1 f_handle:0200000000000000\n")
	if n := countWatches(fdinfo); n != 2 {
		t.Errorf("countWatches = %d, want 2", n)
	}
	w := newWatcher(t, Options{})
	root := w.src.(*nativeSource).sc.root
	for _, d := range []string{"a", "b"} {
		if err := os.Mkdir(filepath.Join(root, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if _, ok := nextBatch(t, w, 5*time.Second); !ok {
		t.Fatal("no batch")
	}
	// Our own watches, as the kernel counts them, are what Stats says
	// (tests in parallel hold inotify instances too, hence at least).
	s := w.Stats()
	if mine := processWatches("/proc/self"); s.WatchesUsed != 3 || mine < 3 {
		t.Errorf("Stats().WatchesUsed = %d, fdinfo %d; want 3 (root, a, b)", s.WatchesUsed, mine)
	}
	if s.WatchesLimit <= 0 || s.UserWatches < s.WatchesUsed {
		t.Errorf("Stats() = %+v, want the limit and the user's total", s)
	}
}

func TestLimitAdvice(t *testing.T) {
	msg := limitAdvice(limits{watches: 8192}, 8000, 192, 1500)
	for _, want := range []string{
		"fs.inotify.max_user_watches is 8192", "this program 8000, others 192", "1500 more folders",
		"polled instead", "sudo sysctl fs.inotify.max_user_watches=524288",
		"/etc/sysctl.d/", "sudo sysctl --system",
	} {
		if !strings.Contains(msg, want) {
			t.Errorf("advice %q\nlacks %q", msg, want)
		}
	}
}

// TestWatchLimit hits the watch limit for real (S21): the test binary runs
// itself in a new user namespace, whose own inotify watch limit it may
// lower (/proc/sys/user/max_inotify_watches) without touching the
// machine's.
func TestWatchLimit(t *testing.T) {
	if os.Getenv("HOTSERVE_LIMIT_CHILD") == "1" {
		watchLimitChild(t)
		return
	}
	inUserNamespace(t, "TestWatchLimit")
}

// inUserNamespace runs the test named again in a new user namespace, with
// HOTSERVE_LIMIT_CHILD set, where it may write its own inotify limits.
func inUserNamespace(t *testing.T, name string) {
	cmd := exec.Command(os.Args[0], "-test.run=^"+name+"$", "-test.v")
	cmd.Env = append(os.Environ(), "HOTSERVE_LIMIT_CHILD=1")
	cmd.SysProcAttr = &syscall.SysProcAttr{
		Cloneflags:  syscall.CLONE_NEWUSER,
		UidMappings: []syscall.SysProcIDMap{{ContainerID: 0, HostID: os.Getuid(), Size: 1}},
		GidMappings: []syscall.SysProcIDMap{{ContainerID: 0, HostID: os.Getgid(), Size: 1}},
	}
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("in a user namespace: %v\n%s", err, out)
	}
	t.Logf("%s", out)
}

func watchLimitChild(t *testing.T) {
	const limit = 5
	if err := os.WriteFile("/proc/sys/user/max_inotify_watches", []byte(fmt.Sprint(limit)), 0o644); err != nil {
		t.Fatal(err)
	}
	root := t.TempDir()
	for i := range 8 {
		if err := os.Mkdir(filepath.Join(root, fmt.Sprintf("d%d", i)), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	w, err := New(Options{Root: root})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	select {
	case err := <-w.Errors():
		for _, want := range []string{"watch limit is reached", fmt.Sprintf("max_user_watches is %d", limit), "4 more folders", "sudo sysctl fs.inotify.max_user_watches="} {
			if !strings.Contains(err.Error(), want) {
				t.Errorf("error %q\nlacks %q", err, want)
			}
		}
	case <-time.After(5 * time.Second):
		t.Fatal("no error about the limit")
	}
	s := w.Stats()
	if s.WatchesUsed != limit || s.Polled != 4 || s.WatchesLimit != limit {
		t.Fatalf("Stats() = %+v, want %d watches used, 4 folders polled, limit %d", s, limit, limit)
	}
	// Every folder still reports changes, watched or polled.
	for i := range 8 {
		p := filepath.Join(root, fmt.Sprintf("d%d", i), "f")
		if err := os.WriteFile(p, []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	seen := map[string]bool{}
	deadline := time.Now().Add(10 * time.Second)
	for len(seen) < 8 {
		b, ok := nextBatch(t, w, time.Until(deadline))
		if !ok {
			t.Fatalf("only %v reported", seen)
		}
		for _, e := range b.Events {
			if e.Op != Create {
				t.Errorf("event %s, want creates", e)
			}
			seen[e.Path] = true
		}
	}
}
