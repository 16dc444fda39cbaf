package watcher

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"
)

// startSettled runs a batcher whose settle function answers with *verdict.
func startSettled(t *testing.T, debounce, maxDelay time.Duration, verdict *atomic.Uint32) (chan<- rawEvent, <-chan Batch) {
	in := make(chan rawEvent)
	out := make(chan Batch)
	done := make(chan struct{})
	b := &batcher{debounce: debounce, maxDelay: maxDelay, delivered: new(atomic.Uint64),
		settle: func([]rawEvent, time.Time) hold { return hold(verdict.Load()) }}
	go b.run(in, out, done)
	t.Cleanup(func() { close(done) })
	return in, out
}

func TestBatcherHoldsWhileLocked(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var verdict atomic.Uint32
		verdict.Store(uint32(holdLock))
		in, out := startSettled(t, 10*time.Millisecond, 300*time.Millisecond, &verdict)
		in <- w("a")
		time.Sleep(time.Second) // past MaxDelay: the lock still holds
		in <- w("b")
		time.Sleep(time.Second)
		if b, ok := received(out); ok {
			t.Fatalf("batch %q while the lock is held", b)
		}
		verdict.Store(uint32(holdNone))
		time.Sleep(10 * time.Millisecond)
		b, ok := received(out)
		if !ok || b.String() != "write a\nwrite b" {
			t.Fatalf("batch %q (ok=%v) after the lock went, want a and b in one", b, ok)
		}
	})
}

func TestBatcherStaleLockDoesNotHoldForever(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var verdict atomic.Uint32
		verdict.Store(uint32(holdLock))
		in, out := startSettled(t, 10*time.Millisecond, 300*time.Millisecond, &verdict)
		start := time.Now()
		in <- w("a")
		time.Sleep(lockHoldMax - time.Millisecond)
		if b, ok := received(out); ok {
			t.Fatalf("batch %q before lockHoldMax", b)
		}
		time.Sleep(time.Millisecond)
		if _, ok := received(out); !ok {
			t.Fatalf("no batch %v after the first event with a stale lock", time.Since(start))
		}
	})
}

func TestBatcherHoldsGrowingFileUpToMaxDelay(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var verdict atomic.Uint32
		verdict.Store(uint32(holdWrite))
		in, out := startSettled(t, 10*time.Millisecond, 300*time.Millisecond, &verdict)
		in <- c("big.zip", 1)
		time.Sleep(299 * time.Millisecond)
		if b, ok := received(out); ok {
			t.Fatalf("batch %q while the file grows", b)
		}
		time.Sleep(time.Millisecond)
		if _, ok := received(out); !ok {
			t.Fatal("no batch at MaxDelay: a file that never stops growing must not starve the browser")
		}
	})
}

func TestSettlerSeesWriters(t *testing.T) {
	if runtime.GOOS != "linux" && runtime.GOOS != "windows" {
		t.Skip("on " + runtime.GOOS + " no open writer can be seen (no lease, no share modes): the quiet period decides")
	}
	root := t.TempDir()
	if err := os.Mkdir(filepath.Join(root, ".git"), 0o755); err != nil {
		t.Fatal(err)
	}
	var reports []error
	const maxDelay = 200 * time.Millisecond
	st := newSettler(filepath.Join(root), maxDelay, func(err error) { reports = append(reports, err) })
	f, err := os.Create(filepath.Join(root, "f"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	batch := []rawEvent{c("f", 1)}
	f.WriteString("one")
	if h := st.check(batch, time.Now()); h != holdWrite {
		t.Errorf("open and new: %v, want holdWrite", h)
	}
	f.WriteString("two")
	if h := st.check(batch, time.Now()); h != holdWrite {
		t.Errorf("open and grown: %v, want holdWrite", h)
	}
	if h := st.check(batch, time.Now()); h != holdWrite {
		t.Errorf("open, paused between chunks: %v, want holdWrite", h)
	}
	// Held open for longer than MaxDelay (a log): said once, then never
	// waited for again while it stays open.
	for deadline := time.Now().Add(10 * time.Second); st.check(batch, time.Now()) == holdWrite; {
		if time.Now().After(deadline) {
			t.Fatalf("a file open for writing still holds batches after 10s, want at most %v", maxDelay)
		}
		time.Sleep(maxDelay / 10)
	}
	f.WriteString("three")
	if h := st.check(batch, time.Now()); h != holdNone {
		t.Errorf("open for longer than MaxDelay: %v, want holdNone", h)
	}
	if len(reports) != 1 || !strings.Contains(reports[0].Error(), "f has stayed open for writing") {
		t.Errorf("reports %q, want one saying f stayed open", reports)
	}
	f.Close()
	if h := st.check(batch, time.Now()); h != holdWrite {
		t.Errorf("just closed: %v, want holdWrite, for the events still on their way", h)
	}
	if h := st.check(batch, time.Now()); h != holdNone {
		t.Errorf("closed: %v, want holdNone", h)
	}
	lock := filepath.Join(root, ".git", "index.lock")
	if err := os.WriteFile(lock, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if h := st.check(batch, time.Now()); h != holdLock {
		t.Errorf("index.lock present: %v, want holdLock", h)
	}
}

func TestFindGitDir(t *testing.T) {
	root := t.TempDir()
	site := filepath.Join(root, "repo", "site")
	wt := filepath.Join(root, "worktree")
	for _, d := range []string{filepath.Join(root, "repo", ".git"), site, wt} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(wt, ".git"), []byte("gitdir: ../repo/.git/worktrees/wt\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for dir, want := range map[string]string{
		site: filepath.Join(root, "repo", ".git"),
		wt:   filepath.Join(root, "repo", ".git", "worktrees", "wt"),
	} {
		if have := findGitDir(dir); have != want {
			t.Errorf("findGitDir(%s) = %q, want %q", dir, have, want)
		}
	}
}

func TestSettlerSeesAFinishedSave(t *testing.T) {
	if runtime.GOOS != "linux" && runtime.GOOS != "windows" {
		t.Skip("on " + runtime.GOOS + " no open writer can be seen: every save waits for the quiet period")
	}
	root := t.TempDir()
	st := newSettler(root, time.Second, func(error) {})
	write := func(name, text string) {
		t.Helper()
		if err := os.WriteFile(filepath.Join(root, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("page.html", "saved")
	write("empty.html", "")
	f, err := os.OpenFile(filepath.Join(root, "open.html"), os.O_WRONLY|os.O_CREATE, 0o644)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	f.WriteString("half")
	write("sed1", "new")
	for _, c := range []struct {
		what    string
		pending []rawEvent
		want    bool
	}{
		{"a closed file written in place", []rawEvent{w("page.html"), w("page.html")}, true},
		{"its new inode (vim, emacs)", []rawEvent{m("page.html", 1), c("page.html", 2), w("page.html")}, true},
		{"a temp file renamed over it (sed -i)", []rawEvent{c("sed1", 3), w("sed1"), m("sed1", 3), ck("page.html", 3)}, true},
		{"still open for writing", []rawEvent{w("open.html")}, false},
		{"truncated to nothing", []rawEvent{w("empty.html")}, false},
		{"a new file (a temp file before its rename)", []rawEvent{c("sed1", 3), w("sed1")}, false},
		{"two files", []rawEvent{w("page.html"), w("empty.html")}, false},
		{"a removal", []rawEvent{r("page.html")}, false},
	} {
		if got := st.saved(c.pending); got != c.want {
			t.Errorf("%s: saved = %v, want %v", c.what, got, c.want)
		}
	}
}

func TestSettlerWaitsAScanForAClosedFile(t *testing.T) {
	if runtime.GOOS != "linux" && runtime.GOOS != "windows" {
		t.Skip("on " + runtime.GOOS + " no open writer can be seen: nothing is held for one")
	}
	root := t.TempDir()
	st := newSettler(root, time.Minute, func(error) {})
	var scans atomic.Uint64
	st.trees[0].scans = scans.Load
	f, err := os.Create(filepath.Join(root, "page.html"))
	if err != nil {
		t.Fatal(err)
	}
	batch := []rawEvent{c("page.html", 1)}
	f.WriteString("first chunk")
	for range 2 { // the first look also sees the folder change
		if h := st.check(batch, time.Now()); h != holdWrite {
			t.Fatalf("open: %v, want holdWrite", h)
		}
	}
	f.WriteString(", last chunk")
	f.Close()
	// The scan that was running may have read the first chunk only: the
	// batch waits for one that started after the close.
	for _, n := range []uint64{0, 0, 1} {
		scans.Store(n)
		if h := st.check(batch, time.Now()); h != holdWrite {
			t.Fatalf("closed, %d scans later: %v, want holdWrite", n, h)
		}
	}
	scans.Store(2)
	if h := st.check(batch, time.Now()); h != holdNone {
		t.Errorf("closed, two scans later: %v, want holdNone", h)
	}
}
