package monitor

import (
	"fmt"
	"time"
)

// hotserve's own CPU is attributed to its parts by cheap counters rather
// than by profiling: what each part did over the busy time, times what
// one unit of it costs. The costs are BENCHMARKS.md's figures, rounded
// up: a file request through the handler, a proxied request (the
// handler, the transport and the copy), a raw file event through the
// watcher's tree and coalescing.
var partCost = []struct {
	part, key, unit, advice string
	cost                    time.Duration
}{
	{"serving", "requests", "requests/s", "a page or a tool requesting in a loop? The status page lists the open tabs", 20 * time.Microsecond},
	{"proxy", "proxied", "proxied requests/s", "heavy traffic to the backend goes through hotserve; send it to the backend's own port", 80 * time.Microsecond},
	{"watching", "events", "file events/s", "something keeps writing in the folder: --ignore its output folder (build, logs, caches)", 5 * time.Microsecond},
}

// cpu warns when hotserve used CPUPercent of a core at every sample for
// CPUFor, naming the part that did most.
func (w *warner) cpu(h *history, now time.Time) (Warning, bool) {
	from := now.Add(-w.t.CPUFor).UnixMilli()
	ps := h.series["cpu/hotserve"].since(from)
	all := h.series["cpu/hotserve"].points()
	// Sustained: the window is covered (a sample at or before its start)
	// and no sample in it is under the threshold.
	covered := len(all) > len(ps) || len(ps) > 0 && ps[0].T <= from
	busy := covered && len(ps) > 0
	var sum float64
	for _, p := range ps {
		busy = busy && p.V >= w.t.CPUPercent
		sum += p.V
	}
	last, _ := h.series["cpu/hotserve"].last()
	if !w.episode("cpu/hotserve", busy, last.V < w.t.CPUPercent) {
		return Warning{}, false
	}
	what, advice := w.busiest(h, from)
	text := fmt.Sprintf("hotserve │ CPU %.0f %% for %s, %s — %s", sum/float64(len(ps)), formatSpan(w.t.CPUFor), what, advice)
	return Warning{Kind: "cpu", Subject: "hotserve", Text: text}, true
}

// busiest says which part's estimated cost over the window is the
// largest, with its mean rate, and what to do about it.
func (w *warner) busiest(h *history, from int64) (what, advice string) {
	var most time.Duration
	for _, pc := range partCost {
		ps := h.series[pc.key].since(from)
		var sum float64
		for _, p := range ps {
			sum += p.V
		}
		mean := 0.0
		if len(ps) > 0 {
			mean = sum / float64(len(ps))
		}
		if est := time.Duration(mean * float64(pc.cost)); est > most {
			most = est
			what, advice = fmt.Sprintf("mostly %s (%.0f %s)", pc.part, mean, pc.unit), pc.advice
		}
	}
	if most == 0 {
		return "not in serving, proxy or watching", "run with --log json to see the metrics, and report it to hotserve's authors"
	}
	return what, advice
}
