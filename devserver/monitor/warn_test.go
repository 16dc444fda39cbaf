package monitor

import (
	"strings"
	"testing"
	"time"
)

// feed files samples made by f for minute marks 0..n-1 and returns the
// warnings given, in order.
func feed(t Thresholds, n int, step time.Duration, f func(i int, s *Sample)) []Warning {
	h, w := newHistory(1000), newWarner(t.WithDefaults())
	start := time.Unix(1_700_000_000, 0)
	var out []Warning
	for i := range n {
		s := Sample{At: start.Add(time.Duration(i) * step)}
		f(i, &s)
		h.add(s)
		out = append(out, w.check(h, s)...)
	}
	return out
}

func TestGrowthWarnsOncePerEpisode(t *testing.T) {
	th := Thresholds{Growth: 600e6, GrowthWindow: 10 * time.Minute}
	rss := []uint64{1.2e9, 1.3e9, 1.5e9, 1.8e9, 1.9e9, 2.0e9, 0.3e9, 0.3e9, 1.0e9}
	ws := feed(th, len(rss), 2*time.Minute, func(i int, s *Sample) {
		s.Backends = []BackendProc{{Name: "api", PID: 1, Proc: Proc{RSS: rss[i]}}}
	})
	if len(ws) != 2 {
		t.Fatalf("have %d warnings, want 2 (one per episode): %v", len(ws), ws)
	}
	want := "api │ memory 1.8 GB, +600 MB in 6 min — leaking?"
	if !strings.HasPrefix(ws[0].Text, want) {
		t.Errorf("have %q\nwant it to start %q", ws[0].Text, want)
	}
	if !strings.Contains(ws[1].Text, "memory 1 GB, +700 MB in 4 min") {
		t.Errorf("second episode: have %q", ws[1].Text)
	}
}

func TestDiskLow(t *testing.T) {
	total := uint64(500e9)
	free := []uint64{100e9, 20e9, 24e9, 19e9, 27e9, 10e9} // 5 % is 25 GB; clear at 27.5 GB
	ws := feed(Thresholds{}, len(free), time.Second, func(i int, s *Sample) {
		s.Disks = []Disk{{Path: "/p", Free: free[i], Total: total}}
	})
	if len(ws) != 1 || ws[0].Kind != "disk" {
		t.Fatalf("have %v, want one disk warning (19 GB and 27 GB do not end the episode)", ws)
	}
	if !strings.Contains(ws[0].Text, "20 GB free of 500 GB (4.0 %) on the file system of /p") {
		t.Errorf("have %q", ws[0].Text)
	}
	small := feed(Thresholds{}, 1, time.Second, func(i int, s *Sample) {
		s.Disks = []Disk{{Path: "/p", Free: 900e6, Total: 8e9}} // 11 %, but under 1 GB
	})
	if len(small) != 1 {
		t.Errorf("900 MB of 8 GB: have %v, want a warning", small)
	}
}

func TestCPUSustainedNamesThePart(t *testing.T) {
	th := Thresholds{CPUPercent: 80, CPUFor: time.Minute}
	cpu := []float64{10, 90, 95, 90, 85, 92, 91, 50}
	ws := feed(th, len(cpu), 15*time.Second, func(i int, s *Sample) {
		s.Self.CPU = cpu[i]
		s.Requests, s.Events = 40, 30000 // 0.8 ms of serving a second, 150 ms of watching
	})
	if len(ws) != 1 {
		t.Fatalf("have %v, want one warning", ws)
	}
	want := "hotserve │ CPU 90 % for 1 min, mostly watching (30000 file events/s) — something keeps writing"
	if !strings.HasPrefix(ws[0].Text, want) {
		t.Errorf("have %q\nwant it to start %q", ws[0].Text, want)
	}
	short := feed(th, 4, 15*time.Second, func(i int, s *Sample) { s.Self.CPU = []float64{90, 95, 10, 95}[i] })
	if len(short) != 0 {
		t.Errorf("a busy spell shorter than CPUFor: have %v, want none", short)
	}
}
