package backend

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"os/exec"
	"regexp"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/hotserve/hotserve/internal/syncbuf"
	"github.com/hotserve/hotserve/internal/testenv"
)

// The test binary, run with parentEnv set to a backend command, stands in
// for hotserve (see TestMain): it supervises that backend, ready at
// $HOTSERVE_TEST_READY, copies its output and "parent: up pid=N" (the
// shell's pid) to stdout, and then reads stdin: "panic" makes it crash,
// end of file makes it exit without stopping the backend.
const parentEnv = "HOTSERVE_TEST_PARENT"

// deathDeadline is the promise: a backend is gone within a second of
// hotserve's death.
const deathDeadline = time.Second

func parent(command string) int {
	if err := superviseAsParent(command); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	sc := bufio.NewScanner(os.Stdin)
	for sc.Scan() {
		if sc.Text() == "panic" {
			panic("asked to crash")
		}
	}
	return 0
}

// superviseAsParent starts the backend command as hotserve does, ready at
// $HOTSERVE_TEST_READY, for the test binary standing in for hotserve: its
// output goes to stdout, and "parent: up pid=N" (the shell's pid) once it
// is up.
func superviseAsParent(command string) error {
	_, err := Start(Config{
		Command: command,
		Ready:   os.Getenv("HOTSERVE_TEST_READY"),
		Output:  os.Stdout,
		Notify: func(e Event) {
			if e.Kind == Up {
				fmt.Printf("parent: up pid=%d\n", e.PID)
			}
		},
	})
	return err
}

func TestBackendDiesWithHotserve(t *testing.T) {
	var killGroup func() // set when the parent is started in a group
	cases := []struct {
		name  string
		group bool // start the parent in a process group of its own
		end   func(*exec.Cmd, io.WriteCloser)
	}{
		{"killed (SIGKILL; on Windows TerminateProcess)", false, func(c *exec.Cmd, _ io.WriteCloser) { c.Process.Kill() }},
		{"crashed (panic)", false, func(_ *exec.Cmd, stdin io.WriteCloser) { io.WriteString(stdin, "panic\n") }},
		{"exited without stopping it", false, func(_ *exec.Cmd, stdin io.WriteCloser) { stdin.Close() }},
		// As a terminal, an IDE or a CI runner may: the watchdog must
		// not be in that group.
		{"its whole process group killed", true, func(*exec.Cmd, io.WriteCloser) { killGroup() }},
	}
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			addr := testenv.FreeAddr(t)
			cmd := exec.Command(exe)
			if c.group {
				if killGroup = groupKiller(cmd); killGroup == nil {
					t.Skip("Windows has no process groups to kill; a job ends with its last handle, as the other cases show")
				}
			}
			cmd.Env = append(os.Environ(), parentEnv+"="+command(t, "-addr", addr, "-child", "-escape"), "HOTSERVE_TEST_READY="+addr)
			stdin, err := cmd.StdinPipe()
			if err != nil {
				t.Fatal(err)
			}
			stdout, err := cmd.StdoutPipe()
			if err != nil {
				t.Fatal(err)
			}
			stderr := new(syncbuf.Buffer)
			cmd.Stderr = stderr
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			defer cmd.Process.Kill()

			// The shell, the backend, its child that holds the port and
			// the one that left the group (or tried to leave the job).
			pids, out := readPIDs(t, stdout, "parent: up", "backend", "backend child", "backend escaped")
			c.end(cmd, stdin)
			cmd.Wait()
			died := time.Now()
			for {
				left := slices.DeleteFunc(slices.Clone(pids), func(pid int) bool { return !alive(pid) })
				if len(left) == 0 {
					t.Logf("all of %v gone %v after the parent", pids, time.Since(died).Round(time.Millisecond))
					break
				}
				if time.Since(died) > deathDeadline {
					t.Fatalf("processes %v of the backend outlived the parent by %v\nparent's output:\n%s\nstderr:\n%s", left, deathDeadline, out, stderr)
				}
				time.Sleep(pollInterval)
			}
		})
	}
}

// readPIDs reads the parent's output until each name has printed its
// "name pid=N", and returns the pids and the output so far. The rest of the
// output is read and dropped.
func readPIDs(t *testing.T, r io.Reader, names ...string) ([]int, string) {
	t.Helper()
	lines := make(chan string)
	go func() {
		defer close(lines)
		sc := bufio.NewScanner(r)
		for sc.Scan() {
			lines <- sc.Text()
		}
	}()
	found := make(map[string]int)
	var out string
	deadline := time.After(15 * time.Second)
	for len(found) < len(names) {
		select {
		case line, ok := <-lines:
			if !ok {
				t.Fatalf("the parent ended before printing every pid:\n%s", out)
			}
			out += line + "\n"
			for _, name := range names {
				if m := regexp.MustCompile(`^` + name + ` pid=(\d+)`).FindStringSubmatch(line); m != nil {
					found[name], _ = strconv.Atoi(m[1])
				}
			}
		case <-deadline:
			t.Fatalf("the parent did not print every pid within 15s:\n%s", out)
		}
	}
	go func() {
		for range lines {
		}
	}()
	pids := make([]int, 0, len(found))
	for _, pid := range found {
		pids = append(pids, pid)
	}
	return pids, out
}
