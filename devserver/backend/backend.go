// Package backend runs the project's own server for hotserve and keeps it
// running: it builds and starts it in a tree of its own (a process group on
// unix, a Job Object on Windows), restarts it on request, stops the whole
// tree (politely, then with a kill), never starts a new process before the
// old one is gone and its port is free, waits until the new one answers,
// and reports crashes. One goroutine does all of this in order, so two
// backends never run at once. The tree never outlives hotserve, even when
// hotserve is killed or crashes: on unix a watchdog process kills it
// (watchdog_unix.go), on Windows the job does.
package backend

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"sync"
	"syscall"
	"time"
)

// Timing of restarts.
const (
	// readyTimeout bounds the wait for a (re)started backend to answer.
	readyTimeout = 30 * time.Second
	// Backoff after a backend that exits on its own within quickExit of
	// starting: the next start waits minBackoff, doubling up to maxBackoff.
	quickExit  = 10 * time.Second
	minBackoff = 500 * time.Millisecond
	maxBackoff = 8 * time.Second
)

// Config describes the backend. The zero value of every field but Command
// is the documented default.
type Config struct {
	// Command is the shell command line that runs the backend, such as
	// "go run ." or "npm start"; it is run with $SHELL -c (or /bin/sh), so
	// pipes, && and environment assignments work. On Windows it is run
	// with %ComSpec% /c (cmd.exe), or with $SHELL -c where $SHELL is a
	// program (Git Bash sets it). Required.
	Command string
	// Build is a shell command line run before the first start and before
	// each restart asked for with build set (a source changed). While it
	// runs, the old backend keeps serving; if it fails, the old backend is
	// kept and the failure reported. Default: none.
	Build string
	// Dir is the working folder of both commands. Default: hotserve's.
	Dir string
	// StopSignal is sent to the backend's process group to stop it, as
	// ParseSignal reads it (on Windows every signal but SIGKILL is
	// CTRL_BREAK_EVENT). Default: SIGTERM.
	StopSignal syscall.Signal
	// StopTimeout is how long the tree has to exit after StopSignal
	// before it is killed (SIGKILL; on Windows, its job is terminated).
	// Default: 5s.
	StopTimeout time.Duration
	// RestartOnCrash restarts a backend that exits by itself, after a
	// backoff when it keeps exiting quickly; otherwise it restarts on the
	// next Restart. Default: false.
	RestartOnCrash bool
	// Ready is where the backend answers once it is up: an http(s) URL
	// (any HTTP response counts) or host:port (an accepted connection
	// counts). When it is on this machine, its port must also be free
	// before each start. Default: none; a started backend counts as ready.
	Ready string
	// Output receives what both commands print (stdout and stderr), one
	// whole line per Write. Default: discard.
	Output io.Writer
	// Log receives what the supervisor does. Default: discard.
	Log *slog.Logger
	// Notify is told, from the supervisor's goroutine, when the backend is
	// up, exits, or fails to build. It must not block. Default: nothing.
	Notify func(Event)
}

// Kind is what an Event reports.
type Kind uint8

const (
	// Up: the backend was (re)started and answers (or, without
	// Config.Ready, was started).
	Up Kind = iota + 1
	// Exited: the backend exited without being asked to.
	Exited
	// BuildFailed: the build command failed; the old backend, if any,
	// keeps running.
	BuildFailed
)

// Event is one change of the backend's state.
type Event struct {
	Kind Kind
	// Reason says what caused the start (Up): "start", or the reason given
	// to Restart.
	Reason string
	// PID is the shell's pid, which is also its process group's id.
	PID int
	// Took is the time from the start of the restart to Up, build
	// included.
	Took time.Duration
	// Status says how the process ended: "exit status 1", "signal:
	// segmentation fault" (Exited, BuildFailed); Code is its exit code, -1
	// for a signal.
	Status string
	Code   int
	// Tail is the last lines of its output (Exited, BuildFailed).
	Tail string
	// Next says when it will be started again (Exited): "on the next
	// change", "in 2s".
	Next string
}

// Supervisor runs one backend. Its methods are safe for concurrent use.
type Supervisor struct {
	cfg   Config
	shell string
	probe *probe // nil without Config.Ready

	kick chan struct{} // a pending restart, buffered 1
	quit chan struct{}
	done chan struct{} // closed when run returns
	once sync.Once
	// closeErr is the final stop's error, set before done is closed.
	closeErr error

	warned map[string]bool // warnings said once, on the supervisor's goroutine

	mu      sync.Mutex
	pending *request      // the restart asked for and not yet begun
	gate    chan struct{} // closed while requests may go to the backend
}

// request is a restart asked for: several requests made while one is
// pending merge into it.
type request struct {
	build  bool
	reason string
}

// Start validates cfg, then builds and starts the backend in the
// background.
func Start(cfg Config) (*Supervisor, error) {
	if cfg.Command == "" {
		return nil, errors.New("backend: Config.Command is required; give the command that runs the backend, e.g. \"go run .\"")
	}
	if cfg.StopTimeout < 0 {
		return nil, fmt.Errorf("backend: StopTimeout %v is negative; use 0 for the default (5s) or a positive duration", cfg.StopTimeout)
	}
	cfg.StopSignal = cmp.Or(cfg.StopSignal, syscall.SIGTERM)
	cfg.StopTimeout = cmp.Or(cfg.StopTimeout, 5*time.Second)
	if cfg.Output == nil {
		cfg.Output = io.Discard
	}
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	if cfg.Notify == nil {
		cfg.Notify = func(Event) {}
	}
	shell, note := findShell()
	if note != "" {
		cfg.Log.Warn(note)
	}
	s := &Supervisor{
		cfg:     cfg,
		shell:   shell,
		warned:  make(map[string]bool),
		kick:    make(chan struct{}, 1),
		quit:    make(chan struct{}),
		done:    make(chan struct{}),
		pending: &request{build: true, reason: "start"},
		gate:    make(chan struct{}),
	}
	if cfg.Ready != "" {
		p, err := newProbe(cfg.Ready)
		if err != nil {
			return nil, err
		}
		s.probe = p
	}
	s.kick <- struct{}{}
	go s.run()
	return s, nil
}

// Restart asks for the backend to be restarted, after running the build
// command first when build is set. It does not wait: restarts asked for
// while one is pending or under way become a single restart after it.
func (s *Supervisor) Restart(build bool, reason string) {
	s.mu.Lock()
	if s.pending == nil {
		s.pending = &request{reason: reason}
	}
	s.pending.build = s.pending.build || build
	s.mu.Unlock()
	select {
	case s.kick <- struct{}{}:
	default:
	}
}

// Ready returns a channel that is closed while the backend may be sent
// requests: always, except from the moment the old process is stopped
// until the new one answers (or fails to). A proxy holds requests on it
// instead of failing them with 502 during a restart.
func (s *Supervisor) Ready() <-chan struct{} {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.gate
}

// Close stops the backend and its whole group, and waits until they are
// gone. It is idempotent; the error says which processes could not be
// stopped.
func (s *Supervisor) Close() error {
	s.once.Do(func() { close(s.quit) })
	<-s.done
	return s.closeErr
}

// warnOnce logs msg the first time it is said: a stop that cannot signal
// (or a watchdog that cannot start) would otherwise say so on every
// restart. It is called on the supervisor's goroutine only.
func (s *Supervisor) warnOnce(msg string) {
	if s.warned[msg] {
		return
	}
	s.warned[msg] = true
	s.cfg.Log.Warn(msg)
}

// hold makes Ready's channel open (requests wait); release closes it.
func (s *Supervisor) hold() {
	s.mu.Lock()
	defer s.mu.Unlock()
	select {
	case <-s.gate:
		s.gate = make(chan struct{})
	default:
	}
}

func (s *Supervisor) release() {
	s.mu.Lock()
	defer s.mu.Unlock()
	select {
	case <-s.gate:
	default:
		close(s.gate)
	}
}

// pendingRequest reports whether a restart is asked for and not yet begun.
func (s *Supervisor) pendingRequest() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.pending != nil
}

// take returns the pending request and clears it.
func (s *Supervisor) take() request {
	s.mu.Lock()
	defer s.mu.Unlock()
	r := cmp.Or(s.pending, &request{reason: "restart after exit"})
	s.pending = nil
	return *r
}

// run is the supervisor's one goroutine: every start, stop and build
// happens here, in order.
func (s *Supervisor) run() {
	defer close(s.done)
	var (
		cur       *process
		needBuild bool // the last build failed: the next start builds
		backoff   time.Duration
		notBefore time.Time // no start before this (backoff)
		retry     *time.Timer
		retryC    <-chan time.Time
	)
	later := func(d time.Duration) {
		if retry != nil {
			retry.Stop()
		}
		retry = time.NewTimer(d)
		retryC = retry.C
	}
	for {
		var exited <-chan struct{}
		if cur != nil {
			exited = cur.done
		}
		select {
		case <-s.quit:
			if retry != nil {
				retry.Stop()
			}
			if cur != nil {
				s.closeErr = cur.stop(s.cfg.StopSignal, s.cfg.StopTimeout)
			}
			s.release()
			return
		case <-s.kick:
			if !s.pendingRequest() {
				// A Restart's kick that came after its request was
				// taken by the cycle before: nothing is asked for.
				continue
			}
			if d := time.Until(notBefore); d > 0 {
				later(d) // still backing off after quick exits
				continue
			}
			// This start replaces any pending retry, which would
			// otherwise restart the backend just started.
			if retry != nil {
				retry.Stop() // since Go 1.23, no stale tick can follow
			}
			retryC = nil
		case <-retryC:
			retryC = nil
		case <-exited:
			s.exited(cur, &backoff, &notBefore)
			cur = nil
			if s.cfg.RestartOnCrash {
				later(time.Until(notBefore))
			}
			continue
		}
		cur, needBuild = s.cycle(cur, s.take(), needBuild)
	}
}

// exited reports a process that ended by itself and works out the backoff
// before the next start.
func (s *Supervisor) exited(p *process, backoff *time.Duration, notBefore *time.Time) {
	code, status := p.status()
	if time.Since(p.started) < quickExit {
		*backoff = min(max(2**backoff, minBackoff), maxBackoff)
	} else {
		*backoff = 0
	}
	*notBefore = time.Now().Add(*backoff)
	next := "on the next change"
	if s.cfg.RestartOnCrash {
		next = "in " + backoff.String()
		if *backoff == 0 {
			next = "now"
		}
	}
	s.release() // nothing to wait for: requests fail fast with 502
	s.cfg.Notify(Event{Kind: Exited, PID: p.pid, Status: status, Code: code, Tail: p.tail(), Next: next})
}

// cycle builds when asked to (or when the last build failed), stops cur,
// waits for its port, starts a new process and waits until it answers. It
// returns the running process (cur, when the build failed) and whether the
// next start must build.
func (s *Supervisor) cycle(cur *process, req request, needBuild bool) (*process, bool) {
	begin := time.Now()
	if (req.build || needBuild) && s.cfg.Build != "" {
		if !s.build() {
			return cur, true
		}
	}
	s.hold()
	if cur != nil {
		if err := cur.stop(s.cfg.StopSignal, s.cfg.StopTimeout); err != nil {
			s.cfg.Log.Error(err.Error())
		}
	}
	s.waitPort(cur != nil)
	p, err := s.spawn(s.cfg.Command)
	if err != nil {
		s.release()
		s.cfg.Notify(Event{Kind: Exited, Status: err.Error(), Code: -1, Next: "on the next change"})
		return nil, false
	}
	if s.waitReady(p) {
		s.release()
		s.cfg.Notify(Event{Kind: Up, Reason: req.reason, PID: p.pid, Took: time.Since(begin)})
	}
	return p, false
}

// build runs the build command to its end and reports a failure. Closing
// the supervisor stops it.
func (s *Supervisor) build() bool {
	p, err := s.spawn(s.cfg.Build)
	if err != nil {
		s.cfg.Notify(Event{Kind: BuildFailed, Status: err.Error(), Code: -1})
		return false
	}
	select {
	case <-p.done:
	case <-s.quit:
		p.stop(s.cfg.StopSignal, s.cfg.StopTimeout)
		return false
	}
	code, status := p.status()
	if code == 0 {
		return true
	}
	s.cfg.Notify(Event{Kind: BuildFailed, PID: p.pid, Status: status, Code: code, Tail: p.tail()})
	return false
}

// waitPort waits until nothing listens on the backend's port: after a
// stop, up to StopTimeout (a descendant that left the group may still be
// closing it); before the first start, not at all. Either way, a port that
// stays taken is reported with the pid that holds it, and the start goes
// ahead, so that the backend's own error says the rest.
func (s *Supervisor) waitPort(afterStop bool) {
	if s.probe == nil {
		return
	}
	port := s.probe.localPort()
	if port == 0 {
		return
	}
	deadline := time.Now()
	if afterStop {
		deadline = deadline.Add(s.cfg.StopTimeout)
	}
	for {
		pid, name, busy := PortHolder(port)
		if !busy {
			return
		}
		if time.Now().After(deadline) {
			const msg = "the backend's port is still held; stop what holds it, or the backend cannot listen"
			if pid == 0 {
				s.cfg.Log.Warn(msg, "port", port, "holder", UnnamedHolder(port))
			} else {
				s.cfg.Log.Warn(msg, "port", port, "pid", pid, "name", name, "stop", fmt.Sprintf(killCommand, pid))
			}
			return
		}
		select {
		case <-s.quit:
			return
		case <-time.After(pollInterval):
		}
	}
}

// waitReady waits until the backend answers and reports whether it did.
// It returns false when the process exited first (run reports that) or
// the supervisor is closing; after readyTimeout it warns and counts the
// backend as up, so the browsers are not kept waiting forever.
func (s *Supervisor) waitReady(p *process) bool {
	if s.probe == nil {
		return true
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() {
		select {
		case <-p.done:
		case <-s.quit:
		case <-ctx.Done():
		}
		cancel()
	}()
	deadline := time.Now().Add(readyTimeout)
	for {
		if s.probe.answers(ctx, time.Second) {
			return true
		}
		if ctx.Err() != nil {
			return false
		}
		if time.Now().After(deadline) {
			s.cfg.Log.Warn("the backend does not answer; reloading anyway (is its ready address right?)", "ready", s.cfg.Ready, "after", readyTimeout)
			return true
		}
		select {
		case <-ctx.Done():
			return false
		case <-time.After(pollInterval):
		}
	}
}
