package devserver_test

import (
	"context"
	"log/slog"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// lineLog keeps the messages the server logs, as the terminal would show
// them.
type lineLog struct {
	mu    sync.Mutex
	lines []string
}

func (l *lineLog) logger() *slog.Logger { return slog.New(lineHandler{l}) }

func (l *lineLog) all() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]string(nil), l.lines...)
}

// wait returns the first line that starts with prefix, or fails the test
// at the deadline.
func (l *lineLog) wait(t *testing.T, prefix string, timeout time.Duration) string {
	t.Helper()
	var line string
	waitUntil(t, "a line starting "+prefix, timeout, func() bool {
		for _, s := range l.all() {
			if strings.HasPrefix(s, prefix) {
				line = s
				return true
			}
		}
		return false
	})
	return line
}

type lineHandler struct{ l *lineLog }

func (h lineHandler) Enabled(context.Context, slog.Level) bool { return true }
func (h lineHandler) WithAttrs([]slog.Attr) slog.Handler       { return h }
func (h lineHandler) WithGroup(string) slog.Handler            { return h }
func (h lineHandler) Handle(_ context.Context, r slog.Record) error {
	h.l.mu.Lock()
	defer h.l.mu.Unlock()
	h.l.lines = append(h.l.lines, r.Message)
	return nil
}

// waitUntil polls cond until it holds, or fails the test at the deadline.
func waitUntil(t *testing.T, what string, timeout time.Duration, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %v waiting for %s", timeout, what)
		}
		time.Sleep(10 * time.Millisecond) // poll interval
	}
}

func regexpMatch(pattern, s string) bool { return regexp.MustCompile(pattern).MatchString(s) }
