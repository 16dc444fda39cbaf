package backend

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"os/exec"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hotserve/hotserve/internal/syncbuf"
	"github.com/hotserve/hotserve/internal/testenv"
)

// crashEnv, set to a way of dying ("kill", "oom", "panic"), makes the
// test binary stand in for a hotserve that crashes: it supervises the
// backend that $HOTSERVE_TEST_CRASH_BACKEND runs, ready at
// $HOTSERVE_TEST_READY, prints its pids as parent does, and once a line
// arrives on stdin dies that way ("kill" waits for the test's SIGKILL).
const crashEnv = "HOTSERVE_TEST_CRASH"

// init runs before TestMain, so the helper never runs the tests.
func init() {
	if how := os.Getenv(crashEnv); how != "" {
		crashParent(how)
	}
}

func crashParent(how string) {
	// Neither the watchdog (this binary re-executed) nor the backend may
	// inherit it.
	os.Unsetenv(crashEnv)
	if err := superviseAsParent(os.Getenv("HOTSERVE_TEST_CRASH_BACKEND")); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	bufio.NewReader(os.Stdin).ReadString('\n')
	switch how {
	case "oom":
		outOfMemory()
	case "panic":
		go func() { panic("a goroutine's unrecovered panic") }()
	}
	select {} // until the crash, or the test's kill
}

// TestBackendDiesWhenHotserveCrashes: however hotserve dies, the backend's
// whole process tree (the shell, the backend, its child that holds the
// port, the one that left the group) dies with it within deathDeadline.
func TestBackendDiesWhenHotserveCrashes(t *testing.T) {
	cases := []struct {
		name, how string
		stderr    string // what the dying process says, as a regexp
	}{
		{"SIGKILL (on Windows TerminateProcess)", "kill", ``},
		// Under -race the race detector maps its shadow of new memory
		// first, so that is what runs out: its message, then.
		// On linux/386 the runtime can also fault in its own collector
		// once the address space is gone (seen: SIGSEGV in
		// spanQueue.tryDrain), which is the same crash.
		{"out of memory", "oom", `fatal error: (runtime: )?(out of memory|cannot allocate memory)|ThreadSanitizer failed to allocate .*errno: 12|SIGSEGV: segmentation violation\nPC=.*\n\ngoroutine 0 .*\nruntime\.`},
		{"an unrecovered panic in a goroutine", "panic", `panic: a goroutine's unrecovered panic\n\ngoroutine \d+`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if c.how == "oom" && !canRunOutOfMemory {
				t.Skip(noOutOfMemory)
			}
			p := startCrashParent(t, c.how)
			if c.how == "kill" {
				p.cmd.Process.Kill()
			} else {
				fmt.Fprintln(p.stdin, "die")
			}
			var waitErr error
			select {
			case waitErr = <-p.waited:
			case <-time.After(15 * time.Second):
				t.Fatalf("the parent did not die within 15s of being told to\nstderr:\n%.2000s", p.stderr)
			}
			gone := awaitGone(t, p, time.Now())
			if c.how == "oom" && strings.Contains(p.stderr.String(), unlimited) {
				// Under qemu-user the limit never reaches the program, so
				// it ends without running out of memory; what this test
				// promises, the backend gone with it, held all the same.
				t.Logf("%s (qemu-user keeps it from the program it runs); the parent's exit took its backend down within %v", unlimited, gone)
				return
			}
			if !regexp.MustCompile(c.stderr).MatchString(p.stderr.String()) {
				t.Errorf("the parent ended (%v) without saying %q:\n%s", waitErr, c.stderr, p.stderr)
			}
			t.Logf("parent ended (%v); all of %v gone %v after it", waitErr, p.pids, gone)
		})
	}
}

// unlimited is what crashParent says, and exits 3, when the memory limit
// it sets does not take.
const unlimited = "RLIMIT_DATA does not hold here"

// awaitGone waits until every process of p's backend has died, failing
// the test if one outlives deathDeadline after died, and returns how long
// it took.
func awaitGone(t *testing.T, p *crashing, died time.Time) time.Duration {
	t.Helper()
	for {
		left := slices.DeleteFunc(slices.Clone(p.pids), func(pid int) bool { return !alive(pid) })
		if len(left) == 0 {
			return time.Since(died).Round(time.Millisecond)
		}
		if time.Since(died) > deathDeadline {
			t.Fatalf("processes %v of the backend outlived the parent by %v\nparent's output:\n%s\nstderr:\n%s", left, deathDeadline, p.out, p.stderr)
		}
		time.Sleep(pollInterval)
	}
}

// crashing is a running crashParent.
type crashing struct {
	cmd    *exec.Cmd
	stdin  io.Writer
	stderr *syncbuf.Buffer
	waited chan error // cmd.Wait's
	pids   []int      // of the backend's tree
	out    string     // the parent's output up to the last pid
}

// startCrashParent runs the test binary as a crashParent that will die
// as how says, and waits for every process of its backend to be up.
func startCrashParent(t *testing.T, how string) *crashing {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	addr := testenv.FreeAddr(t)
	p := &crashing{cmd: exec.Command(exe), stderr: new(syncbuf.Buffer), waited: make(chan error, 1)}
	p.cmd.Env = append(os.Environ(), crashEnv+"="+how,
		"HOTSERVE_TEST_CRASH_BACKEND="+command(t, "-addr", addr, "-child", "-escape"), "HOTSERVE_TEST_READY="+addr)
	if p.stdin, err = p.cmd.StdinPipe(); err != nil {
		t.Fatal(err)
	}
	stdout, err := p.cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	p.cmd.Stderr = p.stderr
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.cmd.Process.Kill() })
	p.pids, p.out = readPIDs(t, stdout, "parent: up", "backend", "backend child", "backend escaped")
	go func() { p.waited <- p.cmd.Wait() }()
	return p
}
