package watcher

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestScenarios replays testdata/scenarios/**/*.txt against real inotify.
//
// A script is shell-like verbs, one per line, run in a fresh folder:
//
//	echo old >f          # setup: runs before the watcher starts
//	watch                # start the watcher on the folder
//	save-vim f           # act
//	Output:              # the next batch, in Batch.String() form,
//	write f              # up to a blank line or the end of the file
//
//	no batch             # nothing within 300ms
//
// After the last line the script is also checked for trailing batches.
//
// Comment lines that say where a script cannot run:
//
//	# native only             # not with the polling backend
//	# also as a save: WHY     # also with the default quiet period, which
//	                          # sends a finished save after 1ms
//	# not on windows: WHY     # skipped on Windows, saying why
//	# not under wine: WHY     # skipped in the Windows tests under Wine
//	                          # (native source only), where Wine's
//	                          # emulation differs from Windows
//
// There are no sleeps between steps: the next batch is the sync point.
// Paths may leave the watched folder with "../" (a sibling folder exists
// for moves into and out of the tree).
func TestScenarios(t *testing.T) {
	files, err := filepath.Glob("testdata/scenarios/*/*.txt")
	if err != nil {
		t.Fatal(err)
	}
	more, _ := filepath.Glob("testdata/scenarios/*.txt")
	files = append(files, more...)
	if len(files) == 0 {
		t.Fatal("no scenarios found")
	}
	for _, mode := range []string{"native", "poll", "saves"} {
		t.Run(mode, func(t *testing.T) {
			t.Parallel()
			for _, file := range files {
				data, err := os.ReadFile(file)
				if err != nil {
					t.Fatal(err)
				}
				if mode == "poll" && strings.Contains(string(data), "\n# native only") ||
					mode == "saves" && !strings.Contains(string(data), "\n# also as a save") {
					continue
				}
				name := strings.TrimSuffix(strings.TrimPrefix(file, "testdata/scenarios/"), ".txt")
				t.Run(name, func(t *testing.T) {
					t.Parallel()
					skipScenario(t, string(data), mode == "poll")
					runScenario(t, file, string(data), mode)
				})
			}
		})
	}
}

// skipScenario skips a script on the OS or emulator its comments exclude.
func skipScenario(t *testing.T, data string, poll bool) {
	for line := range strings.Lines(data) {
		line = strings.TrimSpace(line)
		if why, ok := strings.CutPrefix(line, "# not on windows: "); ok && runtime.GOOS == "windows" {
			t.Skip("not on Windows: " + why)
		}
		if why, ok := strings.CutPrefix(line, "# not under wine: "); ok && !poll {
			skipUnderWine(t, why)
		}
	}
}

func runScenario(t *testing.T, file, data, mode string) {
	base := t.TempDir()
	root := filepath.Join(base, "root")
	if err := os.Mkdir(root, 0o755); err != nil {
		t.Fatal(err)
	}
	sc := &scenario{t: t, root: root, poll: mode == "poll", saves: mode == "saves"}
	defer sc.close()

	lines := strings.Split(data, "\n")
	last := ""
	for i := 0; i < len(lines); i++ {
		line := strings.TrimSpace(lines[i])
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		where := fmt.Sprintf("%s:%d", file, i+1)
		if batches, ok := outputLine(line); ok {
			var want []string
			for i+1 < len(lines) && strings.TrimSpace(lines[i+1]) != "" {
				i++
				if l := strings.TrimSpace(lines[i]); !strings.HasPrefix(l, "#") {
					want = append(want, l)
				}
			}
			sc.expect(where, strings.Join(want, "\n"), batches)
			last = line
			continue
		}
		if err := sc.do(line); err != nil {
			t.Fatalf("%s: %s: %v", where, line, err)
		}
		last = line
	}
	// Every batch must be in the script: nothing may trail the last one.
	if sc.w != nil && last != "no batch" {
		if err := sc.do("no batch"); err != nil {
			t.Fatalf("%s: after the end: %v", file, err)
		}
	}
}

type scenario struct {
	t      *testing.T
	root   string
	poll   bool // use the polling backend
	saves  bool // the default quiet period, which sends a finished save at once
	w      *Watcher
	logged <-chan struct{}
	held   map[string]*os.File // files a writer holds open (hold-open)
}

func (sc *scenario) close() {
	for _, f := range sc.held {
		f.Close()
	}
	if sc.w != nil {
		if err := sc.w.Close(); err != nil {
			sc.t.Error(err)
		}
		<-sc.logged
	}
}

func (sc *scenario) path(p string) string { return filepath.Join(sc.root, filepath.FromSlash(p)) }

// expect waits for the next batch and compares it with want. With
// batches > 1 it merges up to that many successive batches, for activity
// that may be cut once (a build's first file; see buildQuiet), and takes
// an event found in both for one.
func (sc *scenario) expect(where, want string, batches int) {
	sc.t.Helper()
	if sc.w == nil {
		sc.t.Fatalf("%s: Output: before watch", where)
	}
	var merged Batch
	for n := 1; ; n++ {
		b, ok := nextBatch(sc.t, sc.w, 5*time.Second)
		if !ok {
			sc.t.Fatalf("%s: no batch within 5s\nhave so far:\n%s\nwant:\n%s", where, indent(merged.String()), indent(want))
		}
		// A file written again in the second batch (polling can see it
		// half-written in the first) is one write of it.
		merged.Events = append(merged.Events, b.Events...)
		slices.SortStableFunc(merged.Events, func(a, b Event) int { return strings.Compare(a.Path, b.Path) })
		merged.Events = slices.Compact(merged.Events)
		if have := merged.String(); have == want || n == batches {
			if have != want {
				sc.t.Errorf("%s: in %d batches:\nhave:\n%s\nwant:\n%s", where, n, indent(have), indent(want))
			}
			return
		}
	}
}

// outputLine reports whether line starts an expected batch, and in how
// many batches it may arrive: "Output:" is one, "Output, in at most 2
// batches:" two.
func outputLine(line string) (batches int, ok bool) {
	if line == "Output:" {
		return 1, true
	}
	n, ok := strings.CutPrefix(line, "Output, in at most ")
	if !ok {
		return 0, false
	}
	n, ok = strings.CutSuffix(n, " batches:")
	batches, err := strconv.Atoi(n)
	return batches, ok && err == nil && batches > 0
}

func (sc *scenario) do(line string) error {
	f := strings.Fields(line)
	args := f[1:]
	switch f[0] {
	case "watch":
		// A long quiet period, so that a script step delayed by a busy
		// machine does not split a burst; latency is measured elsewhere.
		// Polling scans several times per quiet period, so a step is never
		// split across batches either.
		opts := Options{Root: sc.root, Debounce: 150 * time.Millisecond}
		if sc.saves {
			opts.Debounce = 0
		}
		if sc.poll {
			opts.Poll, opts.PollInterval = true, 20*time.Millisecond
		}
		for _, a := range args {
			switch a {
			case "no-gitignore":
				opts.NoGitignore = true
			case "default":
				opts.Debounce = 0 // DefaultDebounce, with the quiet period of a build
			default:
				return fmt.Errorf("unknown watch option %q", a)
			}
		}
		w, err := New(opts)
		if err != nil {
			return err
		}
		sc.w = w
		sc.logged = logErrors(sc.t, w)
		return nil
	case "no":
		if line != "no batch" {
			break
		}
		select {
		case b := <-sc.w.Batches():
			return fmt.Errorf("unexpected batch:\n%s", indent(b.String()))
		case <-time.After(300 * time.Millisecond):
			return nil
		}
	case "mkdir":
		if len(args) > 0 && args[0] == "-p" {
			return os.MkdirAll(sc.path(args[1]), 0o755)
		}
		return os.Mkdir(sc.path(args[0]), 0o755)
	case "echo":
		// echo TEXT >f, echo TEXT >>f
		i := strings.LastIndexByte(line, '>')
		target := strings.TrimSpace(line[i+1:])
		text := strings.TrimSpace(line[len("echo "):i])
		flag := os.O_WRONLY | os.O_CREATE | os.O_TRUNC
		if strings.HasSuffix(text, ">") {
			text = strings.TrimSpace(strings.TrimSuffix(text, ">"))
			flag = os.O_WRONLY | os.O_CREATE | os.O_APPEND
		}
		return appendFile(sc.path(target), flag, text+"\n")
	case "touch":
		p := sc.path(args[0])
		if err := appendFile(p, os.O_WRONLY|os.O_CREATE, ""); err != nil {
			return err
		}
		return touchNow(p)
	case "age":
		// age FILE: set its times an hour back, like a file edited long ago.
		then := time.Now().Add(-time.Hour)
		return os.Chtimes(sc.path(args[0]), then, then)
	case "chmod":
		mode, err := strconv.ParseUint(args[0], 8, 32)
		if err != nil {
			return err
		}
		return os.Chmod(sc.path(args[1]), os.FileMode(mode))
	case "mv":
		return os.Rename(sc.path(args[0]), sc.path(args[1]))
	case "rm":
		if args[0] == "-r" || args[0] == "-rf" {
			return os.RemoveAll(sc.path(args[1]))
		}
		return os.Remove(sc.path(args[0]))
	case "ln":
		if args[0] != "-s" {
			break
		}
		return os.Symlink(args[1], sc.path(args[2]))
	case "cp":
		if args[0] != "-r" {
			break
		}
		return os.CopyFS(sc.path(args[2]), os.DirFS(sc.path(args[1])))
	case "save-vim":
		return saveVim(sc.path(args[0]))
	case "save-jetbrains":
		return saveJetBrains(sc.path(args[0]))
	case "save-emacs":
		return saveEmacs(sc.path(args[0]))
	case "save-sed":
		return saveSed(sc.path(args[0]))
	case "save-office":
		return saveOffice(sc.path(args[0]))
	case "lock-index":
		// git takes .git/index.lock for a checkout, commit or rebase (S7).
		return appendFile(sc.path(".git/index.lock"), os.O_WRONLY|os.O_CREATE|os.O_EXCL, "")
	case "unlock-index":
		return os.Rename(sc.path(".git/index.lock"), sc.path(".git/index"))
	case "checkout":
		// What git does per path (entry.c): unlink, create O_EXCL, write.
		for _, p := range args {
			if err := os.Remove(sc.path(p)); err != nil && !errors.Is(err, os.ErrNotExist) {
				return err
			}
			if err := appendFile(sc.path(p), os.O_WRONLY|os.O_CREATE|os.O_EXCL, "checked out\n"); err != nil {
				return err
			}
		}
		return nil
	case "write-slowly":
		// write-slowly FILE CHUNKS GAP: one open file, a chunk every GAP (S14).
		n, err := strconv.Atoi(args[1])
		if err != nil {
			return err
		}
		gap, err := time.ParseDuration(args[2])
		if err != nil {
			return err
		}
		return writeSlowly(sc.path(args[0]), n, gap)
	}
	return sc.doWriter(f[0], args)
}

func appendFile(p string, flag int, text string) error {
	f, err := os.OpenFile(p, flag, 0o644)
	if err != nil {
		return err
	}
	_, err = f.WriteString(text)
	return errors.Join(err, f.Close())
}

// saveVim does what vim does with its default options (watcher.md S1):
// probe the folder with 4913, rename the file to file~, write a new file,
// remove the backup.
func saveVim(p string) error {
	probe := filepath.Join(filepath.Dir(p), "4913")
	return firstErr(
		func() error { return appendFile(probe, os.O_WRONLY|os.O_CREATE|os.O_EXCL, "") },
		func() error { return os.Remove(probe) },
		func() error { return os.Rename(p, p+"~") },
		func() error { return appendFile(p, os.O_WRONLY|os.O_CREATE|os.O_EXCL, "saved by vim\n") },
		func() error { return os.Remove(p + "~") },
	)
}

// saveJetBrains does a JetBrains "safe write" (S4).
func saveJetBrains(p string) error {
	return firstErr(
		func() error {
			return appendFile(p+"___jb_tmp___", os.O_WRONLY|os.O_CREATE|os.O_TRUNC, "saved by idea\n")
		},
		func() error { return os.Rename(p, p+"___jb_old___") },
		func() error { return os.Rename(p+"___jb_tmp___", p) },
		func() error { return os.Remove(p + "___jb_old___") },
	)
}

// saveEmacs takes the lock (a dangling symlink), renames the file to its
// backup, writes a new one and drops the lock; the backup stays (S5).
func saveEmacs(p string) error {
	lock := filepath.Join(filepath.Dir(p), ".#"+filepath.Base(p))
	return firstErr(
		func() error { return os.Symlink("user@host.1234:1", lock) },
		func() error { return os.Rename(p, p+"~") },
		func() error { return appendFile(p, os.O_WRONLY|os.O_CREATE|os.O_EXCL, "saved by emacs\n") },
		func() error { return os.Remove(lock) },
	)
}

// saveOffice does what Word and Excel do, and what ReplaceFile does for
// many Windows programs: an owner file ~$name while the document is open,
// the new content in a ~WRD temp file, the old file renamed to a ~WRL
// backup, the temp renamed in, the backup deleted, the owner file removed.
func saveOffice(p string) error {
	dir, base := filepath.Dir(p), filepath.Base(p)
	owner := filepath.Join(dir, "~$"+base)
	tmp, backup := filepath.Join(dir, "~WRD0001.tmp"), filepath.Join(dir, "~WRL0001.tmp")
	return firstErr(
		func() error { return appendFile(owner, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, "owner\n") },
		func() error { return appendFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, "saved by office\n") },
		func() error { return os.Rename(p, backup) },
		func() error { return os.Rename(tmp, p) },
		func() error { return os.Remove(backup) },
		func() error { return os.Remove(owner) },
	)
}

// saveSed does what sed -i does (S6): a randomly named temp file in the
// same folder, renamed over the target.
func saveSed(p string) error {
	f, err := os.CreateTemp(filepath.Dir(p), "sed")
	if err != nil {
		return err
	}
	_, err = f.WriteString("edited by sed\n")
	if err = errors.Join(err, f.Close()); err != nil {
		return err
	}
	return os.Rename(f.Name(), p)
}

// writeSlowly writes n chunks to a new file, gap apart, before closing it:
// a download or a slow compiler.
func writeSlowly(p string, n int, gap time.Duration) error {
	f, err := os.OpenFile(p, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	for i := range n {
		if i > 0 {
			time.Sleep(gap) // the writer's pace, not a wait for the watcher
		}
		if _, err := fmt.Fprintf(f, "chunk %d\n", i); err != nil {
			f.Close()
			return err
		}
	}
	return f.Close()
}

func firstErr(steps ...func() error) error {
	for _, step := range steps {
		if err := step(); err != nil {
			return err
		}
	}
	return nil
}

// nextBatch waits up to d for the next batch.
func nextBatch(t testing.TB, w *Watcher, d time.Duration) (Batch, bool) {
	t.Helper()
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case b, ok := <-w.Batches():
		return b, ok
	case <-timer.C:
		return Batch{}, false
	}
}

// logErrors shows the watcher's non-fatal errors in the test log until
// Errors is closed; the returned channel is closed after that, so the test
// can wait for it before it ends.
func logErrors(t testing.TB, w *Watcher) <-chan struct{} {
	done := make(chan struct{})
	go func() {
		defer close(done)
		for err := range w.Errors() {
			t.Log(err)
		}
	}()
	return done
}
