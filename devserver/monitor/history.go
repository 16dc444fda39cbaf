package monitor

import (
	"slices"
	"strings"
)

// history is every series' ring, by key: "cpu/hotserve", "rss/api",
// "events", …. A backend's series appear with its first sample and stay
// for the hour, so a backend that stopped still shows what it did.
type history struct {
	capacity int
	series   map[string]*ring
	order    []string // keys in the order they appeared, for stable charts
	last     Sample
}

func newHistory(capacity int) *history {
	return &history{capacity: capacity, series: map[string]*ring{}}
}

// put adds one point to the series key.
func (h *history) put(key string, t int64, v float64) {
	r := h.series[key]
	if r == nil {
		r = newRing(h.capacity)
		h.series[key] = r
		h.order = append(h.order, key)
	}
	r.add(Point{T: t, V: v})
}

// add files a sample's figures under their series.
func (h *history) add(s Sample) {
	h.last = s
	t := s.At.UnixMilli()
	h.put("cpu/hotserve", t, s.Self.CPU)
	h.put("rss/hotserve", t, float64(s.Self.RSS))
	h.put("heap", t, float64(s.Heap))
	h.put("goroutines", t, float64(s.Goroutines))
	for _, b := range s.Backends {
		h.put("cpu/"+b.Name, t, b.CPU)
		h.put("rss/"+b.Name, t, float64(b.RSS))
	}
	h.put("events", t, s.Events)
	h.put("batches", t, float64(s.Batches))
	h.put("requests", t, s.Requests)
	h.put("proxied", t, s.Proxied)
	if s.Updates > 0 { // an interval without updates has no latency
		h.put("paint/median", t, s.PaintMedian)
		h.put("paint/max", t, s.PaintMax)
	}
	for _, d := range s.Disks {
		h.put("disk/"+d.Label(), t, float64(d.Free))
	}
	if s.WatchesLimit > 0 {
		h.put("watches", t, float64(s.WatchesUsed))
	}
}

// with lists the keys that start with prefix, in order.
func (h *history) with(prefix string) []string {
	return slices.DeleteFunc(slices.Clone(h.order), func(k string) bool { return !strings.HasPrefix(k, prefix) })
}

// points returns one series' points, nil if it has none.
func (h *history) points(key string) []Point {
	if r := h.series[key]; r != nil {
		return r.points()
	}
	return nil
}
