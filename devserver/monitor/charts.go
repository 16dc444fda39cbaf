package monitor

import (
	"strings"

	"github.com/hotserve/hotserve/internal/words"
)

// Chart is one chart of the status page: a title, the unit its values
// are in, and one line per series. The page draws it as it is: which
// series go together and what they are called is decided here, once.
type Chart struct {
	ID    string `json:"id"`
	Title string `json:"title"`
	// Unit is how the page formats values: "%", "bytes", "/s", "ms" or
	// "" (a count).
	Unit string `json:"unit"`
	// Max is a fixed top of the value axis (a limit), 0 to fit the data.
	Max   float64 `json:"max,omitempty"`
	Lines []Line  `json:"lines"`
	// Note is a small line under the chart (Go heap and goroutines).
	Note string `json:"note,omitempty"`
}

// Line is one series of a chart: T in Unix ms, V the values, oldest first.
type Line struct {
	Label string    `json:"label"`
	T     []int64   `json:"t"`
	V     []float64 `json:"v"`
}

// Charts returns the status page's charts over the history kept.
func (s *Sampler) Charts() []Chart {
	s.mu.Lock()
	defer s.mu.Unlock()
	h := s.hist
	last := h.last
	var watchMax float64
	if last.WatchesLimit > 0 {
		watchMax = float64(last.WatchesLimit)
	}
	charts := []Chart{
		{ID: "cpu", Title: "CPU", Unit: "%", Lines: h.lines("cpu/", "")},
		{ID: "memory", Title: "Memory (resident)", Unit: "bytes", Lines: h.lines("rss/", ""),
			Note: "Go heap " + formatBytes(last.Heap) + " · " + itoa(last.Goroutines) + " goroutines"},
		{ID: "events", Title: "File events", Unit: "/s", Lines: h.lines("events", "raw events/s"),
			Note: itoa(int(last.Batches)) + " " + words.Plural(int(last.Batches), "batch", "batches") + " in the last " + formatSpan(s.cfg.Interval)},
		{ID: "latency", Title: "Save to paint", Unit: "ms", Lines: append(h.lines("paint/median", "median"), h.lines("paint/max", "slowest")...)},
		{ID: "disk", Title: "Disk free", Unit: "bytes", Max: diskMax(last.Disks), Lines: h.lines("disk/", "")},
	}
	if watchMax > 0 {
		charts = append(charts, Chart{ID: "watches", Title: "Watches", Unit: "", Max: watchMax, Lines: h.lines("watches", "used")})
	}
	return charts
}

// diskMax is the top of the disk chart: the largest file system's size,
// so each line's height is also how full it is against the largest.
func diskMax(ds []Disk) float64 {
	var top uint64
	for _, d := range ds {
		top = max(top, d.Total)
	}
	return float64(top)
}

// lines makes a line of every series whose key starts with prefix, named
// label or, without one, after what follows the prefix ("cpu/api" → api).
func (h *history) lines(prefix, label string) []Line {
	out := []Line{} // [], not null, in JSON
	for _, key := range h.with(prefix) {
		l := Line{Label: label, T: []int64{}, V: []float64{}}
		if label == "" {
			l.Label = strings.TrimPrefix(key, prefix)
		}
		for _, p := range h.points(key) {
			l.T = append(l.T, p.T)
			l.V = append(l.V, round3(p.V))
		}
		out = append(out, l)
	}
	return out
}
