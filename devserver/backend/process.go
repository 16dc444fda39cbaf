package backend

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"syscall"
	"time"
)

// Timing of a stop. The tree is looked at every pollInterval; after the
// kill it has killWait to disappear before the stop reports failure.
const (
	pollInterval = 5 * time.Millisecond
	killWait     = 2 * time.Second
	outputWait   = 200 * time.Millisecond
)

// process is one run of a shell command and everything it starts: its
// tree, which the OS files hold (a process group on unix, a Job Object on
// Windows).
type process struct {
	cmd     *exec.Cmd
	pid     int // the shell's; on unix and Windows also its process group's id
	tree    *tree
	warn    func(string) // the supervisor's, for what a stop could not do
	started time.Time
	out     *output
	// done is closed once Wait has returned; err is its result.
	done chan struct{}
	err  error
	// copied is closed when the output pipe is drained: every process
	// holding its write end has exited.
	copied chan struct{}
}

// spawn starts command through the shell in a tree of its own, its stdout
// and stderr going, line by line, to the configured output. Stdin is the
// null device: on unix a process outside the terminal's foreground group
// that read the terminal would be stopped by SIGTTIN.
//
// The output pipe is created here rather than by exec.Cmd, whose Wait
// would block until every holder of the pipe exits, including a child that
// escaped the group: here Wait returns when the shell exits, and the
// copying goroutine ends whenever the last holder does.
func (s *Supervisor) spawn(command string) (*process, error) {
	r, w, err := os.Pipe()
	if err != nil {
		return nil, fmt.Errorf("backend: cannot make an output pipe: %w", err)
	}
	cmd := shellCommand(s.shell, command)
	cmd.Dir = s.cfg.Dir
	cmd.Stdout, cmd.Stderr = w, w
	t, err := startTree(cmd, s.warnOnce)
	w.Close()
	if err != nil {
		r.Close()
		return nil, err
	}
	out := newOutput(s.cfg.Output)
	p := &process{
		cmd:     cmd,
		pid:     cmd.Process.Pid,
		tree:    t,
		warn:    s.warnOnce,
		started: time.Now(),
		out:     out,
		done:    make(chan struct{}),
		copied:  make(chan struct{}),
	}
	go func() {
		out.copy(r)
		r.Close()
		close(p.copied)
	}()
	go func() {
		p.err = cmd.Wait()
		// A shell that ended with nothing left of its tree needs
		// nothing more; leftovers stay held, to die with hotserve.
		p.tree.release()
		close(p.done)
	}()
	return p, nil
}

// exited reports whether Wait has returned.
func (p *process) exited() bool {
	select {
	case <-p.done:
		return true
	default:
		return false
	}
}

// status describes how the process ended, after done: "exit status 1",
// "signal: killed".
func (p *process) status() (code int, text string) {
	if p.err == nil {
		return 0, "exit status 0"
	}
	var ee *exec.ExitError
	if errors.As(p.err, &ee) {
		return ee.ExitCode(), ee.Error()
	}
	return -1, p.err.Error()
}

// tail waits briefly for the output to be drained, so that the last words
// of a process that just exited are in, and returns its last lines.
func (p *process) tail() string {
	select {
	case <-p.copied:
	case <-time.After(outputWait): // a child that escaped still holds the pipe
	}
	return p.out.tail()
}

// stop ends the process and everything it started: sig to the whole tree,
// up to timeout for all of it to exit, then the OS's kill of the same tree.
// It returns once nothing is left, or with an error naming the survivors.
// A signal that could not be sent (on Windows, a hotserve without a
// console) is a warning, and the kill follows at once: there is nothing to
// wait for.
func (p *process) stop(sig syscall.Signal, timeout time.Duration) error {
	if err := p.tree.signal(sig); err != nil {
		p.warn(err.Error() + "; killing it instead of waiting")
	} else if p.waitGone(timeout) {
		return nil
	}
	var errs []error
	if err := p.tree.kill(); err != nil {
		errs = append(errs, err)
	}
	if !p.waitGone(killWait) {
		errs = append(errs, fmt.Errorf("backend: processes %v survived being killed (stuck in the kernel?); %s", p.tree.survivors(), listCommand))
	}
	return errors.Join(errs...)
}

// waitGone waits up to d for the shell to be reaped and for nothing to be
// left of its tree, which it then releases.
func (p *process) waitGone(d time.Duration) bool {
	deadline := time.NewTimer(d)
	defer deadline.Stop()
	tick := time.NewTicker(pollInterval)
	defer tick.Stop()
	for {
		if p.exited() && len(p.tree.survivors()) == 0 {
			p.tree.release()
			return true
		}
		select {
		case <-deadline.C:
			return false
		case <-p.done:
		case <-tick.C:
		}
	}
}
