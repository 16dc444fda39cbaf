package backend

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"unsafe"

	"golang.org/x/sys/windows"
)

// How a person finds the processes a stop left behind, and stops one.
const (
	listCommand = "check them with tasklist"
	killCommand = "taskkill /F /PID %d"
)

// findShell returns the shell that runs the commands: $SHELL where it is a
// program Windows can run (Git Bash sets it), else %ComSpec% (cmd.exe).
// The note, said once at start, is for a $SHELL that is not such a program.
func findShell() (shell, note string) {
	if sh := os.Getenv("SHELL"); sh != "" {
		if path, err := exec.LookPath(sh); err == nil {
			return path, ""
		}
		note = fmt.Sprintf("backend: $SHELL %s is not a program Windows can run; running the backend with %%ComSpec%% instead", sh)
	}
	if cs := os.Getenv("ComSpec"); cs != "" {
		return cs, note
	}
	return filepath.Join(os.Getenv("SystemRoot"), "System32", "cmd.exe"), note
}

// shellCommand runs command with the shell, in a new console process group
// (the only thing CTRL_BREAK_EVENT can be sent to, and one that the
// console's Ctrl-C does not reach), suspended until startTree has put it in
// its job. cmd.exe is given the command verbatim, as `/d /s /c "command"`
// (no AutoRun, outer quotes stripped, the rest as typed), since Go's
// quoting of arguments is not cmd's; any other shell gets -c command.
func shellCommand(shell, command string) *exec.Cmd {
	cmd := exec.Command(shell, "-c", command)
	cmd.SysProcAttr = &syscall.SysProcAttr{
		CreationFlags: windows.CREATE_NEW_PROCESS_GROUP | windows.CREATE_SUSPENDED,
	}
	if strings.EqualFold(filepath.Base(shell), "cmd.exe") || strings.EqualFold(filepath.Base(shell), "cmd") {
		cmd.SysProcAttr.CmdLine = syscall.EscapeArg(shell) + ` /d /s /c "` + command + `"`
	}
	return cmd
}

// tree is a Job Object holding the shell and everything it starts: no
// descendant can leave it (it does not allow breakaway). The job is made
// with JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE and its only handle is this
// process's, not inherited by anyone, so when hotserve ends, however it
// ends, Windows closes the handle and kills the whole tree.
type tree struct {
	pid int // the shell's, also its console process group's id

	mu  sync.Mutex
	job windows.Handle // 0 once released
}

// startTree creates the job, starts cmd suspended, puts it in the job and
// lets it run: started any other way, the shell could start a child before
// it is in the job, and that child would be outside it.
func startTree(cmd *exec.Cmd, _ func(string)) (*tree, error) {
	job, err := windows.CreateJobObject(nil, nil)
	if err != nil {
		return nil, fmt.Errorf("backend: cannot create a job object: %w", err)
	}
	var info windows.JOBOBJECT_EXTENDED_LIMIT_INFORMATION
	info.BasicLimitInformation.LimitFlags = windows.JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE
	if _, err := windows.SetInformationJobObject(job, windows.JobObjectExtendedLimitInformation, uintptr(unsafe.Pointer(&info)), uint32(unsafe.Sizeof(info))); err != nil {
		windows.CloseHandle(job)
		return nil, fmt.Errorf("backend: cannot make the job kill its processes when this program exits: %w", err)
	}
	if err := cmd.Start(); err != nil {
		windows.CloseHandle(job)
		return nil, fmt.Errorf("backend: cannot run %s: %w; set %%ComSpec%% or $SHELL to a working shell", cmd.Path, err)
	}
	t := &tree{pid: cmd.Process.Pid, job: job}
	if err := t.enter(); err != nil {
		cmd.Process.Kill()
		cmd.Wait()
		windows.CloseHandle(job)
		return nil, err
	}
	return t, nil
}

// enter assigns the suspended shell to the job and resumes its one thread.
func (t *tree) enter() error {
	h, err := windows.OpenProcess(windows.PROCESS_SET_QUOTA|windows.PROCESS_TERMINATE, false, uint32(t.pid))
	if err != nil {
		return fmt.Errorf("backend: cannot open process %d: %w", t.pid, err)
	}
	defer windows.CloseHandle(h)
	if err := windows.AssignProcessToJobObject(t.job, h); err != nil {
		return fmt.Errorf("backend: cannot put process %d in its job object: %w", t.pid, err)
	}
	snap, err := windows.CreateToolhelp32Snapshot(windows.TH32CS_SNAPTHREAD, 0)
	if err != nil {
		return fmt.Errorf("backend: cannot list threads to resume process %d: %w", t.pid, err)
	}
	defer windows.CloseHandle(snap)
	e := windows.ThreadEntry32{Size: uint32(unsafe.Sizeof(windows.ThreadEntry32{}))}
	for err = windows.Thread32First(snap, &e); err == nil; err = windows.Thread32Next(snap, &e) {
		if e.OwnerProcessID != uint32(t.pid) {
			continue
		}
		th, err := windows.OpenThread(windows.THREAD_SUSPEND_RESUME, false, e.ThreadID)
		if err != nil {
			return fmt.Errorf("backend: cannot open the thread of process %d: %w", t.pid, err)
		}
		defer windows.CloseHandle(th)
		if _, err := windows.ResumeThread(th); err != nil {
			return fmt.Errorf("backend: cannot resume process %d: %w", t.pid, err)
		}
		return nil
	}
	return fmt.Errorf("backend: process %d has no thread to resume", t.pid)
}

// signal sends CTRL_BREAK_EVENT to the shell's console process group, or
// terminates the job for KILL. Every other stop signal ParseSignal accepts
// here is CTRL_BREAK_EVENT, the one event Windows sends to a group
// (CTRL_C_EVENT goes only to a whole console). It reaches the processes
// of the group that share hotserve's console; one without a console is
// terminated with the job after the stop timeout. Wine 8 sends it to no
// one: GenerateConsoleCtrlEvent fails there.
func (t *tree) signal(sig syscall.Signal) error {
	if sig == syscall.SIGKILL {
		return t.kill()
	}
	if len(t.survivors()) == 0 {
		return nil // nothing left to tell, and no group to tell it to
	}
	if err := windows.GenerateConsoleCtrlEvent(windows.CTRL_BREAK_EVENT, uint32(t.pid)); err != nil {
		return fmt.Errorf("backend: cannot send CTRL_BREAK_EVENT to the backend (%w; is there no console?)", err)
	}
	return nil
}

// kill terminates every process in the job.
func (t *tree) kill() error {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.job == 0 {
		return nil
	}
	if err := windows.TerminateJobObject(t.job, 1); err != nil {
		return fmt.Errorf("backend: cannot terminate the job of process %d: %w", t.pid, err)
	}
	return nil
}

// processIDList is JOBOBJECT_BASIC_PROCESS_ID_LIST with room for 64 ids;
// beyond that, the count still says the job is not empty.
type processIDList struct {
	assigned, listed uint32
	ids              [64]uintptr
}

// survivors lists the processes still in the job.
func (t *tree) survivors() []int {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.job == 0 {
		return nil
	}
	var list processIDList
	err := windows.QueryInformationJobObject(t.job, windows.JobObjectBasicProcessIdList, uintptr(unsafe.Pointer(&list)), uint32(unsafe.Sizeof(list)), nil)
	if err != nil && !errors.Is(err, windows.ERROR_MORE_DATA) {
		return []int{t.pid} // cannot tell: not known to be gone
	}
	pids := make([]int, 0, list.assigned)
	for _, id := range list.ids[:min(list.listed, uint32(len(list.ids)))] {
		pids = append(pids, int(id))
	}
	if len(pids) == 0 && list.assigned > 0 {
		pids = append(pids, t.pid)
	}
	return pids
}

// release closes the job once it is empty. While anything is left in it,
// the handle stays open, so that it dies with hotserve.
func (t *tree) release() {
	if len(t.survivors()) > 0 {
		return
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.job != 0 {
		windows.CloseHandle(t.job)
		t.job = 0
	}
}
