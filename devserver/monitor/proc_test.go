package monitor

import (
	"os"
	"os/exec"
	"testing"
	"time"
)

func selfPID() int { return os.Getpid() }

// This process's own figures, read as the sampler reads them, have memory
// and a CPU time that grows with work (a backend's, read by readTree,
// TestReadTreeSumsDescendants checks).
func TestReadSelf(t *testing.T) {
	f, err := readSelf()
	if err != nil {
		t.Fatal(err)
	}
	if f.rss < 1e6 || f.procs != 1 {
		t.Errorf("rss %d, procs %d; want over 1 MB and 1", f.rss, f.procs)
	}
	spin(50 * time.Millisecond)
	if g, _ := readSelf(); g.cpu <= f.cpu {
		t.Errorf("CPU time did not grow after spinning: %v then %v", f.cpu, g.cpu)
	}
}

// TestMain lets the test binary be a process tree: with treeEnv=parent
// it starts two children of itself, which sleep, and sleeps too.
func TestMain(m *testing.M) {
	switch os.Getenv(treeEnv) {
	case "parent":
		for range 2 {
			kid := exec.Command(os.Args[0])
			kid.Env = append(os.Environ(), treeEnv+"=child")
			kid.Start()
		}
		fallthrough
	case "child":
		time.Sleep(30 * time.Second)
		return
	}
	os.Exit(m.Run())
}

const treeEnv = "HOTSERVE_MONITOR_TREE"

// TestReadTreeSumsDescendants starts a process that starts two children,
// as a backend's shell does, and reads the tree.
func TestReadTreeSumsDescendants(t *testing.T) {
	cmd := exec.Command(os.Args[0])
	cmd.Env = append(os.Environ(), treeEnv+"=parent")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() {
		for _, kid := range kids(cmd.Process.Pid) {
			if p, err := os.FindProcess(kid); err == nil {
				p.Kill()
			}
		}
		cmd.Process.Kill()
		cmd.Wait()
	}()
	// The parent's own memory is read first: it only grows while its
	// children start, so a tree read after it that is not over it sums
	// nothing of theirs.
	deadline := time.Now().Add(10 * time.Second)
	for {
		alone, _ := readTree(cmd.Process.Pid, false)
		f, err := readTree(cmd.Process.Pid, true)
		if err == nil && f.procs == 3 && f.rss > alone.rss {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("have %+v (err %v), want 3 processes using more memory than the parent's own %d", f, err, alone.rss)
		}
		time.Sleep(10 * time.Millisecond) // the children are starting
	}
}

func TestCPUMeter(t *testing.T) {
	var m cpuMeter
	now := time.Now()
	if p := m.percent(1, time.Second, now); p != 0 {
		t.Errorf("first reading: have %v, want 0", p)
	}
	if p := m.percent(1, 1500*time.Millisecond, now.Add(time.Second)); p != 50 {
		t.Errorf("half a second in a second: have %v, want 50", p)
	}
	if p := m.percent(1, time.Second, now.Add(2*time.Second)); p != 0 {
		t.Errorf("a fall (a child exited): have %v, want 0", p)
	}
	if p := m.percent(2, 5*time.Second, now.Add(3*time.Second)); p != 0 {
		t.Errorf("a new pid: have %v, want 0", p)
	}
}

func spin(d time.Duration) {
	for end := time.Now().Add(d); time.Now().Before(end); {
	}
}
