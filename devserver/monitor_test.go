package devserver_test

import (
	"encoding/json"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hotserve/hotserve/devserver"
	"github.com/hotserve/hotserve/devserver/monitor"
)

// TestMonitorWarnsOfAGrowingBackend runs the test backend allocating 25 MB
// a second and expects the growth warning in hotserve's log, once.
func TestMonitorWarnsOfAGrowingBackend(t *testing.T) {
	cfg := devserver.Config{Monitor: &monitor.Config{Interval: 100 * time.Millisecond,
		Thresholds: monitor.Thresholds{Growth: 40e6, GrowthWindow: 5 * time.Second}}}
	bs := startBackendSite(t, t.TempDir(), cfg, false, "-grow", "25000000")
	want := regexp.MustCompile(`backend │ memory \d[\d.]* MB, \+\d[\d.]* MB in [\d.]+ s — leaking\?`)
	deadline := time.Now().Add(30 * time.Second)
	for !want.MatchString(bs.log.String()) {
		if time.Now().After(deadline) {
			t.Fatalf("no growth warning in 30s; the log:\n%s\nthe backend:\n%s", bs.log, bs.out)
		}
		time.Sleep(20 * time.Millisecond) // poll the log
	}
	t.Log(want.FindString(bs.log.String()))
	if n := strings.Count(bs.log.String(), "leaking?"); n != 1 {
		t.Errorf("%d growth warnings, want 1 per episode:\n%s", n, bs.log)
	}
}

// TestMonitorQuietBackend is the control: a backend that does not grow
// draws no warning over the same samples.
func TestMonitorQuietBackend(t *testing.T) {
	cfg := devserver.Config{Monitor: &monitor.Config{Interval: 50 * time.Millisecond,
		Thresholds: monitor.Thresholds{Growth: 40e6, GrowthWindow: 5 * time.Second}}}
	bs := startBackendSite(t, t.TempDir(), cfg, false)
	bs.readyAt(t, 1)
	for range 20 {
		devserver.SampleNow(bs.srv)
	}
	if strings.Contains(bs.log.String(), "leaking?") {
		t.Errorf("a warning for a quiet backend:\n%s", bs.log)
	}
}

// TestStatusJSON asks /__hotserve/status for the frame: with the page's
// token it has the charts; without, 403.
func TestStatusJSON(t *testing.T) {
	s := startSite(t, t.TempDir(), "127.0.0.1:0", func(c *devserver.Config) { c.Monitor = &monitor.Config{Interval: time.Hour} })
	devserver.SampleNow(s.srv)
	for _, q := range []string{"", "?t=", "?t=0123456789abcdef0123456789abcdef"} {
		if resp, _ := do(t, "GET", s.URL+"__hotserve/status"+q, nil); resp.StatusCode != http.StatusForbidden {
			t.Errorf("GET /__hotserve/status%s: %s, want 403", q, resp.Status)
		}
	}
	frame := statusJSON(t, s)
	ids := []string{}
	for _, c := range frame.Charts {
		ids = append(ids, c.ID)
	}
	if got := strings.Join(ids, " "); !strings.HasPrefix(got, "cpu memory events latency disk") {
		t.Fatalf("charts %q", got)
	}
	mem := frame.Charts[1]
	if len(mem.Lines) != 1 || mem.Lines[0].Label != "hotserve" || len(mem.Lines[0].V) != 2 || mem.Lines[0].V[1] < 1e6 {
		t.Errorf("memory chart: %+v", mem)
	}
}

type statusDoc struct {
	Charts []monitor.Chart `json:"charts"`
}

// statusJSON reads /__hotserve/status with the token from the status page.
func statusJSON(t *testing.T, s *site) statusDoc {
	t.Helper()
	_, page := do(t, "GET", s.URL+"__hotserve/", nil)
	m := regexp.MustCompile(`name="hotserve-token" content="([0-9a-f]+)"`).FindStringSubmatch(page)
	if m == nil {
		t.Fatal("no token in the status page")
	}
	resp, body := do(t, "GET", s.URL+"__hotserve/status?t="+m[1], nil)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("%s: %s", resp.Status, body)
	}
	var doc statusDoc
	if err := json.Unmarshal([]byte(body), &doc); err != nil {
		t.Fatal(err)
	}
	return doc
}
