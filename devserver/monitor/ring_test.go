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

// TestHistoryStaysBounded samples for real on a fast interval, then by
// hand for more than the rings hold, and checks that no series grows past
// its capacity.
func TestHistoryStaysBounded(t *testing.T) {
	s := Start(Config{Interval: time.Millisecond}, Sources{Root: t.TempDir(),
		Backends: func() []Backend { return []Backend{{Name: "self", PID: selfPID()}} }})
	defer s.Close()
	capacity := s.hist.capacity
	if capacity != maxPoints {
		t.Fatalf("capacity at 1ms: have %d, want the cap %d", capacity, maxPoints)
	}
	held := func() int {
		s.mu.Lock()
		defer s.mu.Unlock()
		return s.hist.series["cpu/hotserve"].len()
	}
	for deadline := time.Now().Add(10 * time.Second); held() < 100; {
		if time.Now().After(deadline) {
			t.Fatalf("the ticker took %d samples in 10s, want 100", held())
		}
		time.Sleep(5 * time.Millisecond) // poll the sampler's progress
	}
	for range capacity + 100 { // past a ring's worth, while the ticker goes on
		s.Sample()
	}
	if n := held(); n != capacity {
		t.Errorf("the ring holds %d points, want its capacity %d", n, capacity)
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
