package monitor

import (
	"fmt"
	"time"
)

// Thresholds say when the monitor warns. The zero value of each field is
// its default.
type Thresholds struct {
	// Growth is how much a backend's memory may grow within GrowthWindow
	// before it looks like a leak. Default: 500 MB over 10 minutes.
	Growth       uint64
	GrowthWindow time.Duration
	// DiskPercent and DiskBytes: a file system of the served folder or a
	// mount is low when its free space is under either. Default: 5 % and 1 GB.
	DiskPercent float64
	DiskBytes   uint64
	// CPUPercent is how much of one core hotserve itself may use for
	// CPUFor before it says which of its parts is busy.
	// Default: 80 % for 2 minutes.
	CPUPercent float64
	CPUFor     time.Duration
}

// WithDefaults is t with each zero field set to its default.
func (t Thresholds) WithDefaults() Thresholds {
	def := func(v *uint64, d uint64) {
		if *v == 0 {
			*v = d
		}
	}
	def(&t.Growth, 500e6)
	def(&t.DiskBytes, 1e9)
	if t.GrowthWindow <= 0 {
		t.GrowthWindow = 10 * time.Minute
	}
	if t.DiskPercent <= 0 {
		t.DiskPercent = 5
	}
	if t.CPUPercent <= 0 {
		t.CPUPercent = 80
	}
	if t.CPUFor <= 0 {
		t.CPUFor = 2 * time.Minute
	}
	return t
}

// Warning is one crossed threshold: Kind is "memory", "disk" or "cpu";
// Subject what it is about (a backend's name, a file system's folders
// as Disk.Label names them, "hotserve"); Text
// the whole line, numbers and what to do, as the terminal prints it.
type Warning struct {
	Kind    string `json:"kind"`
	Subject string `json:"subject"`
	Text    string `json:"text"`
}

// warner remembers which episodes are on, so that each warns once: an
// episode ends when its figure is back under the threshold (memory:
// under half the growth, disk: a tenth above the floor, so a figure
// hovering at the line does not warn at every sample).
type warner struct {
	t  Thresholds
	on map[string]bool // by Kind+"/"+Subject
}

func newWarner(t Thresholds) *warner { return &warner{t: t, on: map[string]bool{}} }

// episode reports whether key's episode starts now (crossed, and was
// off), ending it when cleared.
func (w *warner) episode(key string, crossed, cleared bool) bool {
	switch {
	case crossed && !w.on[key]:
		w.on[key] = true
		return true
	case cleared:
		delete(w.on, key)
	}
	return false
}

// check returns the warnings whose episodes start with sample s.
func (w *warner) check(h *history, s Sample) []Warning {
	var out []Warning
	for _, b := range s.Backends {
		if wn, ok := w.growth(h, b, s.At); ok {
			out = append(out, wn)
		}
	}
	for _, d := range s.Disks {
		if wn, ok := w.disk(d); ok {
			out = append(out, wn)
		}
	}
	if wn, ok := w.cpu(h, s.At); ok {
		out = append(out, wn)
	}
	return out
}

// growth warns when a backend's memory grew by Growth within the window:
// now against the least it used in the window.
func (w *warner) growth(h *history, b BackendProc, now time.Time) (Warning, bool) {
	ps := h.series["rss/"+b.Name].since(now.Add(-w.t.GrowthWindow).UnixMilli())
	if len(ps) == 0 {
		return Warning{}, false
	}
	low := ps[0]
	for _, p := range ps {
		if p.V < low.V {
			low = p
		}
	}
	grew := float64(b.RSS) - low.V
	if !w.episode("memory/"+b.Name, grew >= float64(w.t.Growth), grew < float64(w.t.Growth)/2) {
		return Warning{}, false
	}
	span := now.Sub(time.UnixMilli(low.T))
	text := fmt.Sprintf("%s │ memory %s, +%s in %s — leaking? The memory chart on the status page (/__hotserve/) shows the trend; a restart frees it",
		b.Name, formatBytes(b.RSS), formatBytes(uint64(grew)), formatSpan(span))
	return Warning{Kind: "memory", Subject: b.Name, Text: text}, true
}

// disk warns when a file system of the served folder or a mount is low
// on space: each file system has its own episodes, named by its folders.
func (w *warner) disk(d Disk) (Warning, bool) {
	if d.Total == 0 {
		return Warning{}, false
	}
	floor := max(float64(w.t.DiskBytes), w.t.DiskPercent/100*float64(d.Total))
	free := float64(d.Free)
	if !w.episode("disk/"+d.Label(), free < floor, free >= 1.1*floor) {
		return Warning{}, false
	}
	text := fmt.Sprintf("disk │ %s free of %s (%.1f %%) on the file system of %s — builds and saves may fail; free some space (build output, caches, old logs)",
		formatBytes(d.Free), formatBytes(d.Total), d.Percent(), d.where())
	return Warning{Kind: "disk", Subject: d.Label(), Text: text}, true
}
