//go:build unix

package backend

import (
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"syscall"

	"golang.org/x/sys/unix"
)

// alive reports whether pid is a live process (not gone, not a zombie; on
// unix but Linux, a zombie counts as alive).
func alive(pid int) bool {
	if runtime.GOOS != "linux" {
		return unix.Kill(pid, 0) == nil
	}
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return false
	}
	s := string(b)
	state := strings.Fields(s[strings.LastIndexByte(s, ')')+1:])[0]
	return state != "Z" && state != "X"
}

// underWine is false: Wine runs Windows programs only.
func underWine() bool { return false }

// groupKiller makes cmd start in a process group of its own, as a shell
// starts a job, and returns what kills that whole group.
func groupKiller(cmd *exec.Cmd) func() {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	return func() { unix.Kill(-cmd.Process.Pid, unix.SIGKILL) }
}
