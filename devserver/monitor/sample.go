// Package monitor samples what hotserve and its backends cost on an
// interval (CPU, memory, disk, file events, update latency, watches),
// keeps an hour of each series in a bounded ring for the status page's
// charts, and warns once per episode when a threshold is crossed.
package monitor

import "time"

// Proc is one process tree's figures in a sample.
type Proc struct {
	CPU   float64 `json:"cpu"`   // percent of one core over the interval
	RSS   uint64  `json:"rss"`   // resident memory, bytes
	Procs int     `json:"procs"` // processes counted
}

// BackendProc is one running backend's figures.
type BackendProc struct {
	Name string `json:"name"`
	PID  int    `json:"pid"`
	Proc
}

// Sample is everything read at one tick.
type Sample struct {
	At         time.Time     `json:"at"`
	Self       Proc          `json:"self"`
	Heap       uint64        `json:"heap"`       // Go heap in use, bytes
	Goroutines int           `json:"goroutines"` // hotserve's
	Backends   []BackendProc `json:"backends"`
	// Disks is the space of every file system among the served folder
	// and the mounts, one each; a folder that cannot be read is left out.
	Disks []Disk `json:"disks"`
	// Events is raw file events per second and Batches the batches
	// delivered, over the interval.
	Events  float64 `json:"events"`
	Batches uint64  `json:"batches"`
	// Requests and Proxied are requests per second served from the
	// folder and sent to a backend, over the interval.
	Requests float64 `json:"requests"`
	Proxied  float64 `json:"proxied"`
	// Updates counts the updates painted over the interval, with the
	// median and slowest save-to-paint in ms (0 without any).
	Updates     int     `json:"updates"`
	PaintMedian float64 `json:"paintMedianMs"`
	PaintMax    float64 `json:"paintMaxMs"`
	// WatchesUsed and WatchesLimit are the OS's watch budget (inotify
	// watches, kqueue's open files), 0 where it has none.
	WatchesUsed  int `json:"watchesUsed"`
	WatchesLimit int `json:"watchesLimit"`
}

// Counters are the cumulative counts a sample takes rates of.
type Counters struct {
	Events, Batches   uint64 // the watcher's
	Requests, Proxied uint64 // the server's
}

// Backend is one running backend, as the sampler asks for them.
type Backend struct {
	Name string
	PID  int
}
