package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os/exec"
	"strings"
	"sync"
	"time"
)

// hotserve is the started command and what it has printed.
type hotserve struct {
	cmd    *exec.Cmd
	out    *output
	exited chan struct{} // closed when the command has exited
	err    error         // how it exited, once exited is closed
}

// start runs prog with args in dir, its output collected.
func start(dir, prog string, args []string) (*hotserve, error) {
	hs := &hotserve{cmd: exec.Command(prog, args...), out: newOutput(), exited: make(chan struct{})}
	hs.cmd.Dir = dir
	hs.cmd.Stdout = hs.out
	hs.cmd.Stderr = hs.out
	// Wine leaves its wineserver running with the output pipe open; do
	// not wait for that to close.
	hs.cmd.WaitDelay = time.Second
	if err := hs.cmd.Start(); err != nil {
		return nil, fmt.Errorf("start: %w", err)
	}
	go func() {
		hs.err = hs.cmd.Wait()
		close(hs.exited)
	}()
	return hs, nil
}

// ready waits for hotserve's "ready" line and returns the URL it gives.
func (hs *hotserve) ready(timeout time.Duration) (string, error) {
	select {
	case url := <-hs.out.url:
		return url, nil
	case <-hs.exited:
		return "", fmt.Errorf("hotserve exited before it was ready (%v)", hs.err)
	case <-time.After(timeout):
		return "", fmt.Errorf("hotserve printed no ready line within %v", timeout)
	}
}

// stop kills the command and waits for it to exit.
func (hs *hotserve) stop() {
	hs.cmd.Process.Kill()
	<-hs.exited
}

// printTail writes the last n lines hotserve printed.
func (hs *hotserve) printTail(w io.Writer, n int) {
	lines := hs.out.lines()
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	for _, l := range lines {
		fmt.Fprintf(w, "  hotserve| %s\n", l)
	}
}

// output collects what the command prints, line by line, and passes on the
// URL of the first JSON "ready" record.
type output struct {
	mu      sync.Mutex
	partial []byte
	all     []string
	url     chan string
	sent    bool
}

func newOutput() *output { return &output{url: make(chan string, 1)} }

func (o *output) Write(p []byte) (int, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.partial = append(o.partial, p...)
	for {
		i := bytes.IndexByte(o.partial, '\n')
		if i < 0 {
			break
		}
		line := strings.TrimRight(string(o.partial[:i]), "\r")
		o.partial = o.partial[i+1:]
		o.all = append(o.all, line)
		var rec struct{ Msg, URL string }
		if !o.sent && json.Unmarshal([]byte(line), &rec) == nil && rec.Msg == "ready" && rec.URL != "" {
			o.url <- rec.URL
			o.sent = true
		}
	}
	return len(p), nil
}

func (o *output) lines() []string {
	o.mu.Lock()
	defer o.mu.Unlock()
	lines := append([]string(nil), o.all...)
	if len(o.partial) > 0 {
		lines = append(lines, string(o.partial))
	}
	return lines
}
