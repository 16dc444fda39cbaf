package devserver_test

import (
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hotserve/hotserve/devserver"
	"github.com/hotserve/hotserve/devserver/monitor"
)

// TestMonitorNamesTheBusyPart asks for pages in a loop, with a low CPU
// threshold, and expects the CPU warning to blame serving.
func TestMonitorNamesTheBusyPart(t *testing.T) {
	warnings := make(chan monitor.Warning, 10)
	s := startSite(t, newSiteDir(t), "127.0.0.1:0", func(c *devserver.Config) {
		c.Monitor = &monitor.Config{Interval: 100 * time.Millisecond, Thresholds: monitor.Thresholds{CPUPercent: 5, CPUFor: 500 * time.Millisecond},
			Warn: func(w monitor.Warning) { warnings <- w }}
	})
	stop := make(chan struct{})
	var wg sync.WaitGroup
	defer wg.Wait()
	defer close(stop)
	for range 2 {
		wg.Go(func() {
			for {
				select {
				case <-stop:
					return
				default:
				}
				if resp, err := http.Get(s.URL + "style.css"); err == nil {
					resp.Body.Close()
				}
			}
		})
	}
	select {
	case w := <-warnings:
		if w.Kind != "cpu" || !strings.Contains(w.Text, "mostly serving (") || !strings.Contains(w.Text, "requests/s) — a page or a tool requesting in a loop?") {
			t.Errorf("have %q, want the CPU warning naming serving", w.Text)
		}
		t.Log(w.Text)
	case <-time.After(20 * time.Second):
		t.Fatal("no CPU warning in 20s of requests in a loop")
	}
}
