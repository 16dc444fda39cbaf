package monitor

import (
	"encoding/json"
	"testing"
	"time"
)

func TestRingKeepsTheNewest(t *testing.T) {
	r := newRing(3)
	for i := range 5 {
		r.add(Point{T: int64(i), V: float64(i)})
	}
	ps := r.points()
	if len(ps) != 3 || ps[0].T != 2 || ps[2].T != 4 {
		t.Fatalf("have %v, want points 2, 3, 4", ps)
	}
	if p, _ := r.last(); p.T != 4 {
		t.Errorf("last: have %v, want 4", p)
	}
	if s := r.since(3); len(s) != 2 || s[0].T != 3 {
		t.Errorf("since 3: have %v, want 3, 4", s)
	}
}

// TestHistoryStaysBounded samples for real on a fast interval, far more
// often than the rings hold, and checks that no series grows past its
// capacity.
func TestHistoryStaysBounded(t *testing.T) {
	s := Start(Config{Interval: time.Millisecond}, Sources{Root: t.TempDir(),
		Backends: func() []Backend { return []Backend{{Name: "self", PID: selfPID()}} }})
	defer s.Close()
	capacity := s.hist.capacity
	if capacity != maxPoints {
		t.Fatalf("capacity at 1ms: have %d, want the cap %d", capacity, maxPoints)
	}
	deadline := time.Now().Add(30 * time.Second)
	for {
		s.mu.Lock()
		n := s.hist.series["cpu/hotserve"].len()
		full := s.hist.series["cpu/hotserve"].full
		s.mu.Unlock()
		if n > capacity {
			t.Fatalf("the ring holds %d points, over its %d", n, capacity)
		}
		if full {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the ring did not fill in 30s: %d of %d", n, capacity)
		}
		time.Sleep(10 * time.Millisecond) // poll the sampler's progress
	}
	for range capacity { // another ring's worth, by hand
		s.Sample()
	}
	for _, c := range s.Charts() {
		for _, l := range c.Lines {
			if len(l.T) > capacity || len(l.T) != len(l.V) {
				t.Errorf("%s/%s: %d times, %d values, capacity %d", c.ID, l.Label, len(l.T), len(l.V), capacity)
			}
		}
	}
}

func TestCapacityIsAnHour(t *testing.T) {
	s := Start(Config{}, Sources{})
	defer s.Close()
	if want := int(time.Hour / DefaultInterval); s.hist.capacity != want {
		t.Errorf("capacity at the default interval: have %d, want %d", s.hist.capacity, want)
	}
}

// BenchmarkCharts is the cost of the charts a status frame carries, in
// JSON, with
// every ring full (an hour at 5 s) and one backend: paid every 2 s while
// a status page is open, never otherwise.
func BenchmarkCharts(b *testing.B) {
	s := Start(Config{}, Sources{}) // 720 points a series
	defer s.Close()
	for range s.hist.capacity {
		s.Sample()
		s.mu.Lock()
		s.hist.put("rss/backend", 0, 1)
		s.hist.put("cpu/backend", 0, 1)
		s.mu.Unlock()
	}
	var size int
	for b.Loop() {
		j, _ := json.Marshal(s.Charts())
		size = len(j)
	}
	b.ReportMetric(float64(size), "JSON-bytes")
}
