package watcher

import "testing"

func TestPollStats(t *testing.T) {
	w := newWatcher(t, Options{Poll: true})
	s := w.Stats()
	if s.Mode != "poll" || s.ModeReason != "polling was asked for" || s.PollInterval < pollMin || s.Dirs != 1 {
		t.Errorf("Stats() = %+v, want poll mode with its reason, an interval of at least %v, 1 folder", s, pollMin)
	}
}
